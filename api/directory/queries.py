"""Queries of the directory: states and regions (public reference data)."""
import graphene
from django.core.exceptions import ValidationError
from django.db.models import Prefetch

from directory.models import KoenigsteinShare, Region, State
from directory.validators import validate_ars

from ..core.errors import BadUserInput
from ..core.types import FilterConnectionField
from .types import RegionType, StateType


def states_queryset():
    return State.objects.select_related("accession__agreement").prefetch_related(
        Prefetch("koenigstein_shares", queryset=KoenigsteinShare.objects.order_by("year"))
    )


def state_by_code(code: str, argument: str = "code") -> State:
    state = states_queryset().filter(code=(code or "").upper()).first()
    if state is None:
        raise BadUserInput(argument, f"unknown state code {code!r}; use BW, BY, BE, BB, HB, HH, HE, MV, NI, NW, RP, SL, SN, ST, SH or TH.")
    return state


class DirectoryQueries(graphene.ObjectType):
    states = graphene.List(
        graphene.NonNull(StateType), required=True, description="The 16 states, in the order of their ARS."
    )
    state = graphene.Field(StateType, code=graphene.String(required=True), description="A state by its code, e.g. BY.")
    region = graphene.Field(
        RegionType,
        ars=graphene.String(required=True, description="ARS in canonical length: 2, 3, 5, 9 or 12 digits."),
        description="A region by its ARS; null when no region has that key.",
    )
    regions = FilterConnectionField(RegionType, description="Regions, filtered (q, state, level, parent, ars prefix, postcode).")

    @staticmethod
    def resolve_states(root, info):
        return states_queryset().order_by("ars")

    @staticmethod
    def resolve_state(root, info, code):
        return state_by_code(code)

    @staticmethod
    def resolve_region(root, info, ars):
        try:
            validate_ars(ars)
        except ValidationError as error:
            raise BadUserInput("ars", " ".join(error.messages)) from None
        return Region.objects.select_related("parent", "state").filter(ars=ars).first()
