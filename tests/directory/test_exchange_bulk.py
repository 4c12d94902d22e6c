"""The bulk path of `import_directory`: the audit rows it writes are those the services write,
the change feed lists every imported change in the order the lines apply, changes within one
file chain their before/after, and errors carry the services' own messages with the line numbers."""
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation
from graphql_relay import to_global_id

from directory import services
from directory.models import Authority, Endpoint, Responsibility
from fitstore.models import AuditEntry
from tests.api.directory.test_directory_changes import DIRECTORY_CHANGES_QUERY
from tests.directory.fixtures import BERG, ELTERNGELD, SAMTGEMEINDE_BROME, STARNBERG_CITY, STARNBERG_DISTRICT, WOHNGELD
from tests.directory.test_exchange import empty_the_directory, export, filled, import_file  # noqa: F401

pytestmark = pytest.mark.django_db

VOLATILE = {"id", "created_at", "updated_at", "authority_id", "service_id"}  # ids and clocks differ by nature


def directory_audit(after_id=0):
    return list(AuditEntry.objects.filter(id__gt=after_id, object_type__app_label="directory").order_by("id"))


def comparable(entry):
    def strip(data):
        return None if data is None else {key: value for key, value in data.items() if key not in VOLATILE}

    return (entry.verb, entry.action, entry.object_type.model, entry.object_repr,
            json.dumps(strip(entry.before), sort_keys=True), json.dumps(strip(entry.after), sort_keys=True))


def test_the_import_audits_as_the_services_do(filled, tmp_path):  # noqa: F811
    written_by_services = directory_audit()
    exported = export()
    empty_the_directory()
    last = AuditEntry.objects.latest("id").id

    import_file(tmp_path, exported)

    imported = directory_audit(last)
    assert sorted(map(comparable, imported)) == sorted(map(comparable, written_by_services))
    assert all(set(a.after) == set(b.after) for a, b in zip(
        sorted(imported, key=comparable), sorted(written_by_services, key=comparable)))
    for entry in imported:
        assert entry.actor_label == "system:import_directory" and entry.request_id.startswith("cmd-import_directory-")
        model = {"authority": Authority, "endpoint": Endpoint, "responsibility": Responsibility}[entry.object_type.model]
        assert model.objects.filter(pk=int(entry.object_id)).exists() and entry.after["id"] == int(entry.object_id)


def test_the_change_feed_lists_every_imported_change_in_the_order_applied(directory, tmp_path, graphql, make_user,
                                                                   make_token):
    lines = [
        {"type": "responsibility", "authority": "by:gemeinde-berg", "leikaKey": WOHNGELD, "ars": [BERG]},
        {"type": "endpoint", "authority": "by:gemeinde-berg", "kind": "EMAIL", "address": "post@berg.example"},
        {"type": "authority", "identifier": "by:gemeinde-berg", "name": "Gemeinde Berg", "stateCode": "BY",
         "ars": BERG, "kind": "MUNICIPAL"},
        {"type": "authority", "identifier": "by:stadt-starnberg", "name": "Stadt Starnberg", "stateCode": "BY",
         "ars": STARNBERG_CITY, "kind": "MUNICIPAL"},
        {"type": "responsibility", "authority": "by:stadt-starnberg", "leikaKey": WOHNGELD, "ars": [STARNBERG_CITY]},
    ]
    token = make_token(make_user("gateway", role="gateway"))
    seen = graphql.data(DIRECTORY_CHANGES_QUERY, {"first": 100}, token=token)["directoryChanges"]["pageInfo"]["endCursor"]

    import_file(tmp_path, "".join(json.dumps(line) + "\n" for line in lines))

    feed = graphql.data(DIRECTORY_CHANGES_QUERY, {"after": seen, "first": 100}, token=token)["directoryChanges"]
    berg, starnberg = Authority.objects.get(identifier="by:gemeinde-berg"), Authority.objects.get(identifier="by:stadt-starnberg")
    expected = [
        ("Authority", to_global_id("Authority", berg.pk)),
        ("Authority", to_global_id("Authority", starnberg.pk)),
        ("Endpoint", to_global_id("Endpoint", berg.endpoints.get().pk)),
        ("Responsibility", to_global_id("Responsibility", berg.responsibilities.get().pk)),
        ("Responsibility", to_global_id("Responsibility", starnberg.responsibilities.get().pk)),
    ]
    assert [(edge["node"]["objectType"], edge["node"]["objectId"]) for edge in feed["edges"]] == expected
    assert {edge["node"]["action"] for edge in feed["edges"]} == {"CREATED"}


