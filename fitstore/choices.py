"""Enums of the shared mechanisms: roles and audit actions."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of the contract. Values are what `manage.py grant` takes."""

    OPERATOR = "operator", _("Operator")
    COORDINATOR = "coordinator", _("Coordinator of a state")
    DIRECTORY_MAINTAINER = "directory-maintainer", _("Directory maintainer of a state")
    MAINTAINER = "maintainer", _("Maintainer of an online service")
    GATEWAY = "gateway", _("Gateway")

    @classmethod
    def scoped_by_state(cls):
        return {cls.COORDINATOR, cls.DIRECTORY_MAINTAINER}

    @classmethod
    def scoped_by_online_service(cls):
        return {cls.MAINTAINER}


class AuditAction(models.TextChoices):
    CREATED = "CREATED", _("created")
    UPDATED = "UPDATED", _("updated")
    DELETED = "DELETED", _("deleted")
    # Sessions: recorded from Django's auth signals (fitstore.auth), not by a service.
    SIGNED_IN = "SIGNED_IN", _("signed in")
    SIGNED_OUT = "SIGNED_OUT", _("signed out")
    SIGN_IN_FAILED = "SIGN_IN_FAILED", _("sign-in failed")

    @classmethod
    def writes(cls) -> list["AuditAction"]:
        """What a service's write did to an object (not the sessions): the change feed's actions."""
        return [cls.CREATED, cls.UPDATED, cls.DELETED]


class SigningKeyState(models.TextChoices):
    """Where a key of the directory's key set stands (fitstore.signing, docs/federation.md)."""

    NEXT = "NEXT", _("next: published, not yet signing")
    CURRENT = "CURRENT", _("current: signs")
    PREVIOUS = "PREVIOUS", _("previous: published so that its signatures still verify")
    RETIRED = "RETIRED", _("retired: no longer published")

    @classmethod
    def published(cls) -> list["SigningKeyState"]:
        return [cls.NEXT, cls.CURRENT, cls.PREVIOUS]
