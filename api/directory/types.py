"""GraphQL types of the directory: states and regions."""
from decimal import Decimal

import graphene
from graphene import relay
from graphene_django import DjangoObjectType

from directory.filtersets import RegionFilterSet
from directory.models import Region, State

from ..core.enums import RegionLevel
from ..core.types import CountableConnection


def plain_decimal(value: Decimal | None) -> Decimal | None:
    """0.15533270 → 0.1553327: the share as given, without trailing zeros or exponent."""
    if value is None:
        return None
    return Decimal(format(value.normalize(), "f"))


class StateType(DjangoObjectType):
    """A federal state (Land)."""

    code = graphene.String(required=True, description="ISO 3166-2:DE code without `DE-`, e.g. BY.")
    ars = graphene.String(required=True, description="Regionalschlüssel of the state, two digits.")
    population = graphene.Int(required=True, description="Population (Destatis GV100AD, 30.11.2023).")
    koenigstein_share = graphene.Decimal(
        year=graphene.Int(description="Year of the key; the latest year when omitted."),
        description="Share in the Königsteiner Schlüssel as a fraction of 1 (0.1553327 = 15.53327 %).",
    )
    koenigstein_year = graphene.Int(description="The latest year for which the Königsteiner Schlüssel is known.")
    region = graphene.Field(lambda: RegionType, description="The state as a region of the ARS hierarchy.")
    accession = graphene.Field(
        "api.licensing.types.AccessionType", required=True, description="The state's accession to the FIT-Store."
    )

    class Meta:
        model = State
        name = "State"
        interfaces = (relay.Node,)
        fields = ("id", "code", "name", "ars", "seat", "population", "is_city_state")
        connection_class = CountableConnection

    @staticmethod
    def resolve_koenigstein_share(root: State, info, year=None):
        return plain_decimal(root.koenigstein_share(year))

    @staticmethod
    def resolve_koenigstein_year(root: State, info):
        years = [share.year for share in root.koenigstein_shares.all()]
        return max(years) if years else None

    @staticmethod
    def resolve_region(root: State, info):
        return Region.objects.filter(ars=root.ars).first()

    @staticmethod
    def resolve_accession(root: State, info):
        from api.licensing.types import accession_of

        return accession_of(root)


class RegionType(DjangoObjectType):
    """A region of the Gemeindeverzeichnis keyed by its Amtlicher Regionalschlüssel (ARS)."""

    ars = graphene.String(required=True, description="Amtlicher Regionalschlüssel, 2/3/5/9/12 digits.")
    level = graphene.Field(RegionLevel, required=True)
    parent = graphene.Field(lambda: RegionType, description="The next enclosing region; null for a state.")
    kind = graphene.String(required=True, description="Kind of region as Destatis names it, e.g. Kreisfreie Stadt.")
    population = graphene.Int(required=True, description="Population; higher levels sum their municipalities.")
    ancestors = graphene.List(
        graphene.NonNull(lambda: RegionType), required=True, description="Enclosing regions, the state first."
    )

    class Meta:
        model = Region
        name = "Region"
        interfaces = (relay.Node,)
        fields = ("id", "ars", "name", "level", "parent", "state", "kind", "ags", "seat", "population", "postcode")
        filterset_class = RegionFilterSet
        connection_class = CountableConnection

    @staticmethod
    def resolve_parent(root: Region, info):
        # Explicit: graphene-django's foreign-key resolver looks the parent up by primary key,
        # but `parent` points at the ARS (to_field).
        return root.parent

    @staticmethod
    def resolve_ancestors(root: Region, info):
        from directory.validators import ars_prefixes

        keys = [key for key in ars_prefixes(root.ars) if key != root.ars]
        return list(Region.objects.filter(ars__in=keys).order_by("ars"))
