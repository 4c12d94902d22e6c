"""Set-up helpers of the licensing tests: the framework agreement, accessions, subscriptions in a
given status. They go through the services (as a system actor), like every write."""
from django.conf import settings

from directory.models import State
from licensing import services
from licensing.choices import AllocationKey, LegalBasis, OperatingModel, SubscriptionStatus
from licensing.reference import load_framework_agreements
from store.models import OnlineService

ACTOR = "system:test"


def load_agreement():
    load_framework_agreements(settings.DATA_DIR)


def state(code: str) -> State:
    return State.objects.by_code(code)


def online_service(slug: str) -> OnlineService:
    return OnlineService.objects.get(slug=slug)


def joined(code: str) -> State:
    services.join_store(state(code), signatory=f"Staatssekretärin {code}", actor=ACTOR)
    return state(code)


def terms(slug: str, *, annual_cost="100000.00", one_time_cost="0.00", allocation_key=AllocationKey.KOENIGSTEIN,
          license="EUPL-1.2", operating_model=OperatingModel.CENTRAL, legal_bases=(LegalBasis.FIT_STORE,
                                                                                  LegalBasis.ADMINISTRATIVE_AGREEMENT)):
    return services.set_reuse_terms(
        online_service(slug), annual_cost=annual_cost, one_time_cost=one_time_cost, allocation_key=allocation_key,
        license=license, operating_model=operating_model, legal_bases=list(legal_bases), actor=ACTOR,
    )


def subscription(code: str, slug: str, status: str = SubscriptionStatus.REQUESTED,
                 legal_basis: str = LegalBasis.ADMINISTRATIVE_AGREEMENT):
    """A subscription of state `code` to `slug`, walked through the procedure up to `status`."""
    sub = services.subscribe(state(code), online_service(slug), legal_basis=legal_basis, actor=ACTOR)
    if status == SubscriptionStatus.REQUESTED:
        return sub
    if status == SubscriptionStatus.DECLINED:
        return services.confirm_subscription(sub, accept=False, actor=ACTOR)
    sub = services.confirm_subscription(sub, accept=True, actor=ACTOR)
    if status == SubscriptionStatus.ACTIVE:
        return sub
    if status == SubscriptionStatus.TERMINATED:
        return services.terminate_subscription(sub, reason="test", actor=ACTOR)
    return services.connect_subscription(sub, actor=ACTOR)
