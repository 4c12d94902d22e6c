"""licensing.services: accession, reuse terms and the FIT-Store procedure, refusals writing nothing."""
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from fitstore.models import AuditEntry
from licensing import services
from licensing.choices import AccessionStatus, AllocationKey, LegalBasis, OperatingModel, SubscriptionStatus
from licensing.models import Accession, FrameworkAgreement, ReuseTerms, Subscription, SubscriptionEvent

from .support import ACTOR, joined, online_service, state, subscription, terms

S = SubscriptionStatus


def codes(error: ValidationError) -> dict[str, list[str]]:
    return {field: [item.code for item in items] for field, items in error.error_dict.items()}


def counts():
    return (Accession.objects.count(), ReuseTerms.objects.count(), Subscription.objects.count(),
            SubscriptionEvent.objects.count(), AuditEntry.objects.count())


@pytest.fixture
def unchanged():
    """Asserts at the end of the test that nothing was written."""
    before = counts()
    yield
    assert counts() == before


# --- Accession ---------------------------------------------------------------------------------


def test_join_signs_the_agreement_in_force_with_one_audit_row():
    before = AuditEntry.objects.count()

    accession = services.join_store(state("BY"), signatory="Dr. Muster", actor=ACTOR)

    assert accession.status == AccessionStatus.SIGNED and accession.signatory == "Dr. Muster"
    assert accession.agreement == FrameworkAgreement.objects.get(version="1")
    entry = AuditEntry.objects.latest("id")
    assert AuditEntry.objects.count() == before + 1
    assert (entry.verb, entry.action, entry.actor_label) == ("join_store", "CREATED", ACTOR)


def test_joining_twice_names_the_state():
    joined("BY")
    before = counts()

    with pytest.raises(ValidationError) as caught:
        services.join_store(state("BY"), signatory="Noch einmal", actor=ACTOR)

    assert codes(caught.value) == {"state_code": ["ALREADY_JOINED"]}
    assert counts() == before


def test_join_needs_a_signatory(unchanged):
    with pytest.raises(ValidationError) as caught:
        services.join_store(state("BY"), signatory="  ", actor=ACTOR)

    assert codes(caught.value) == {"signatory": ["REQUIRED"]}


def test_withdraw_and_join_again_reuses_the_accession():
    first = joined("HE").accession

    withdrawn = services.withdraw_from_store(state("HE"), actor=ACTOR, reason="Haushalt")
    again = services.join_store(state("HE"), signatory="Neue Unterschrift", actor=ACTOR)

    assert withdrawn.status == AccessionStatus.WITHDRAWN and withdrawn.withdrawn_at
    assert again.pk == first.pk and again.status == AccessionStatus.SIGNED and again.withdrawn_at is None
    assert again.signatory == "Neue Unterschrift"
    verbs = list(AuditEntry.objects.filter(object_id=str(first.pk), verb__in=["join_store", "withdraw_from_store"])
                 .order_by("id").values_list("verb", flat=True))
    assert verbs == ["join_store", "withdraw_from_store", "join_store"]


def test_withdraw_without_accession_is_refused(unchanged):
    with pytest.raises(ValidationError) as caught:
        services.withdraw_from_store(state("SL"), actor=ACTOR)

    assert codes(caught.value) == {"state_code": ["NOT_JOINED"]}


# --- Reuse terms -------------------------------------------------------------------------------


def test_set_reuse_terms_normalises_and_audits():
    created = services.set_reuse_terms(
        online_service("wohngeld"), annual_cost="125000", one_time_cost=Decimal("2500.5"),
        allocation_key=AllocationKey.IT_PLR_2023_35, license="eupl-1.2 or mit", operating_model=OperatingModel.CENTRAL,
        legal_bases=[LegalBasis.ADMINISTRATIVE_AGREEMENT, "FIT_STORE", "FIT_STORE"], actor=ACTOR,
    )

    created.refresh_from_db()
    assert str(created.annual_cost) == "125000.00" and str(created.one_time_cost) == "2500.50"
    assert created.license == "EUPL-1.2 OR MIT"
    assert created.legal_bases == ["FIT_STORE", "ADMINISTRATIVE_AGREEMENT"]
    assert AuditEntry.objects.latest("id").verb == "set_reuse_terms"


def test_changing_one_value_keeps_the_others_and_no_change_writes_nothing():
    terms("wohngeld")
    before = AuditEntry.objects.count()

    changed = services.set_reuse_terms(online_service("wohngeld"), annual_cost="90000.00", license="", actor=ACTOR)
    services.set_reuse_terms(online_service("wohngeld"), annual_cost="90000", actor=ACTOR)

    assert changed.annual_cost == Decimal("90000.00") and changed.license == "EUPL-1.2"
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.latest("id")
    assert entry.before["annual_cost"] == "100000.00" and entry.after["annual_cost"] == "90000.00"


