"""directory.services: the only write path of the directory. Each write is audited once per
changed object; bad input names the field with a code and writes nothing."""
import contextlib

import pytest
from django.core.exceptions import ValidationError

from directory import services
from directory.models import Authority, Endpoint, Responsibility
from fitstore.models import AuditEntry
from tests.directory.fixtures import BERG, SAMTGEMEINDE_BROME, STARNBERG_DISTRICT, WOHNGELD

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def nothing_written():
    counts = lambda: (Authority.objects.count(), Endpoint.objects.count(), Responsibility.objects.count(),  # noqa: E731
                      AuditEntry.objects.count())
    before = counts()
    yield
    assert counts() == before


def field_error(raised: pytest.ExceptionInfo) -> tuple[str, str]:
    """(field, code) of the single field error."""
    errors = raised.value.error_dict
    assert len(errors) == 1, errors
    field, items = next(iter(errors.items()))
    return field, items[0].code


def register(**overrides):
    data = {"identifier": "by:lra-starnberg", "name": "Landratsamt Starnberg", "state_code": "BY",
            "ars": STARNBERG_DISTRICT, "kind": "DISTRICT"}
    return services.register_authority(**{**data, **overrides}, actor="test")


# --- authorities -----------------------------------------------------------------------------------

def test_register_authority_writes_one_audit_row():
    before = AuditEntry.objects.count()

    authority = register()

    assert authority.state.code == "BY" and authority.region.name == "Starnberg" and authority.active
    assert authority.origin == ""
    entry = AuditEntry.objects.latest("id")
    assert AuditEntry.objects.count() == before + 1
    assert (entry.verb, entry.action, entry.object_id) == ("register_authority", "CREATED", str(authority.pk))
    assert entry.after["identifier"] == "by:lra-starnberg" and entry.after["state_code"] == "BY"


@pytest.mark.parametrize(
    "overrides, field, code",
    [
        ({"identifier": "lra-starnberg"}, "identifier", "INVALID_IDENTIFIER"),
        ({"identifier": "BY: lra starnberg"}, "identifier", "INVALID_IDENTIFIER"),
        ({"identifier": ""}, "identifier", "REQUIRED"),
        ({"name": "  "}, "name", "REQUIRED"),
        ({"ars": "0918"}, "ars", "INVALID_ARS"),
        ({"ars": "0918801131130"}, "ars", "INVALID_ARS"),
        ({"ars": "09999"}, "ars", "UNKNOWN_REGION"),
        ({"ars": SAMTGEMEINDE_BROME}, "ars", "REGION_OUTSIDE_STATE"),
        ({"state_code": "XX"}, "state_code", "UNKNOWN_STATE"),
        ({"kind": "PLANET"}, "kind", "INVALID"),
    ],
)
def test_register_authority_refuses_bad_input_and_writes_nothing(overrides, field, code):
    with nothing_written(), pytest.raises(ValidationError) as raised:
        register(**overrides)

    assert field_error(raised) == (field, code)


def test_identifier_taken():
    register()

    with nothing_written(), pytest.raises(ValidationError) as raised:
        register(name="Another")

    assert field_error(raised) == ("identifier", "UNIQUE")


def test_update_authority_audits_changes_only():
    authority = register()
    before = AuditEntry.objects.count()

    services.update_authority(authority, name="Landratsamt Starnberg", actor="test")  # unchanged
    updated = services.update_authority(authority, name="LRA Starnberg", ars=BERG, actor="test")

    assert (updated.name, updated.region_id) == ("LRA Starnberg", BERG)
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.latest("id")
    assert entry.action == "UPDATED" and entry.before["name"] == "Landratsamt Starnberg"
    assert entry.after["name"] == "LRA Starnberg"


def test_update_authority_keeps_the_seat_in_its_state():
    authority = register()

    with nothing_written(), pytest.raises(ValidationError) as raised:
        services.update_authority(authority, ars=SAMTGEMEINDE_BROME, actor="test")

    assert field_error(raised) == ("ars", "REGION_OUTSIDE_STATE")


def test_deactivate_authority_once():
    authority = register()

    services.deactivate_authority(authority, actor="test")
    authority.refresh_from_db()

    assert not authority.active
    with nothing_written(), pytest.raises(ValidationError) as raised:
        services.deactivate_authority(authority, actor="test")
    assert field_error(raised) == ("identifier", "INACTIVE")


# --- endpoints -------------------------------------------------------------------------------------

