"""`import_directory` and `export_directory`: the contract's JSON Lines, all or nothing, upsert
by identifier, and export → import into an empty directory → export gives the same file."""
import io
import json

import pytest
from django.core.management import CommandError, call_command

from directory import services
from directory.models import Authority, Endpoint, Responsibility
from fitstore.models import AuditEntry
from tests.directory.fixtures import BERG, ELTERNGELD, SAMTGEMEINDE_BROME, STARNBERG_DISTRICT, WOHNGELD

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled(directory, certificates):
    starnberg = directory.authority("by:lra-starnberg", name="Landratsamt Starnberg")
    directory.endpoint(starnberg, destination_id="9d618546-0ff7-4e93-9f15-714e5dd1bf12",
                       address="https://submission.fit-connect.example/v1")
    directory.endpoint(starnberg, kind="OSCI_XTA", address="https://osci.lra-starnberg.example/xta",
                       service_uri="urn:de:xta:webservice:wohngeld", certificate_pem=certificates.valid)
    directory.responsible(starnberg, WOHNGELD, STARNBERG_DISTRICT, BERG)
    directory.responsible(starnberg, ELTERNGELD, STARNBERG_DISTRICT)
    brome = directory.authority("ni:sg-brome", name="Samtgemeinde Brome – Bürgerbüro", state="NI",
                                ars=SAMTGEMEINDE_BROME, kind="MUNICIPAL")
    directory.endpoint(brome, kind="EMAIL", address="buergerbuero@brome.example")
    directory.responsible(brome, WOHNGELD, SAMTGEMEINDE_BROME)
    federal = directory.authority("bund:bva", name="Bundesverwaltungsamt", ars="09", kind="FEDERAL")
    services.assign_responsibility(federal, leika_key=ELTERNGELD, nationwide=True, actor="test")


def export(*args) -> str:
    out = io.StringIO()
    call_command("export_directory", *args, stdout=out)
    return out.getvalue()


def import_file(tmp_path, text: str) -> str:
    path = tmp_path / "directory.jsonl"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("import_directory", str(path), stdout=out)
    return out.getvalue()


def empty_the_directory():
    Responsibility.objects.all().delete()
    Endpoint.objects.all().delete()
    Authority.objects.all().delete()


def test_export_format(filled):
    lines = [json.loads(line) for line in export().splitlines()]

    assert [line["type"] for line in lines[:5]] == ["authority", "responsibility", "authority", "endpoint", "endpoint"]
    assert list(lines[0]) == ["type", "identifier", "name", "stateCode", "ars", "kind"]
    assert lines[1] == {"type": "responsibility", "authority": "bund:bva", "leikaKey": ELTERNGELD, "ars": [],
                        "nationwide": True}
    endpoint = lines[3]
    assert list(endpoint) == ["type", "authority", "kind", "address", "destinationId", "serviceUri", "certificatePem"]
    assert {line["identifier"] for line in lines if line["type"] == "authority"} == {"bund:bva", "by:lra-starnberg",
                                                                                    "ni:sg-brome"}
    only_ni = [json.loads(line) for line in export("--state", "NI").splitlines()]
    assert {line.get("identifier", line.get("authority")) for line in only_ni} == {"ni:sg-brome"}


def test_round_trip_through_an_empty_directory(filled, tmp_path):
    exported = export()
    empty_the_directory()

    summary = import_file(tmp_path, exported)

    assert export() == exported
    assert summary.startswith(
        "import_directory: 10 lines: authorities 3 new, 0 changed, 0 unchanged; endpoints 3 new, 0 changed, "
        "0 unchanged; responsibilities 4 new, 0 changed, 0 unchanged in "
    )


def test_importing_the_same_file_twice_changes_nothing(filled, tmp_path):
    exported = export()
    audit_rows = AuditEntry.objects.count()

    summary = import_file(tmp_path, exported)

    assert AuditEntry.objects.count() == audit_rows
    assert "0 new, 0 changed" in summary and export() == exported


def test_upsert_by_identifier(filled, tmp_path):
    line = {"type": "authority", "identifier": "by:lra-starnberg", "name": "LRA Starnberg", "stateCode": "BY",
            "ars": STARNBERG_DISTRICT, "kind": "DISTRICT"}

    import_file(tmp_path, json.dumps(line) + "\n")

    assert Authority.objects.get(identifier="by:lra-starnberg").name == "LRA Starnberg"
    assert AuditEntry.objects.latest("id").verb == "update_authority"


def test_any_error_writes_nothing_and_names_the_lines(filled, tmp_path):
    good = {"type": "authority", "identifier": "by:gemeinde-berg", "name": "Gemeinde Berg", "stateCode": "BY",
            "ars": BERG, "kind": "MUNICIPAL"}
    lines = [
        json.dumps(good),
        "{not json",
        json.dumps({**good, "identifier": "by:x", "ars": "0918"}),
        json.dumps({"type": "endpoint", "authority": "by:gemeinde-berg", "kind": "REST", "address": "http://berg.example"}),
        json.dumps({"type": "responsibility", "authority": "by:nobody", "leikaKey": WOHNGELD, "ars": [BERG]}),
        json.dumps({"type": "planet"}),
    ]
    before = (Authority.objects.count(), Endpoint.objects.count(), Responsibility.objects.count(),
              AuditEntry.objects.count())

    with pytest.raises(CommandError) as structural:
        import_file(tmp_path, "\n".join(lines) + "\n")
    assert "line 2" in str(structural.value) and "line 6" in str(structural.value)
    del lines[5], lines[1]
    with pytest.raises(CommandError) as semantic:
        import_file(tmp_path, "\n".join(lines) + "\n")

    message = str(semantic.value)
    assert "line 2: ars:" in message and "line 3: address:" in message and "line 4: authority:" in message
    assert "on lines 2, 3, 4" in message
    assert (Authority.objects.count(), Endpoint.objects.count(), Responsibility.objects.count(),
            AuditEntry.objects.count()) == before


def test_unknown_state_and_unreadable_file(tmp_path):
    with pytest.raises(CommandError):
        export("--state", "XX")
    with pytest.raises(CommandError):
        call_command("import_directory", str(tmp_path / "missing.jsonl"))
