"""GraphQL types of licensing."""
from dataclasses import dataclass
from datetime import datetime

import graphene

from licensing.choices import AccessionStatus as AccessionStatusChoices

from ..core.enums import AccessionStatus


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
