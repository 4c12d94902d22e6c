"""Concurrent subscriptions on PostgreSQL: two coordinators' requests at the same moment leave
exactly one open subscription; the other gets the field error ALREADY_SUBSCRIBED.

Needs committed data and two connections (`transaction=True`), and a database that lets two
transactions write at once: SQLite serialises all writers on one lock (and its in-memory test
database is not shared between threads), so there is no race to test there.
"""
import threading

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from directory import reference as directory_reference
from licensing import services
from licensing.models import Subscription
from store.models import OnlineService

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL: SQLite serialises writers, so two requests cannot race"),
]


def _states_and_service():
    # A transactional test may run after another has flushed the database: load what we need.
    directory_reference.load_states(settings.DATA_DIR)
    directory_reference.load_koenigstein_shares(settings.DATA_DIR)
    from directory.models import State

    provider = State.objects.by_code("MV")
    online_service, _ = OnlineService.objects.get_or_create(slug="race", defaults={"name": "Race", "provider_state": provider})
    return State.objects.by_code("BY"), online_service


def _race(state, online_service, attempts: int = 2) -> list:
    barrier = threading.Barrier(attempts)
    outcomes = []

    def attempt():
        try:
            barrier.wait()
            with transaction.atomic():
                outcomes.append(services.subscribe(state, online_service, legal_basis="ADMINISTRATIVE_AGREEMENT",
                                                   actor="system:test-race"))
        except ValidationError as error:
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def _assert_exactly_one(outcomes, state, online_service):
    subscriptions = [o for o in outcomes if isinstance(o, Subscription)]
    errors = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(subscriptions) == 1 and len(errors) == len(outcomes) - 1
    assert all([e.code for e in error.error_dict["online_service"]] == ["ALREADY_SUBSCRIBED"] for error in errors)
    assert Subscription.objects.open().filter(state=state, online_service=online_service).count() == 1


def test_two_requests_at_once_leave_one_open_subscription():
    state, online_service = _states_and_service()

    outcomes = _race(state, online_service)

    _assert_exactly_one(outcomes, state, online_service)


def test_when_both_pass_the_check_the_constraint_decides(monkeypatch):
    """Both requests find no open subscription and insert; PostgreSQL makes the second wait on
    the partial unique index, then refuses it, and the service answers as the check would."""
    state, online_service = _states_and_service()
    monkeypatch.setattr(services, "_open_subscription_exists", lambda state, online_service: False)

    outcomes = _race(state, online_service, attempts=3)

    _assert_exactly_one(outcomes, state, online_service)