@pytest.mark.parametrize("field, value, code", [
    ("annual_cost", "-1.00", "NEGATIVE_AMOUNT"),
    ("annual_cost", "12,50", "INVALID"),
    ("annual_cost", "1e5", "INVALID"),
    ("one_time_cost", "0.001", "INVALID"),
    ("one_time_cost", "abc", "INVALID"),
    ("license", "Foo-1.0", "INVALID_LICENSE"),
    ("license", "MIT OR", "INVALID_LICENSE"),
    ("allocation_key", "BY_AREA", "INVALID"),
    ("operating_model", "CLOUD", "INVALID"),
    ("legal_bases", [], "INVALID"),
    ("legal_bases", ["HANDSHAKE"], "INVALID"),
])
def test_bad_terms_name_the_field_and_write_nothing(field, value, code, unchanged):
    values = dict(annual_cost="1.00", one_time_cost="0", allocation_key="EQUAL", license="MIT", operating_model="CENTRAL",
                  legal_bases=["FIT_STORE"])
    values[field] = value

    with pytest.raises(ValidationError) as caught:
        services.set_reuse_terms(online_service("bafoeg"), actor=ACTOR, **values)

    assert codes(caught.value) == {field: [code]}


def test_first_terms_need_every_value(unchanged):
    with pytest.raises(ValidationError) as caught:
        services.set_reuse_terms(online_service("bafoeg"), annual_cost="1.00", actor=ACTOR)

    assert set(codes(caught.value)) == {"one_time_cost", "allocation_key", "license", "operating_model", "legal_bases"}


# --- Subscriptions -----------------------------------------------------------------------------


def test_the_whole_procedure_with_events_and_audit_rows(make_user, django_capture_on_commit_callbacks):
    coordinator = make_user("koordination-by", role="coordinator", state="BY")
    maintainer = make_user("pflege-wohngeld", role="maintainer", online_service="wohngeld")
    joined("BY")

    with django_capture_on_commit_callbacks(execute=True):
        sub = services.subscribe(state("BY"), online_service("wohngeld"), legal_basis="FIT_STORE", actor=coordinator)
    sub = services.confirm_subscription(sub, accept=True, note="Bedingungen bestätigt", actor=maintainer)
    sub = services.connect_subscription(sub, actor=coordinator)
    sub = services.terminate_subscription(sub, reason="Eigenentwicklung", actor=coordinator)

    assert sub.status == S.TERMINATED and sub.confirmed_at and sub.connected_at and sub.ended_at
    events = list(sub.events.values_list("from_status", "to_status", "actor_label", "note"))
    assert events == [
        ("", S.REQUESTED, "koordination-by", ""),
        (S.REQUESTED, S.ACTIVE, "pflege-wohngeld", "Bedingungen bestätigt"),
        (S.ACTIVE, S.CONNECTED, "koordination-by", ""),
        (S.CONNECTED, S.TERMINATED, "koordination-by", "Eigenentwicklung"),
    ]
    audit = list(AuditEntry.objects.filter(object_id=str(sub.pk), object_type__model="subscription")
                 .order_by("id").values_list("verb", "actor__username"))
    assert audit == [("subscribe", "koordination-by"), ("confirm_subscription", "pflege-wohngeld"),
                     ("connect_subscription", "koordination-by"), ("terminate_subscription", "koordination-by")]


def test_a_request_mails_the_maintainers_after_commit(make_user, django_capture_on_commit_callbacks):
    first = make_user("pflege-1", role="maintainer", online_service="wohngeld")
    second = make_user("pflege-2", role="maintainer", online_service="wohngeld")
    make_user("pflege-anderer", role="maintainer", online_service="elterngeld")
    for user, address in ((first, "eins@example.org"), (second, "zwei@example.org")):
        user.email = address
        user.save()

    with django_capture_on_commit_callbacks() as callbacks:
        services.subscribe(state("NW"), online_service("wohngeld"), legal_basis="ADMINISTRATIVE_AGREEMENT", actor=ACTOR)
        assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["eins@example.org", "zwei@example.org"]
    assert "Nordrhein-Westfalen" in message.subject and "Wohngeld" in message.subject


def test_a_refused_request_mails_nobody(make_user, django_capture_on_commit_callbacks):
    make_user("pflege-1", role="maintainer", online_service="wohngeld")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(ValidationError):
            services.subscribe(state("NW"), online_service("wohngeld"), legal_basis="FIT_STORE", actor=ACTOR)

    assert callbacks == [] and mail.outbox == []


def test_fit_store_needs_accession(unchanged):
    with pytest.raises(ValidationError) as caught:
        services.subscribe(state("NW"), online_service("wohngeld"), legal_basis=LegalBasis.FIT_STORE, actor=ACTOR)

    assert codes(caught.value) == {"legal_basis": ["ACCESSION_REQUIRED"]}


