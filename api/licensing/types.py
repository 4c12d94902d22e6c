"""GraphQL types of licensing: accession, reuse terms, subscriptions, cost shares and bills.

Money and shares are decimal strings ("125000.00", "0.208900"), in input and output alike, so
that a malformed or negative amount comes back as a field error (errors as data) rather than
as a scalar coercion error, and nothing passes through a float. The String fields serialise the
models' Decimals with str() (graphene's String does), so they need no resolvers of their own.
"""
from dataclasses import dataclass
from datetime import datetime

import graphene

from licensing.access import can_read_subscription_details, restrict_subscriptions, visible_subscriptions
from licensing.choices import AccessionStatus as AccessionStatusChoices
from licensing.costs import MissingKoenigsteinShare, cost_shares
from licensing.reuse import connected_states_count
from licensing.models import Subscription
from store.models import OnlineService

from ..core.enums import AccessionStatus, AllocationKey, LegalBasis, OperatingModel, SubscriptionStatus
from ..core.errors import BadUserInput
from ..core.types import NodeType, describe_fields, extend_type
from ..store.types import OnlineServiceType


@dataclass
class AccessionView:
    """What the API shows of a state's accession; NONE when the state has not joined."""

    state: object
    status: str
    signed_at: datetime | None = None
    withdrawn_at: datetime | None = None
    agreement_version: str | None = None


def accession_of(state) -> AccessionView:
    try:
        accession = state.accession
    except state.__class__.accession.RelatedObjectDoesNotExist:
        return AccessionView(state=state, status=AccessionStatusChoices.NONE)
    return AccessionView(
        state=state,
        status=accession.status,
        signed_at=accession.signed_at,
        withdrawn_at=accession.withdrawn_at,
        agreement_version=accession.agreement.version,
    )


class AccessionType(graphene.ObjectType):
    """A state's accession to the FIT-Store framework agreement (Beitritt zum FIT-Store)."""

    class Meta:
        name = "Accession"

    state = graphene.Field("api.directory.types.StateType", required=True)
    status = graphene.Field(AccessionStatus, required=True)
    signed_at = graphene.DateTime(description="When the state signed; null when it has not joined.")
    withdrawn_at = graphene.DateTime(description="When the state withdrew, if it did.")
    agreement_version = graphene.String(description="Version of the framework agreement signed.")


class ReuseTermsType(graphene.ObjectType):
    """The terms on which an online service may be reused (Nachnutzungsbedingungen)."""

    class Meta:
        name = "ReuseTerms"

    annual_cost = graphene.String(required=True, description='Annual cost in euros, a decimal string ("125000.00").')
    one_time_cost = graphene.String(required=True, description='One-time cost in euros, a decimal string ("0.00").')
    allocation_key = graphene.Field(AllocationKey, required=True, description="How the annual cost is shared.")
    license = graphene.String(required=True, description="Licence as a normalised SPDX expression, e.g. EUPL-1.2.")
    operating_model = graphene.Field(OperatingModel, required=True)
    legal_bases = graphene.List(graphene.NonNull(LegalBasis), required=True, description="Legal bases of reuse allowed.")
    updated_at = graphene.DateTime(required=True)


class SubscriptionEventType(graphene.ObjectType):
    """One step of the procedure: from which status to which, by whom, with which note, when."""

    class Meta:
        name = "SubscriptionEvent"

    from_status = graphene.Field(SubscriptionStatus, description="Null for the request that created the subscription.")
    to_status = graphene.Field(SubscriptionStatus, required=True)
    actor = graphene.String(required=True, description="User name or system process.")
    note = graphene.String(required=True)
    at = graphene.DateTime(required=True)

    @staticmethod
    def resolve_from_status(event, info):
        return event.from_status or None

    @staticmethod
    def resolve_actor(event, info):
        return event.actor_label


def _detail(name):
    """A resolver that shows a field only to the subscription's parties and the operators (null
    for everyone else): licensing.access.can_read_subscription_details."""

    def resolve(subscription, info):
        return getattr(subscription, name) if can_read_subscription_details(info.context.user, subscription) else None

    return resolve


class SubscriptionType(NodeType):
    """A state's reuse of an online service through the FIT-Store procedure (Nachnutzung):
    REQUESTED → ACTIVE or DECLINED → CONNECTED → TERMINATED.

    A reuse request is the parties' matter: the subscribing state's coordinators, the providing
    state's coordinators and the online service's maintainers (and the operators) read the
    subscription whatever its status, with its legal basis, dates and history. Everyone else, with
    a token or without, sees only the concluded reuses (ACTIVE and CONNECTED, which the map and the
    cost shares make public anyway) and of them only `id`, `state`, `onlineService` and `status`:
    the legal basis and the dates are null, the history empty. Requests, declined and terminated
    subscriptions do not exist for them (`node` answers null).
    """

    status = graphene.Field(SubscriptionStatus, required=True)
    legal_basis = graphene.Field(LegalBasis, description="Null except for the parties and operators.",
                                 resolver=_detail("legal_basis"))
    requested_at = graphene.DateTime(description="When the state asked; null except for the parties and operators.",
                                     resolver=_detail("requested_at"))
    confirmed_at = graphene.DateTime(description="When the provider confirmed or declined; null except for the "
                                                 "parties and operators.", resolver=_detail("confirmed_at"))
    connected_at = graphene.DateTime(description="When the state connected its authorities; null except for the "
                                                 "parties and operators.", resolver=_detail("connected_at"))
    ended_at = graphene.DateTime(description="When it was declined or terminated; null except for the parties and "
                                             "operators.", resolver=_detail("ended_at"))
    events = graphene.List(graphene.NonNull(SubscriptionEventType), required=True,
                           description="The steps so far with their notes, oldest first; empty except for the "
                                       "parties and operators.")

    class Meta:
        model = Subscription
        fields = ("id", "state", "online_service", "status", "legal_basis", "requested_at", "confirmed_at",
                  "connected_at", "ended_at")
        convert_choices_to_enum = False

    @classmethod
    def get_queryset(cls, queryset, info):
        return restrict_subscriptions(queryset, info.context.user).select_related("state", "online_service")

    @staticmethod
    def resolve_events(subscription, info):
        if not can_read_subscription_details(info.context.user, subscription):
            return []
        return subscription.events.all()  # prefetched by OnlineService.subscriptions


