"""`manage.py load_demo`: complete, idempotent, quiet when asked, one summary line.

The session fixture has already run it once into the test database; what the data looks like is
tested in tests/directory/test_reference_data.py and tests/store/test_reference_data.py.
"""
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Max

from directory.models import KoenigsteinShare, Postcode, Region, State
from fitstore.models import AuditEntry
from store.models import LeikaService, LifeSituation, OnlineService, OzgService, Topic

pytestmark = pytest.mark.django_db

MODELS = (State, KoenigsteinShare, Region, Postcode, Postcode.regions.through, Topic, LifeSituation, OzgService,
          LeikaService, OnlineService)


def rows():
    """Count and highest primary key per model: a delete and re-insert would change the latter."""
    return {model.__name__: (model.objects.count(), model.objects.aggregate(top=Max("pk"))["top"]) for model in MODELS}


def test_everything_is_loaded():
    assert {name: count for name, (count, _) in rows().items()} == {
        "State": 16, "KoenigsteinShare": 48, "Region": 16_023, "Postcode": 8_205, "Postcode_regions": 13_039,
        "Topic": 14, "LifeSituation": 58,
        "OzgService": 557, "LeikaService": 5_249, "OnlineService": 6,
    }


def test_a_second_run_changes_no_rows_and_writes_no_audit_entry(capsys):
    before, audit_rows = rows(), AuditEntry.objects.count()
    out = StringIO()

    call_command("load_demo", stdout=out)

    assert rows() == before
    assert AuditEntry.objects.count() == audit_rows
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    assert re.fullmatch(
        r"load_demo: 16 states, 16,023 regions, 8,205 postcodes, 14 topics, 58 life situations, 557 OZG services, "
        r"5,249 LeiKa services, 1 framework agreement, 6 demo online services \(0 created, 0 updated\) in \d+\.\d s",
        lines[0],
    ), lines[0]
    assert capsys.readouterr().err == ""  # no progress bar: stderr is not a terminal here


def test_verbosity_0_prints_nothing():
    out = StringIO()

    call_command("load_demo", verbosity=0, stdout=out)

    assert out.getvalue() == ""


def test_a_changed_demo_entry_is_put_back_with_one_audit_row():
    OnlineService.objects.filter(slug="bafoeg").update(name="Verändert")
    audit_rows = AuditEntry.objects.count()
    out = StringIO()

    call_command("load_demo", stdout=out)

    assert OnlineService.objects.get(slug="bafoeg").name == "BAföG Digital"
    assert AuditEntry.objects.count() == audit_rows + 1
    entry = AuditEntry.objects.latest("id")
    assert entry.verb == "update_online_service" and entry.actor_label == "system:load_demo"
    assert entry.before["name"] == "Verändert" and entry.after["name"] == "BAföG Digital"
    assert entry.request_id.startswith("cmd-load_demo-")
    assert "(0 created, 1 updated)" in out.getvalue()


def test_a_missing_demo_entry_is_registered_again():
    OnlineService.objects.get(slug="geburtsurkunde").delete()

    out = StringIO()
    call_command("load_demo", stdout=out)

    assert OnlineService.objects.get(slug="geburtsurkunde").is_demo
    assert "(1 created, 0 updated)" in out.getvalue()
    assert AuditEntry.objects.latest("id").verb == "register_online_service"
