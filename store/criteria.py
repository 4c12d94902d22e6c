"""The seven EfA implementation criteria of an online service (BMI key points, August 2020).

C1–C5 and C7 are assessed by the provider's maintainers with evidence (CriterionAssessment);
C6, "technical connection of a significant number of states (e.g. at least 9)", is computed:
the provider state plus the states with a CONNECTED subscription. A criterion without an
assessment is not met. `efa_conformant` is true when all seven are met.
"""
from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import extensions
from .choices import EfaCriterion

SIGNIFICANT_NUMBER_OF_STATES = 9


@dataclass(frozen=True)
class CriterionResult:
    code: str
    name: str
    met: bool
    detail: str


def connected_states(online_service) -> int:
    """Annotated by list queries (`annotate_connected_states` of the reuse queries), else counted."""
    annotated = getattr(online_service, "connected_states_count", None)
    if annotated is not None:
        return annotated
    return extensions.reuse().connected_states_count(online_service)


def efa_criteria(online_service) -> list[CriterionResult]:
    """All seven criteria in order. Uses the prefetched `criterion_assessments` where present."""
    assessments = {assessment.criterion: assessment for assessment in online_service.criterion_assessments.all()}
    results = []
    for criterion in EfaCriterion:
        if criterion == EfaCriterion.C6:
            count = connected_states(online_service)
            results.append(CriterionResult(
                criterion.value, str(criterion.label), count >= SIGNIFICANT_NUMBER_OF_STATES,
                _("%(count)d of at least %(needed)d states connected (the provider and states with a connected "
                  "subscription).") % {"count": count, "needed": SIGNIFICANT_NUMBER_OF_STATES},
            ))
            continue
        assessment = assessments.get(criterion.value)
        if assessment is None:
            results.append(CriterionResult(criterion.value, str(criterion.label), False, _("Not assessed yet.")))
        else:
            results.append(CriterionResult(criterion.value, str(criterion.label), assessment.met, assessment.evidence))
    return results


def efa_conformant(online_service) -> bool:
    return all(result.met for result in efa_criteria(online_service))
