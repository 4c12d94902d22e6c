"""Mutations of licensing: accession, reuse terms and the FIT-Store procedure.

Each declares who may call it (through `licensing.access`) before it calls the service;
refusals come back in `errors` (PERMISSION_DENIED without saying whether the object exists).
"""
import graphene
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from directory.models import State
from licensing import access, services
from licensing.error_codes import LicensingErrorCode
from store.models import OnlineService

from ..core.enums import AllocationKey, LegalBasis, OperatingModel
from ..core.types import BaseMutation, pk_from_global_id
from .types import AccessionType, ReuseTermsType, SubscriptionType, accession_of


def _user(info):
    user = info.context.user
    if not user.is_authenticated:
        raise PermissionDenied(_("Sign in or send a valid API token."))
    return user


def _subscription_pk(global_id: str) -> int | None:
    return pk_from_global_id(global_id, "Subscription")


def _state(code: str) -> State:
    # The caller coordinates this state (checked before), so it exists.
    return State.objects.by_code(code)


# --- Accession ---------------------------------------------------------------------------------


class JoinStoreInput(graphene.InputObjectType):
    """Input of joinStore: the state joining the FIT-Store and its signatory."""

    state_code = graphene.String(required=True, description="The joining state, e.g. BY.")
    signatory = graphene.String(required=True, description="Who signs for the state.")


class JoinStore(BaseMutation):
    """Join the FIT-Store: the state signs the framework agreement in force (coordinator of that state)."""

    class Arguments:
        input = JoinStoreInput(required=True)

    accession = graphene.Field(AccessionType, description="The state's accession (Beitritt) after the change; null on errors.")

    @classmethod
    def perform_mutation(cls, root, info, state_code, signatory):
        user = _user(info)
        access.require_coordinator(user, state_code)
        state = _state(state_code)
        services.join_store(state, signatory=signatory, actor=user)
        return {"accession": accession_of(State.objects.select_related("accession__agreement").get(pk=state.pk))}


class WithdrawFromStoreInput(graphene.InputObjectType):
    """Input of withdrawFromStore: the state leaving the FIT-Store."""

    state_code = graphene.String(required=True, description="The withdrawing state, e.g. BY.")
    reason = graphene.String(description="Why, for the record.")


class WithdrawFromStore(BaseMutation):
    """Withdraw from the FIT-Store (coordinator of that state); the state may join again later."""

    class Arguments:
        input = WithdrawFromStoreInput(required=True)

    accession = graphene.Field(AccessionType, description="The state's accession (Beitritt) after the change; null on errors.")

    @classmethod
    def perform_mutation(cls, root, info, state_code, reason=""):
        user = _user(info)
        access.require_coordinator(user, state_code)
        state = _state(state_code)
        services.withdraw_from_store(state, actor=user, reason=reason or "")
        return {"accession": accession_of(State.objects.select_related("accession__agreement").get(pk=state.pk))}


# --- Reuse terms -------------------------------------------------------------------------------


class SetReuseTermsInput(graphene.InputObjectType):
    """Input of setReuseTerms: the reuse terms (Nachnutzungsbedingungen) of an online service."""

    online_service = graphene.String(required=True, description="Slug of the online service.")
    annual_cost = graphene.String(description='Euros per year, a decimal string ("125000.00"), not negative.')
    one_time_cost = graphene.String(description='One-time cost in euros, a decimal string ("0.00"), not negative.')
    allocation_key = graphene.Field(AllocationKey, description="How the annual cost is shared.")
    license = graphene.String(description="SPDX licence expression, e.g. EUPL-1.2.")
    operating_model = graphene.Field(OperatingModel, description="Who operates the online service for reusing states (Betriebsmodell).")
    legal_bases = graphene.List(graphene.NonNull(LegalBasis), description="The legal bases of reuse allowed (at least one).")


class SetReuseTerms(BaseMutation):
    """Set the reuse terms of an online service (maintainer of that service). Values not given
    (null or empty) keep the current ones; the first time, all are needed."""

    class Arguments:
        input = SetReuseTermsInput(required=True)

    terms = graphene.Field(ReuseTermsType, description="The reuse terms now in force; null on errors.")

    @classmethod
    def perform_mutation(cls, root, info, online_service, **values):
        user = _user(info)
        access.require_maintainer(user, online_service)
        service = OnlineService.objects.get(slug=online_service)
        return {"terms": services.set_reuse_terms(service, actor=user, **values)}


# --- Subscriptions -----------------------------------------------------------------------------