def test_changes_to_one_object_within_a_file_chain_before_and_after(filled, tmp_path):  # noqa: F811
    starnberg = Authority.objects.get(identifier="by:lra-starnberg")
    fit_connect = starnberg.endpoints.get(kind="FIT_CONNECT")
    last = AuditEntry.objects.latest("id").id
    lines = [
        {"type": "authority", "identifier": "ni:sg-parsau", "name": "Parsau", "stateCode": "NI",
         "ars": SAMTGEMEINDE_BROME, "kind": "MUNICIPAL"},
        {"type": "authority", "identifier": "ni:sg-parsau", "name": "Gemeinde Parsau", "stateCode": "NI",
         "ars": SAMTGEMEINDE_BROME, "kind": "MUNICIPAL"},
        {"type": "authority", "identifier": "by:lra-starnberg", "name": "LRA Starnberg", "stateCode": "BY",
         "ars": STARNBERG_DISTRICT, "kind": "DISTRICT"},
        {"type": "endpoint", "authority": "by:lra-starnberg", "kind": "FIT_CONNECT", "address": fit_connect.address,
         "destinationId": "3fa85f64-5717-4562-b3fc-2c963f66afa6"},
        {"type": "responsibility", "authority": "by:lra-starnberg", "leikaKey": ELTERNGELD, "ars": [BERG]},
        {"type": "responsibility", "authority": "by:lra-starnberg", "leikaKey": ELTERNGELD, "ars": [BERG]},
    ]

    summary = import_file(tmp_path, "".join(json.dumps(line) + "\n" for line in lines))

    assert "6 lines: authorities 1 new, 2 changed, 0 unchanged; endpoints 0 new, 1 changed, 0 unchanged; " \
           "responsibilities 0 new, 1 changed, 1 unchanged" in summary
    entries = directory_audit(last)
    assert [(entry.verb, entry.action) for entry in entries] == [
        ("register_authority", "CREATED"), ("update_authority", "UPDATED"), ("update_authority", "UPDATED"),
        ("deactivate_endpoint", "UPDATED"), ("register_endpoint", "CREATED"), ("assign_responsibility", "UPDATED"),
    ]
    registered, renamed, starnberg_renamed, deactivated, replacement, assigned = entries
    assert registered.after["name"] == "Parsau" and registered.object_repr == "Parsau (ni:sg-parsau)"
    assert renamed.before == registered.after and renamed.after["name"] == "Gemeinde Parsau"
    assert renamed.after["id"] == registered.after["id"] == Authority.objects.get(identifier="ni:sg-parsau").pk
    assert starnberg_renamed.before["name"] == "Landratsamt Starnberg" and starnberg_renamed.after["name"] == "LRA Starnberg"
    assert (deactivated.before["active"], deactivated.after["active"], deactivated.object_id) == (True, False, str(fit_connect.pk))
    new = starnberg.endpoints.get(kind="FIT_CONNECT", active=True)
    assert replacement.after["id"] == new.pk and replacement.after["destination_id"] == "3fa85f64-5717-4562-b3fc-2c963f66afa6"
    assert assigned.before["regions"] == [STARNBERG_DISTRICT] and assigned.after["regions"] == sorted([BERG, STARNBERG_DISTRICT])
    assert sorted(starnberg.responsibilities.get(service__leika_key=ELTERNGELD).regions.values_list("ars", flat=True)) \
        == sorted([BERG, STARNBERG_DISTRICT])


def test_errors_carry_the_services_messages_and_write_nothing(filled, tmp_path):  # noqa: F811
    starnberg = Authority.objects.get(identifier="by:lra-starnberg")
    with pytest.raises(ValidationError) as by_service, translation.override("en"):
        services.assign_responsibility(starnberg, leika_key="99999999999999", ars=[SAMTGEMEINDE_BROME], actor="test")
    lines = [
        {"type": "responsibility", "authority": "by:lra-starnberg", "leikaKey": WOHNGELD, "ars": [BERG]},
        {"type": "responsibility", "authority": "by:lra-starnberg", "leikaKey": "99999999999999",
         "ars": [SAMTGEMEINDE_BROME]},
        {"type": "authority", "identifier": "by:x", "name": "", "stateCode": "XX", "ars": BERG, "kind": "CITY"},
    ]
    before = (Authority.objects.count(), Endpoint.objects.count(), Responsibility.objects.count(),
              AuditEntry.objects.count())

    with pytest.raises(CommandError) as failed, translation.override("en"):
        import_file(tmp_path, "".join(json.dumps(line) + "\n" for line in lines))

    message = str(failed.value)
    for field, errors in by_service.value.error_dict.items():
        assert f"line 2: {field.replace('_k', 'K')}: {' '.join(m for e in errors for m in e.messages)}" in message
    assert "line 3: name: Name the authority." in message and "line 3: stateCode: There is no state with the code XX." in message
    assert "line 3: kind: Unknown kind CITY" in message and "on lines 2, 3" in message
    assert (Authority.objects.count(), Endpoint.objects.count(), Responsibility.objects.count(),
            AuditEntry.objects.count()) == before