def test_fit_store_after_withdrawal_is_refused():
    joined("NW")
    services.withdraw_from_store(state("NW"), actor=ACTOR)
    before = counts()

    with pytest.raises(ValidationError) as caught:
        services.subscribe(state("NW"), online_service("wohngeld"), legal_basis=LegalBasis.FIT_STORE, actor=ACTOR)

    assert codes(caught.value) == {"legal_basis": ["ACCESSION_REQUIRED"]}
    assert counts() == before


def test_the_provider_cannot_subscribe_to_its_own_service(unchanged):
    with pytest.raises(ValidationError) as caught:
        services.subscribe(state("MV"), online_service("wohngeld"), legal_basis="ADMINISTRATIVE_AGREEMENT", actor=ACTOR)

    assert codes(caught.value) == {"state_code": ["OWN_SERVICE"]}


def test_the_terms_must_allow_the_legal_basis():
    terms("wohngeld", legal_bases=[LegalBasis.FIT_STORE])
    before = counts()

    with pytest.raises(ValidationError) as caught:
        services.subscribe(state("NW"), online_service("wohngeld"), legal_basis="ADMINISTRATIVE_AGREEMENT", actor=ACTOR)

    assert codes(caught.value) == {"legal_basis": ["LEGAL_BASIS_NOT_ALLOWED"]}
    assert counts() == before


@pytest.mark.parametrize("status", [S.REQUESTED, S.ACTIVE, S.CONNECTED])
def test_a_second_open_subscription_is_refused(status):
    subscription("NW", "wohngeld", status)
    before = counts()

    with pytest.raises(ValidationError) as caught:
        services.subscribe(state("NW"), online_service("wohngeld"), legal_basis="ADMINISTRATIVE_AGREEMENT", actor=ACTOR)

    assert codes(caught.value) == {"online_service": ["ALREADY_SUBSCRIBED"]}
    assert counts() == before


@pytest.mark.parametrize("status", [S.DECLINED, S.TERMINATED])
def test_after_a_closed_subscription_the_state_may_ask_again(status):
    subscription("NW", "wohngeld", status)

    again = services.subscribe(state("NW"), online_service("wohngeld"), legal_basis="ADMINISTRATIVE_AGREEMENT", actor=ACTOR)

    assert again.status == S.REQUESTED
    assert Subscription.objects.filter(state__code="NW", online_service__slug="wohngeld").count() == 2


def test_the_database_refuses_a_second_open_subscription_the_service_did_not_see(monkeypatch):
    subscription("NW", "wohngeld", S.ACTIVE)
    monkeypatch.setattr(services, "_open_subscription_exists", lambda state, online_service: False)
    before = counts()

    with pytest.raises(ValidationError) as caught:
        services.subscribe(state("NW"), online_service("wohngeld"), legal_basis="ADMINISTRATIVE_AGREEMENT", actor=ACTOR)

    assert codes(caught.value) == {"online_service": ["ALREADY_SUBSCRIBED"]}
    assert counts() == before


TRANSITIONS = {
    "confirm": lambda sub: services.confirm_subscription(sub, accept=True, actor=ACTOR),
    "decline": lambda sub: services.confirm_subscription(sub, accept=False, actor=ACTOR),
    "connect": lambda sub: services.connect_subscription(sub, actor=ACTOR),
    "terminate": lambda sub: services.terminate_subscription(sub, reason="", actor=ACTOR),
}
ALLOWED_FROM = {
    "confirm": {S.REQUESTED}, "decline": {S.REQUESTED}, "connect": {S.ACTIVE},
    "terminate": {S.REQUESTED, S.ACTIVE, S.CONNECTED},
}


@pytest.mark.parametrize("transition, status", [
    (transition, status) for transition in TRANSITIONS for status in S.values if status not in ALLOWED_FROM[transition]
])
def test_a_step_from_the_wrong_status_names_the_rule_and_writes_nothing(transition, status):
    sub = subscription("NW", "wohngeld", status)
    before = counts()

    with pytest.raises(ValidationError) as caught:
        TRANSITIONS[transition](sub)

    assert codes(caught.value) == {"status": ["INVALID_TRANSITION"]}
    assert counts() == before
    sub.refresh_from_db()
    assert sub.status == status


def test_decline_ends_the_request():
    sub = services.confirm_subscription(subscription("NW", "wohngeld"), accept=False, note="Kein Betrieb", actor=ACTOR)

    assert sub.status == S.DECLINED and sub.confirmed_at and sub.ended_at
    assert AuditEntry.objects.latest("id").verb == "decline_subscription"


def test_confirming_under_fit_store_after_withdrawal_is_refused():
    joined("NW")
    sub = subscription("NW", "wohngeld", legal_basis=LegalBasis.FIT_STORE)
    services.withdraw_from_store(state("NW"), actor=ACTOR)
    before = counts()

    with pytest.raises(ValidationError) as caught:
        services.confirm_subscription(sub, accept=True, actor=ACTOR)

    assert codes(caught.value) == {"accept": ["ACCESSION_REQUIRED"]}
    assert counts() == before