def test_register_fit_connect_endpoint():
    authority = register()
    before = AuditEntry.objects.count()

    endpoint = services.register_endpoint(
        authority, kind="FIT_CONNECT", address="https://submission-api.fit-connect.example/v1",
        destination_id="9d618546-0ff7-4e93-9f15-714e5dd1bf12", actor="test",
    )

    assert str(endpoint.destination_id) == "9d618546-0ff7-4e93-9f15-714e5dd1bf12"
    assert AuditEntry.objects.count() == before + 1
    assert AuditEntry.objects.latest("id").verb == "register_endpoint"


def test_register_osci_endpoint_parses_the_certificate(certificates):
    authority = register()

    endpoint = services.register_endpoint(
        authority, kind="OSCI_XTA", address="https://osci.lra-starnberg.example/xta",
        service_uri="urn:de:xta:webservice:bauen", certificate_pem=certificates.valid, actor="test",
    )

    assert endpoint.certificate_fingerprint_sha256 == certificates.valid_fingerprint
    assert len(endpoint.certificate_fingerprint_sha256) == 64 and endpoint.certificate_fingerprint_sha256.islower()
    assert "CN=osci.lra-starnberg.example" in endpoint.certificate_subject
    assert endpoint.certificate_issuer == endpoint.certificate_subject  # self-signed
    assert endpoint.certificate_serial and endpoint.certificate_not_after > endpoint.certificate_not_before
    assert "certificate_pem" not in AuditEntry.objects.latest("id").after


def test_register_email_endpoint():
    endpoint = services.register_endpoint(register(), kind="EMAIL", address="poststelle@lra-starnberg.example",
                                          actor="test")

    assert endpoint.kind == "EMAIL"


@pytest.mark.parametrize(
    "data, field, code",
    [
        ({"kind": "REST", "address": "http://lra-starnberg.example/api"}, "address", "INVALID_ADDRESS"),
        ({"kind": "REST", "address": "ftp://lra-starnberg.example"}, "address", "INVALID_ADDRESS"),
        ({"kind": "REST", "address": ""}, "address", "REQUIRED"),
        ({"kind": "EMAIL", "address": "https://lra-starnberg.example"}, "address", "INVALID_ADDRESS"),
        ({"kind": "FIT_CONNECT", "address": "https://fc.example/v1"}, "destination_id", "REQUIRED"),
        ({"kind": "FIT_CONNECT", "address": "https://fc.example/v1", "destination_id": "not-a-uuid"},
         "destination_id", "INVALID_DESTINATION_ID"),
        ({"kind": "OSCI_XTA", "address": "https://osci.example/xta"}, "certificate_pem", "CERTIFICATE_REQUIRED"),
        ({"kind": "OSCI_XTA", "address": "https://osci.example/xta", "certificate_pem": "garbage"},
         "certificate_pem", "INVALID_CERTIFICATE"),
        ({"kind": "OSCI_XTA", "address": "https://osci.example/xta", "certificate_pem": "GARBAGE_PEM"},
         "certificate_pem", "INVALID_CERTIFICATE"),
        ({"kind": "OSCI_XTA", "address": "https://osci.example/xta", "certificate_pem": "EXPIRED_PEM"},
         "certificate_pem", "CERTIFICATE_EXPIRED"),
        ({"kind": "SMOKE_SIGNAL", "address": "https://x.example"}, "kind", "INVALID"),
    ],
)
def test_register_endpoint_refuses_bad_input_and_writes_nothing(data, field, code, certificates):
    authority = register()
    pem = {"GARBAGE_PEM": certificates.garbage, "EXPIRED_PEM": certificates.expired}
    if data.get("certificate_pem") in pem:
        data = {**data, "certificate_pem": pem[data["certificate_pem"]]}

    with nothing_written(), pytest.raises(ValidationError) as raised:
        services.register_endpoint(authority, **data, actor="test")

    assert field_error(raised) == (field, code)


def test_the_same_active_address_twice_is_refused():
    authority = register()
    services.register_endpoint(authority, kind="EMAIL", address="post@lra.example", actor="test")

    with nothing_written(), pytest.raises(ValidationError) as raised:
        services.register_endpoint(authority, kind="EMAIL", address="post@lra.example", actor="test")

    assert field_error(raised) == ("address", "UNIQUE")


def test_no_endpoint_for_an_inactive_authority():
    authority = register()
    services.deactivate_authority(authority, actor="test")

    with nothing_written(), pytest.raises(ValidationError) as raised:
        services.register_endpoint(authority, kind="EMAIL", address="post@lra.example", actor="test")

    assert field_error(raised) == ("authority", "INACTIVE")


