"""GraphQL types of the store's catalogue (the OZG catalogue and online services)."""
import graphene
from graphene import relay
from graphene_django import DjangoObjectType

from store.models import LeikaService, LifeSituation, OnlineService, OzgService, Topic

from ..core.enums import Lifecycle
from ..core.types import CountableConnection


class TopicType(DjangoObjectType):
    """An OZG topic (Themenfeld)."""

    class Meta:
        model = Topic
        name = "Topic"
        interfaces = (relay.Node,)
        fields = ("id", "code", "name")
        connection_class = CountableConnection


class LifeSituationType(DjangoObjectType):
    """A life or business situation (Lebenslage / Geschäftslage)."""

    class Meta:
        model = LifeSituation
        name = "LifeSituation"
        interfaces = (relay.Node,)
        fields = ("id", "code", "name", "topic")
        connection_class = CountableConnection


class OzgServiceType(DjangoObjectType):
    """An OZG-Leistung of the OZG-Umsetzungskatalog."""

    class Meta:
        model = OzgService
        name = "OzgService"
        interfaces = (relay.Node,)
        fields = ("id", "ozg_id", "name", "life_situation", "topic")
        connection_class = CountableConnection


class LeikaServiceType(DjangoObjectType):
    """A service of the Leistungskatalog (LeiKa), identified by its 14-digit key."""

    leika_key = graphene.String(description="LeiKa key (14 digits, starting with 99); null for the few services not in the LeiKa.")

    class Meta:
        model = LeikaService
        name = "LeikaService"
        interfaces = (relay.Node,)
        fields = ("id", "leika_key", "name", "leika_type", "ozg_service", "legal_basis", "law_abbreviation", "sdg_relevant")
        connection_class = CountableConnection


class OnlineServiceType(DjangoObjectType):
    """An EfA online service: built once by the provider state, reused by others (EfA-Online-Dienst)."""

    lifecycle = graphene.Field(Lifecycle, required=True)
    is_demo = graphene.Boolean(required=True, description="Example data of the demo catalogue, not a real service.")

    class Meta:
        model = OnlineService
        name = "OnlineService"
        interfaces = (relay.Node,)
        fields = (
            "id", "slug", "name", "summary", "description", "provider_state", "responsible_ministry", "it_provider",
            "lifecycle", "maturity_level", "topic", "is_demo",
        )
        connection_class = CountableConnection
        convert_choices_to_enum = False
