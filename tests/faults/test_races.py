"""Database constraint races on PostgreSQL: registrations with the same key at the same moment.

Several threads, each with its own connection, pass a barrier and register the same authority
identifier, the same endpoint address, or the same online-service slug at once: exactly one wins,
the others get a clear field error (code UNIQUE), and the database holds one row and one audit row.
SQLite serialises writers (and its in-memory test database is not shared between threads), so
there is no race to test there.
"""
import threading

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from directory import reference as directory_reference
from directory import services as directory_services
from directory.models import Authority, Endpoint
from fitstore.models import AuditEntry
from store import services as store_services
from store.models import OnlineService

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL: SQLite serialises writers, so two requests cannot race"),
]
ATTEMPTS = 4


def _race(write, attempts: int = ATTEMPTS) -> list:
    barrier = threading.Barrier(attempts)
    outcomes = []

    def attempt():
        try:
            barrier.wait()
            with transaction.atomic():
                outcomes.append(write())
        except ValidationError as error:
            outcomes.append(error)
        except Exception as error:  # noqa: BLE001 - an unexpected error is what the test reports
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _assert_one_winner(outcomes, model, field: str):
    winners = [o for o in outcomes if isinstance(o, model)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(winners) == 1 and len(refused) == ATTEMPTS - 1, outcomes
    for error in refused:
        assert [item.code for item in error.error_dict[field]] == ["UNIQUE"], error
    return winners[0]


def _reference():
    # A transactional test may run after another has flushed the database: load what we need.
    directory_reference.load_states(settings.DATA_DIR)
    from directory.models import Region, State

    bavaria = State.objects.by_code("BY")
    Region.objects.get_or_create(ars="09188", defaults={"name": "Starnberg", "level": "DISTRICT", "state": bavaria})
    return bavaria


def test_one_of_several_concurrent_authority_registrations_wins():
    _reference()

    outcomes = _race(lambda: directory_services.register_authority(
        identifier="by:lra-wettlauf", name="Landratsamt Wettlauf", state_code="BY", ars="09188", kind="DISTRICT",
        actor="system:test-race"))

    authority = _assert_one_winner(outcomes, Authority, "identifier")
    assert Authority.objects.filter(identifier="by:lra-wettlauf").count() == 1
    assert AuditEntry.objects.filter(verb="register_authority", object_id=str(authority.pk)).count() == 1


def test_one_of_several_concurrent_endpoint_registrations_wins():
    _reference()
    authority = directory_services.register_authority(
        identifier="by:lra-endpunkt", name="Landratsamt Endpunkt", state_code="BY", ars="09188", kind="DISTRICT",
        actor="system:test-race")

    outcomes = _race(lambda: directory_services.register_endpoint(
        Authority.objects.get(pk=authority.pk), kind="EMAIL", address="post@lra-endpunkt.example",
        actor="system:test-race"))

    _assert_one_winner(outcomes, Endpoint, "address")
    assert Endpoint.objects.filter(authority=authority, active=True).count() == 1
    assert AuditEntry.objects.filter(verb="register_endpoint").count() == 1


def test_one_of_several_concurrent_online_service_registrations_wins():
    _reference()

    outcomes = _race(lambda: store_services.register_online_service(
        slug="wettlauf", name="Wettlauf", provider_state="BY", actor="system:test-race"))

    online_service = _assert_one_winner(outcomes, OnlineService, "slug")
    assert OnlineService.objects.filter(slug="wettlauf").count() == 1
    assert AuditEntry.objects.filter(verb="register_online_service", object_id=str(online_service.pk)).count() == 1
