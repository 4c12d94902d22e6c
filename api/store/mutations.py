"""Mutations of the store: registering online services, their repositories and publishing releases."""
import graphene
from django.core.exceptions import ValidationError

from fitstore.access import require_operator
from store import services
from store.access import online_service_for_maintainer, online_service_for_publisher
from store.error_codes import StoreErrorCode

from ..core.enums import EfaCriterionCode, InterfaceRole, Lifecycle
from ..core.permissions import Allowed
from ..core.types import BaseMutation
from .types import InterfaceType, OnlineServiceType, ReleaseType

# Its maintainers or an operator (store.access.can_maintain).
MAINTAINER_OR_OPERATOR = Allowed(online_service_for_maintainer, "online_service", as_="online_service")


class RegisterOnlineServiceInput(graphene.InputObjectType):
    """Input of registerOnlineService: the new EfA online service (EfA-Online-Dienst)."""

    slug = graphene.String(required=True, description="Identifier in URLs, e.g. wohngeld.")
    name = graphene.String(required=True, description="Display name of the online service, e.g. Wohngeld.")
    summary = graphene.String(description="One or two sentences.")
    provider_state = graphene.String(required=True, description="Code of the providing state, e.g. HB.")
    leika_keys = graphene.List(graphene.NonNull(graphene.String), description="LeiKa keys of the services it implements.")
    lifecycle = Lifecycle(description="PLANNED when omitted.")
    repository_url = graphene.String(description="The git repository: https on an allowed host.")
    license = graphene.String(description="SPDX licence expression of the repository, e.g. EUPL-1.2.")


class RegisterOnlineService(BaseMutation):
    """Register an EfA online service in the catalogue (operators)."""

    class Arguments:
        input = RegisterOnlineServiceInput(required=True)

    online_service = graphene.Field(OnlineServiceType, description="The registered online service; null on errors.")
    permission = Allowed(require_operator)

    @classmethod
    def perform_mutation(cls, root, info, slug, name, provider_state, summary=None, leika_keys=None, lifecycle=None,
                         repository_url=None, license=None):
        user = info.context.user
        if (license or "").strip() and not (repository_url or "").strip():
            raise ValidationError({"repository_url": ValidationError(
                "Give the repository whose licence this is.", code=StoreErrorCode.REQUIRED.value)})
        online_service = services.register_online_service(
            slug=slug, name=name, summary=summary or "", provider_state=provider_state,
            lifecycle=getattr(lifecycle, "value", lifecycle) or Lifecycle.PLANNED.value,
            services=[service.pk for service in services.resolve_leika_keys(leika_keys)], actor=user,
        )
        if (repository_url or "").strip():
            services.set_repository(online_service, url=repository_url, license=license or "", actor=user)
        return {"online_service": online_service}


class SetRepositoryInput(graphene.InputObjectType):
    """Input of setRepository: the git repository of an online service and its licence."""

    online_service = graphene.String(required=True, description="Slug of the online service.")
    repository_url = graphene.String(required=True, description="The git repository: https on an allowed host "
                                                                 "(file:// and local paths where the server allows them).")
    license = graphene.String(description="SPDX licence expression of the repository, e.g. EUPL-1.2.")


class SetRepository(BaseMutation):
    """Register or change the git repository of an online service, from which its releases are
    published (its maintainers or an operator). Setting the same URL and licence again changes
    nothing."""

    class Arguments:
        input = SetRepositoryInput(required=True)

    online_service = graphene.Field(OnlineServiceType, description="The online service with its repository; null on errors.")
    permission = MAINTAINER_OR_OPERATOR

    @classmethod
    def perform_mutation(cls, root, info, online_service, repository_url, license=None):
        services.set_repository(online_service, url=repository_url, license=license or "", actor=info.context.user)
        online_service.refresh_from_db()
        return {"online_service": online_service}


class PublishReleaseInput(graphene.InputObjectType):
    """Input of publishRelease: which tag of which online service's repository to publish."""

    online_service = graphene.String(required=True, description="Slug of the online service.")
    tag = graphene.String(required=True, description="Tag in its repository, a semantic version (v1.2.0).")


class PublishRelease(BaseMutation):
    """Publish a release from a tag of the online service's repository (its maintainers).
    Publishing a tag again returns the release published before. A tag whose publiccode.yml is
    invalid is refused: one error on `tag` (INVALID_PUBLICCODE) per finding, naming the key."""

    class Arguments:
        input = PublishReleaseInput(required=True)

    release = graphene.Field(ReleaseType, description="The published (or previously published) release; null on errors.")
    permission = Allowed(online_service_for_publisher, "online_service", as_="online_service")

    @classmethod
    def perform_mutation(cls, root, info, online_service, tag):
        return {"release": services.publish_release(online_service, tag, actor=info.context.user)}


class AssessEfaCriterionInput(graphene.InputObjectType):
    """Input of assessEfaCriterion: an EfA criterion (Umsetzungskriterium) assessment with evidence."""

    online_service = graphene.String(required=True, description="Slug of the online service.")
    criterion = EfaCriterionCode(required=True, description="C1 … C7 except C6, which is computed.")
    met = graphene.Boolean(required=True, description="True when the online service meets the criterion.")
    evidence = graphene.String(required=True, description="What shows it: a link, a decision, a document.")


class AssessEfaCriterion(BaseMutation):
    """Record whether the online service meets an EfA criterion, with evidence (its maintainers
    or an operator)."""

    class Arguments:
        input = AssessEfaCriterionInput(required=True)

    online_service = graphene.Field(OnlineServiceType, description="The online service with its updated criteria; null on errors.")
    permission = MAINTAINER_OR_OPERATOR

    @classmethod
    def perform_mutation(cls, root, info, online_service, criterion, met, evidence):
        services.assess_criterion(online_service, getattr(criterion, "value", criterion), met=met, evidence=evidence,
                                  actor=info.context.user)
        return {"online_service": online_service}


class SetInterfaceInput(graphene.InputObjectType):
    """Input of setInterface: a standard (Schnittstelle) version the online service implements."""

    online_service = graphene.String(required=True, description="Slug of the online service.")
    standard = graphene.String(required=True, description="Identifier (URN) of the standard.")
    version = graphene.String(required=True, description="The version implemented, e.g. 1.0.0.")
    role = InterfaceRole(required=True, description="Whether the online service sends or receives with this standard.")


class SetInterface(BaseMutation):
    """Record which version of a standard the online service implements in a role (its
    maintainers or an operator)."""

    class Arguments:
        input = SetInterfaceInput(required=True)

    interface = graphene.Field(InterfaceType, description="The recorded interface; null on errors.")
    permission = MAINTAINER_OR_OPERATOR

    @classmethod
    def perform_mutation(cls, root, info, online_service, standard, version, role):
        interface = services.set_interface(online_service, standard=standard, version=version,
                                           role=getattr(role, "value", role), actor=info.context.user)
        return {"interface": interface}


class StoreMutations(graphene.ObjectType):
    register_online_service = RegisterOnlineService.Field()
    publish_release = PublishRelease.Field()
    set_repository = SetRepository.Field()
    assess_efa_criterion = AssessEfaCriterion.Field()
    set_interface = SetInterface.Field()
