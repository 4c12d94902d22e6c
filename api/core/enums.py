"""GraphQL enums, named as in the contract, built from the apps' `choices.py`."""
import graphene

from directory import choices as directory_choices
from fitstore import choices as fitstore_choices
from licensing import choices as licensing_choices
from store import choices as store_choices


def enum_from_choices(choices, name: str, description: str) -> type[graphene.Enum]:
    """The TextChoices class itself backs the GraphQL enum, so resolvers may return a member
    (`Lifecycle.PLANNED`) or its stored value ("PLANNED") alike."""
    assert all(member.name == member.value for member in choices), f"{choices.__name__}: values must be the names"
    return graphene.Enum.from_enum(choices, name=name, description=description)


def enum_from_members(members, name: str, description: str) -> type[graphene.Enum]:
    """A GraphQL enum of some members of a TextChoices class (values are the names)."""
    assert all(member.name == member.value for member in members), f"{name}: values must be the names"
    return graphene.Enum(name, [(member.name, member.value) for member in members], description=description)


Lifecycle = enum_from_choices(store_choices.Lifecycle, "Lifecycle", "Lifecycle of an online service.")
InterfaceRole = enum_from_choices(
    store_choices.InterfaceRole, "InterfaceRole", "Whether an online service sends or receives through an interface."
)
EfaCriterionCode = enum_from_choices(
    store_choices.EfaCriterion, "EfaCriterionCode", "The seven EfA implementation criteria C1 … C7."
)
RegionLevel = enum_from_choices(
    directory_choices.RegionLevel, "RegionLevel", "Level of a region in the ARS hierarchy (Gebietsebene)."
)
AuthorityKind = enum_from_choices(directory_choices.AuthorityKind, "AuthorityKind", "Kind of authority (Behördenart).")
EndpointKind = enum_from_choices(
    directory_choices.EndpointKind, "EndpointKind", "Kind of technical address (FIT-Connect, OSCI/XTA, REST, e-mail)."
)
AccessionStatus = enum_from_choices(
    licensing_choices.AccessionStatus, "AccessionStatus", "A state's accession to the FIT-Store (Beitritt)."
)
SubscriptionStatus = enum_from_choices(
    licensing_choices.SubscriptionStatus, "SubscriptionStatus", "Step of the FIT-Store reuse procedure."
)
LegalBasis = enum_from_choices(
    licensing_choices.LegalBasis, "LegalBasis", "Legal basis of reuse: the FIT-Store or an administrative agreement."
)
AllocationKey = enum_from_choices(licensing_choices.AllocationKey, "AllocationKey", "How costs are shared.")
OperatingModel = enum_from_choices(licensing_choices.OperatingModel, "OperatingModel", "Who operates the online service.")
ChangeAction = enum_from_members(
    fitstore_choices.AuditAction.writes(), "ChangeAction", "What a write did to an object of the directory."
)
WebhookStatus = enum_from_choices(
    directory_choices.WebhookStatus, "WebhookStatus",
    "Whether deliveries to a webhook arrive (ACTIVE) or the last one was dropped after its retries (FAILING).",
)