def test_deactivate_endpoint():
    endpoint = services.register_endpoint(register(), kind="EMAIL", address="post@lra.example", actor="test")

    services.deactivate_endpoint(endpoint, actor="test")

    endpoint.refresh_from_db()
    assert not endpoint.active
    assert AuditEntry.objects.latest("id").before["active"] is True
    with pytest.raises(ValidationError):
        services.deactivate_endpoint(endpoint, actor="test")


# --- responsibilities --------------------------------------------------------------------------------

def test_assign_responsibility_creates_then_adds_regions():
    authority = register()
    before = AuditEntry.objects.count()

    first = services.assign_responsibility(authority, leika_key=WOHNGELD, ars=[STARNBERG_DISTRICT], actor="test")
    again = services.assign_responsibility(authority, leika_key=WOHNGELD, ars=[STARNBERG_DISTRICT], actor="test")
    more = services.assign_responsibility(authority, leika_key=WOHNGELD, ars=[BERG, STARNBERG_DISTRICT], actor="test")

    assert first.pk == again.pk == more.pk
    assert sorted(more.regions.values_list("ars", flat=True)) == [STARNBERG_DISTRICT, BERG]
    entries = list(AuditEntry.objects.filter(id__gt=0).order_by("-id")[:2])
    assert AuditEntry.objects.count() == before + 2  # created, then one update; the repeat wrote nothing
    assert [entry.action for entry in entries] == ["UPDATED", "CREATED"]
    assert entries[0].before["regions"] == [STARNBERG_DISTRICT] and entries[0].after["regions"] == [STARNBERG_DISTRICT, BERG]
    assert entries[0].after["leika_key"] == WOHNGELD


@pytest.mark.parametrize(
    "leika_key, ars, field, code",
    [
        ("9910702300000", [BERG], "leika_key", "INVALID_LEIKA_KEY"),
        ("12107023000000", [BERG], "leika_key", "INVALID_LEIKA_KEY"),
        ("99999999999999", [BERG], "leika_key", "UNKNOWN_LEIKA_KEY"),
        (WOHNGELD, ["0918"], "ars", "INVALID_ARS"),
        (WOHNGELD, ["099999999999"], "ars", "UNKNOWN_REGION"),
        (WOHNGELD, [BERG, SAMTGEMEINDE_BROME], "ars", "REGION_OUTSIDE_STATE"),
        (WOHNGELD, [], "ars", "REQUIRED"),
    ],
)
def test_assign_responsibility_refuses_bad_input_and_writes_nothing(leika_key, ars, field, code):
    authority = register()

    with nothing_written(), pytest.raises(ValidationError) as raised:
        services.assign_responsibility(authority, leika_key=leika_key, ars=ars, actor="test")

    assert field_error(raised) == (field, code)


def test_only_federal_authorities_are_responsible_nationwide():
    federal = register(identifier="bund:bzst", kind="FEDERAL")
    district = register(identifier="by:y")
    with nothing_written(), pytest.raises(ValidationError) as raised:
        services.assign_responsibility(district, leika_key=WOHNGELD, nationwide=True, actor="test")
    assert field_error(raised) == ("nationwide", "INVALID")

    responsibility = services.assign_responsibility(federal, leika_key=WOHNGELD, nationwide=True, actor="test")

    assert responsibility.nationwide and not responsibility.regions.exists()


def test_withdraw_part_then_all():
    authority = register()
    services.assign_responsibility(authority, leika_key=WOHNGELD, ars=[STARNBERG_DISTRICT, BERG], actor="test")

    remaining = services.withdraw_responsibility(authority, leika_key=WOHNGELD, ars=[BERG], actor="test")
    assert list(remaining.regions.values_list("ars", flat=True)) == [STARNBERG_DISTRICT]
    assert AuditEntry.objects.latest("id").action == "UPDATED"

    assert services.withdraw_responsibility(authority, leika_key=WOHNGELD, actor="test") is None
    entry = AuditEntry.objects.latest("id")
    assert entry.action == "DELETED" and entry.before["regions"] == [STARNBERG_DISTRICT] and entry.after is None
    assert not Responsibility.objects.exists()


def test_withdraw_what_is_not_assigned():
    authority = register()

    with nothing_written(), pytest.raises(ValidationError) as raised:
        services.withdraw_responsibility(authority, leika_key=WOHNGELD, actor="test")

    assert field_error(raised) == ("leika_key", "NOT_FOUND")
