"""Models of the shared mechanisms: role assignments, API tokens and the audit log."""
import hashlib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import AuditAction, Role, SigningKeyState


class RoleAssignment(models.Model):
    """A role held by a user, scoped to a state or an online service where the role needs it.

    Zuständigkeit eines Kontos: Koordinierung eines Landes, Verzeichnispflege eines Landes,
    Pflege eines Online-Dienstes, Betrieb, Gateway.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    state = models.ForeignKey(
        "directory.State", on_delete=models.CASCADE, null=True, blank=True, related_name="role_assignments"
    )
    online_service = models.ForeignKey(
        "store.OnlineService", on_delete=models.CASCADE, null=True, blank=True, related_name="role_assignments"
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                name="role_scope_matches_role",
                condition=(
                    Q(role__in=[Role.COORDINATOR, Role.DIRECTORY_MAINTAINER], state__isnull=False, online_service__isnull=True)
                    | Q(role=Role.MAINTAINER, state__isnull=True, online_service__isnull=False)
                    | Q(role__in=[Role.OPERATOR, Role.GATEWAY], state__isnull=True, online_service__isnull=True)
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "state"], condition=Q(state__isnull=False), name="unique_state_role"
            ),
            models.UniqueConstraint(
                fields=["user", "role", "online_service"],
                condition=Q(online_service__isnull=False),
                name="unique_online_service_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(state__isnull=True, online_service__isnull=True),
                name="unique_global_role",
            ),
        ]

    def __str__(self):
        scope = self.state or self.online_service
        return f"{self.user} · {self.get_role_display()}" + (f" · {scope}" if scope else "")


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, user__is_active=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 hash is stored; the token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=12, help_text=_("First characters, to recognise a token."))
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()
    audit_exclude = ("key_hash",)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.prefix}… ({self.name or self.user})"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())


class AuditEntry(models.Model):
    """One committed write: who, through which request, what, and the data before and after.

    Written by the services in the same transaction as the change (Änderungsprotokoll).
    """

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("actor"), max_length=150, help_text=_("User name or system process."))
    token = models.ForeignKey(ApiToken, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    token_label = models.CharField(
        _("API token"), max_length=120, blank=True,
        help_text=_("Prefix and name of the API token that made the change (never the token itself)."),
    )
    session_hash = models.CharField(
        _("session"), max_length=32, blank=True, db_index=True,
        help_text=_("A keyed hash of the web session that made the change (never the session key itself)."),
    )
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices)
    verb = models.CharField(_("operation"), max_length=64, help_text=_("The service that wrote, e.g. grant_role."))
    object_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.verb} {self.object_repr}"


class SigningKey(models.Model):
    """A key of the directory's key set (fitstore.signing): its public part with the certificate
    published as JWK, and its state. The private key is not here: it is the file `<kid>.pem` in
    DIRECTORY_SIGNING_KEY_DIR (docs/federation.md, "Keys and their rotation")."""

    kid = models.CharField(_("key id"), max_length=64, unique=True,
                           help_text=_("RFC 7638 thumbprint (SHA-256) of the public key."))
    state = models.CharField(_("state"), max_length=16, choices=SigningKeyState.choices)
    public_jwk = models.JSONField(_("public key (JWK)"), help_text=_("As published, with the certificate in x5c."))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    activated_at = models.DateTimeField(_("signing since"), null=True, blank=True)
    deactivated_at = models.DateTimeField(_("signing until"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(name="signing_key_state_known", condition=Q(state__in=SigningKeyState.values)),
            models.UniqueConstraint(fields=["state"], condition=Q(state=SigningKeyState.CURRENT),
                                    name="one_current_signing_key"),
            models.UniqueConstraint(fields=["state"], condition=Q(state=SigningKeyState.NEXT),
                                    name="one_next_signing_key"),
        ]

    def __str__(self):
        return f"{self.kid[:12]}… ({self.get_state_display()})"


from .search.models import SearchDirty, SearchTerm  # noqa: E402,F401  (search tables belong to this app)
