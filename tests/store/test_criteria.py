"""The seven EfA criteria: assessed with evidence, C6 computed from connected states (≥ 9)."""
import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from directory.models import State
from fitstore.models import AuditEntry
from licensing.choices import SubscriptionStatus
from store import services
from store.criteria import efa_conformant, efa_criteria
from store.models import OnlineService
from tests.licensing.support import subscription

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    # The details are for people and follow the active language; these tests read them in English.
    with translation.override("en"):
        yield

ASSESSED = ("C1", "C2", "C3", "C4", "C5", "C7")


def criteria(slug):
    return {result.code: result for result in efa_criteria(OnlineService.objects.get(slug=slug))}


def test_all_seven_in_order_and_unassessed_ones_are_not_met():
    results = efa_criteria(OnlineService.objects.get(slug="geburtsurkunde"))

    assert [result.code for result in results] == ["C1", "C2", "C3", "C4", "C5", "C6", "C7"]
    assert not any(result.met for result in results)
    assert results[0].detail == "Not assessed yet."


def test_c6_flips_at_the_ninth_state():
    wohngeld = OnlineService.objects.get(slug="wohngeld")  # provider MV; C1–C5 and C7 met in the demo data
    reusing = [code for code in State.objects.exclude(code="MV").order_by("ars").values_list("code", flat=True)][:8]
    for code in reusing[:7]:
        subscription(code, "wohngeld", SubscriptionStatus.CONNECTED)
    subscription(reusing[7], "wohngeld", SubscriptionStatus.ACTIVE)  # active is not connected

    assert criteria("wohngeld")["C6"].met is False
    assert criteria("wohngeld")["C6"].detail.startswith("8 of at least 9 states")
    assert efa_conformant(wohngeld) is False

    services_module_subscription = __import__("licensing.services", fromlist=["connect_subscription"])
    from licensing.models import Subscription

    services_module_subscription.connect_subscription(
        Subscription.objects.get(state__code=reusing[7], online_service=wohngeld), actor="test")

    assert criteria("wohngeld")["C6"].met is True
    assert efa_conformant(OnlineService.objects.get(slug="wohngeld")) is True


def test_assessment_with_evidence_is_audited_once_and_idempotent():
    geburtsurkunde = OnlineService.objects.get(slug="geburtsurkunde")
    rows = AuditEntry.objects.count()

    services.assess_criterion(geburtsurkunde, "C5", met=True, evidence="AG Personenstand, Sitzung 3/2026", actor="test")
    services.assess_criterion(geburtsurkunde, "C5", met=True, evidence="AG Personenstand, Sitzung 3/2026", actor="test")

    assert AuditEntry.objects.count() == rows + 1
    assert criteria("geburtsurkunde")["C5"].met and criteria("geburtsurkunde")["C5"].detail.startswith("AG Personenstand")


@pytest.mark.parametrize(
    "criterion, evidence, field, code",
    [("C6", "x", "criterion", "COMPUTED"), ("C9", "x", "criterion", "INVALID"), ("C1", "  ", "evidence", "REQUIRED")],
)
def test_refused_assessments_name_the_field_and_write_nothing(criterion, evidence, field, code):
    rows = AuditEntry.objects.count()

    with pytest.raises(ValidationError) as raised:
        services.assess_criterion(OnlineService.objects.get(slug="bafoeg"), criterion, met=True, evidence=evidence,
                                  actor="test")

    assert raised.value.error_dict[field][0].code == code
    assert AuditEntry.objects.count() == rows


def test_interfaces_are_recorded_per_standard_and_role():
    bafoeg = OnlineService.objects.get(slug="bafoeg")
    rows = AuditEntry.objects.count()

    services.set_interface(bafoeg, standard="urn:xoev-de:fim:standard:xdatenfelder", version="3.1.0", role="SENDER",
                           actor="test")
    with pytest.raises(ValidationError) as raised:
        services.set_interface(bafoeg, standard="urn:unknown", version="", role="BOTH", actor="test")

    assert set(raised.value.error_dict) == {"standard", "version", "role"}
    assert AuditEntry.objects.count() == rows + 1
    assert bafoeg.interfaces.get(standard__name="xdatenfelder").version == "3.1.0"