def test_the_progress_bar_counts_every_line(filled, tmp_path):  # noqa: F811
    from directory.federation.exchange import import_lines

    counted = []
    exported = export().splitlines()

    result = import_lines(exported, actor="test", progress=counted.append)

    assert sum(counted) == len(exported) == result.lines
    assert call_command("export_directory", stdout=io.StringIO()) is None


def test_a_whole_state_from_the_national_generator(tmp_path):
    """Schleswig-Holstein as bench/generate_directory.py writes it (about 13,600 lines): imported
    in bulk (planner statistics refreshed), routed, and exported again line for line."""
    from bench.generate_directory import main as generate
    from directory.routing import routes

    national = io.StringIO()
    generate(national)
    keep, lines = set(), []
    for text in national.getvalue().splitlines():
        data = json.loads(text)
        if data["type"] == "authority" and data["stateCode"] == "SH":
            keep.add(data["identifier"])
        if data.get("identifier", data.get("authority")) in keep:
            lines.append(text)
    last = AuditEntry.objects.latest("id").id

    summary = import_file(tmp_path, "\n".join(lines) + "\n")

    authorities = sum(1 for text in lines if '"type": "authority"' in text)
    assert f"authorities {authorities} new" in summary and f"endpoints {authorities} new" in summary
    assert AuditEntry.objects.filter(id__gt=last).count() == len(lines)
    municipal = json.loads(next(text for text in lines if '"responsibility"' in text and '"gem:' in text))
    (route,) = routes(municipal["leikaKey"], municipal["ars"][0])
    assert route.authority.identifier == municipal["authority"] and route.level == "MUNICIPALITY"
    assert len(route.endpoints) == 1 and route.endpoints[0].kind == "FIT_CONNECT"
    assert len(export("--state", "SH").splitlines()) == len(lines)


def test_mirrored_authorities_are_refused_as_the_services_refuse_them(directory, tmp_path):
    mirrored = services.register_authority(identifier="by:lra-starnberg", name="Landratsamt Starnberg", state_code="BY",
                                           ars=STARNBERG_DISTRICT, kind="DISTRICT", origin="https://bund.example",
                                           actor="test")
    with pytest.raises(ValidationError) as by_service, translation.override("en"):
        services.update_authority(mirrored, name="LRA Starnberg", actor="test")
    unchanged = {"type": "authority", "identifier": "by:lra-starnberg", "name": "Landratsamt Starnberg",
                 "stateCode": "BY", "ars": STARNBERG_DISTRICT, "kind": "DISTRICT"}

    import_file(tmp_path, json.dumps(unchanged) + "\n")  # writes nothing, so nothing to refuse
    with pytest.raises(CommandError) as failed, translation.override("en"):
        import_file(tmp_path, json.dumps({**unchanged, "name": "LRA Starnberg"}) + "\n")

    assert f"line 1: identifier: {by_service.value.messages[0]}" in str(failed.value)
    assert Authority.objects.get(identifier="by:lra-starnberg").name == "Landratsamt Starnberg"


def test_imported_authorities_are_found_by_the_search(directory, tmp_path, django_capture_on_commit_callbacks):
    from fitstore import search

    lines = [
        {"type": "authority", "identifier": "by:gemeinde-berg", "name": "Gemeinde Berg Bürgerbüro", "stateCode": "BY",
         "ars": BERG, "kind": "MUNICIPAL"},
        {"type": "responsibility", "authority": "by:gemeinde-berg", "leikaKey": WOHNGELD, "ars": [BERG]},
    ]
    with django_capture_on_commit_callbacks(execute=True):
        summary = import_file(tmp_path, "".join(json.dumps(line) + "\n" for line in lines))

    berg = Authority.objects.get(identifier="by:gemeinde-berg")
    hits = search.search("authorities", "Bürgerbüro Berg", backend="embedded")
    assert str(berg.pk) in [str(hit.object_id) for hit in hits.hits]
    assert "authorities 1 new" in summary