class SubscribeInput(graphene.InputObjectType):
    """Input of subscribe: a state asking to reuse (Nachnutzung) an online service."""

    online_service = graphene.String(required=True, description="Slug of the online service.")
    state_code = graphene.String(required=True, description="The subscribing state, e.g. BY.")
    legal_basis = graphene.Field(LegalBasis, required=True, description="The legal basis of reuse the state relies on; one the terms allow.")


class Subscribe(BaseMutation):
    """Ask to reuse an online service (REQUESTED; coordinator of the subscribing state)."""

    class Arguments:
        input = SubscribeInput(required=True)

    subscription = graphene.Field(SubscriptionType, description="The subscription (Nachnutzungsvereinbarung) after the change; null on errors.")

    @classmethod
    def perform_mutation(cls, root, info, online_service, state_code, legal_basis):
        user = _user(info)
        access.require_coordinator(user, state_code)
        state = _state(state_code)
        service = OnlineService.objects.filter(slug=online_service).first()
        if service is None:
            raise ValidationError({"online_service": ValidationError(
                _("There is no online service %(slug)s.") % {"slug": online_service},
                code=LicensingErrorCode.NOT_FOUND.value,
            )})
        return {"subscription": services.subscribe(state, service, legal_basis=legal_basis, actor=user)}


class ConfirmSubscriptionInput(graphene.InputObjectType):
    """Input of confirmSubscription: the maintainer's answer to a reuse request."""

    subscription = graphene.ID(required=True, description="The subscription's global ID.")
    accept = graphene.Boolean(required=True, description="true: confirm the terms (ACTIVE); false: decline (DECLINED).")
    note = graphene.String(description="A note for the record and the subscribing state.")


class ConfirmSubscription(BaseMutation):
    """Confirm (ACTIVE) or decline (DECLINED) a request (maintainer of the online service)."""

    class Arguments:
        input = ConfirmSubscriptionInput(required=True)

    subscription = graphene.Field(SubscriptionType, description="The subscription (Nachnutzungsvereinbarung) after the change; null on errors.")

    @classmethod
    def perform_mutation(cls, root, info, subscription, accept, note=""):
        user = _user(info)
        target = access.subscription_for_maintainer(user, _subscription_pk(subscription))
        return {"subscription": services.confirm_subscription(target, accept=accept, note=note or "", actor=user)}


class ConnectSubscriptionInput(graphene.InputObjectType):
    """Input of connectSubscription: the subscription whose authorities are now live."""

    subscription = graphene.ID(required=True, description="The subscription's global ID.")


class ConnectSubscription(BaseMutation):
    """Report the state's authorities live (CONNECTED; coordinator of the subscribing state; only from ACTIVE)."""

    class Arguments:
        input = ConnectSubscriptionInput(required=True)

    subscription = graphene.Field(SubscriptionType, description="The subscription (Nachnutzungsvereinbarung) after the change; null on errors.")

    @classmethod
    def perform_mutation(cls, root, info, subscription):
        user = _user(info)
        target = access.subscription_for_coordinator(user, _subscription_pk(subscription))
        return {"subscription": services.connect_subscription(target, actor=user)}


class TerminateSubscriptionInput(graphene.InputObjectType):
    """Input of terminateSubscription: the subscription to end."""

    subscription = graphene.ID(required=True, description="The subscription's global ID.")
    reason = graphene.String(description="Why, for the record.")


class TerminateSubscription(BaseMutation):
    """End a reuse (TERMINATED; coordinator of the subscribing state), from REQUESTED, ACTIVE or CONNECTED."""

    class Arguments:
        input = TerminateSubscriptionInput(required=True)

    subscription = graphene.Field(SubscriptionType, description="The subscription (Nachnutzungsvereinbarung) after the change; null on errors.")

    @classmethod
    def perform_mutation(cls, root, info, subscription, reason=""):
        user = _user(info)
        target = access.subscription_for_coordinator(user, _subscription_pk(subscription))
        return {"subscription": services.terminate_subscription(target, reason=reason or "", actor=user)}


class LicensingMutations(graphene.ObjectType):
    join_store = JoinStore.Field()
    withdraw_from_store = WithdrawFromStore.Field()
    set_reuse_terms = SetReuseTerms.Field()
    subscribe = Subscribe.Field()
    confirm_subscription = ConfirmSubscription.Field()
    connect_subscription = ConnectSubscription.Field()
    terminate_subscription = TerminateSubscription.Field()