class CostShareType(graphene.ObjectType):
    """One party's part of an online service's annual cost."""

    class Meta:
        name = "CostShare"

    party = graphene.String(required=True, description='The state code (BY, …) or "BUND" for the federation.')
    state = graphene.Field("api.directory.types.StateType", description="Null for the federation.")
    share = graphene.String(required=True, description='Share of the whole, 6 decimal places ("0.208900"); all sum to 1.')
    annual_amount = graphene.String(required=True, description='Euros per year ("26112.50"); all sum to the annual cost.')


class BillLineType(graphene.ObjectType):
    """What a state pays for one online service."""

    class Meta:
        name = "BillLine"

    online_service = graphene.Field(OnlineServiceType, required=True)
    share = graphene.String(required=True)
    annual_amount = graphene.String(required=True)


class StateBillType(graphene.ObjectType):
    """A state's yearly bill across all online services with reuse terms."""

    class Meta:
        name = "StateBill"

    state = graphene.Field("api.directory.types.StateType", required=True)
    koenigstein_year = graphene.Int(description="Year of the Königsteiner Schlüssel used.")
    lines = graphene.List(graphene.NonNull(BillLineType), required=True)
    total = graphene.String(required=True, description="Euros per year, the sum of the lines.")

    @staticmethod
    def resolve_koenigstein_year(bill, info):
        return bill.year


class OnlineServiceReuse:
    """What licensing adds to the store's OnlineService type (extend_type): the reuse terms, the
    states' subscriptions, the cost shares and the states where the service is live."""

    terms = graphene.Field(ReuseTermsType, description="The reuse terms; null while the provider has set none.")
    subscriptions = graphene.List(
        graphene.NonNull(SubscriptionType), required=True,
        description="States' subscriptions, by state: all of them for their parties and the operators; for "
                    "everyone else only the ACTIVE and CONNECTED ones, without details (see Subscription).",
    )
    cost_shares = graphene.List(
        graphene.NonNull(CostShareType), required=True,
        year=graphene.Int(description="Year of the Königsteiner Schlüssel; the latest loaded when omitted."),
        description="The annual cost split by the terms' allocation key; empty without terms.",
    )
    connected_states_count = graphene.Int(
        required=True, description="States in which the service is live: the provider plus the states with a "
                                   "CONNECTED subscription (criterion C6 needs at least 9).",
    )

    @staticmethod
    def resolve_terms(root: OnlineService, info):
        return getattr(root, "terms", None)  # None where there are none (a reverse one-to-one raises AttributeError)

    @staticmethod
    def resolve_subscriptions(root: OnlineService, info):
        # Prefetched (ordered by state) by the catalogue queries; filtered in Python by the same
        # rule as restrict_subscriptions, so that a page of online services costs no query per row.
        return visible_subscriptions(root.subscriptions.all(), info.context.user)

    @staticmethod
    def resolve_cost_shares(root: OnlineService, info, year=None):
        try:
            return cost_shares(root, year)
        except MissingKoenigsteinShare:
            raise BadUserInput("year", f"no Königsteiner Schlüssel for {year}.") from None

    @staticmethod
    def resolve_connected_states_count(root: OnlineService, info):
        annotated = getattr(root, "connected_states_count", None)  # set by licensing.reuse.annotate_connected_states
        return annotated if annotated is not None else connected_states_count(root)


extend_type(OnlineServiceType, OnlineServiceReuse)


# --- Descriptions of the derived and undescribed fields -----------------------------------------
describe_fields(
    AccessionType,
    state="The state (Land) this accession (Beitritt) is about.",
    status="NONE (not joined), SIGNED (framework agreement signed) or WITHDRAWN.",
)
describe_fields(
    ReuseTermsType,
    operating_model="Who operates the online service for reusing states (Betriebsmodell).",
    updated_at="When the terms were last changed (ISO 8601 date-time, UTC).",
)
describe_fields(
    SubscriptionType,
    state="The subscribing state (nachnutzendes Land).",
    online_service="The online service reused (Nachnutzung).",
    status="Step of the reuse procedure: REQUESTED, ACTIVE, CONNECTED, DECLINED or TERMINATED.",
)
describe_fields(
    SubscriptionEventType,
    to_status="The status the subscription moved to.",
    note="Note given with the change; empty when none.",
    at="When the change happened (ISO 8601 date-time, UTC).",
)
describe_fields(
    BillLineType,
    online_service="The online service this line is for.",
    share='The state\'s share of the annual cost, a decimal string with 6 decimal places ("0.208900").',
    annual_amount='What the state pays per year for this service, a decimal string in euros ("26112.50").',
)
describe_fields(
    StateBillType,
    state="The state (Land) billed.",
    lines="One line per online service the state shares costs for.",
)
