"""Queries of licensing: a state's yearly bill. (Terms, subscriptions and cost shares are
fields of OnlineService; the accession is a field of State.)"""
import graphene

from directory.models import State
from licensing.costs import MissingKoenigsteinShare, state_bill

from ..core.errors import BadUserInput
from .types import StateBillType


class LicensingQueries(graphene.ObjectType):
    state_bill = graphene.Field(
        StateBillType,
        state_code=graphene.String(required=True, description="The state, e.g. BY."),
        year=graphene.Int(description="Year of the Königsteiner Schlüssel; the latest loaded when omitted."),
        required=True,
        description="What a state pays per year across all online services, as the cost shares give it.",
    )

    @staticmethod
    def resolve_state_bill(root, info, state_code, year=None):
        state = State.objects.by_code(state_code)
        if state is None:
            raise BadUserInput("stateCode", f"unknown state code {state_code!r}.")
        try:
            return state_bill(state, year)
        except MissingKoenigsteinShare:
            raise BadUserInput("year", f"no Königsteiner Schlüssel for {year}.") from None
