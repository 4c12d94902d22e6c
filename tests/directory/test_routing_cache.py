"""The routing answers' cache (directory.routing.cached_routes), with a real Redis and with the
in-process cache: answers are served from the cache, every committed directory write (and the
import) moves the change counter so the next answer reflects it, and an answer does not outlive
the validity of its endpoints."""
import datetime
import io
import json
import time

import pytest
import redis
from django.core.cache import cache
from django.core.management import call_command
from django.test.utils import override_settings
from django.utils import timezone

from directory import services
from directory.routing import CHANGE_COUNTER_KEY, bump_change_counter, cached_routes, change_counter
from tests.api.directory.test_routes import ROUTES_QUERY
from tests.directory.fixtures import BERG, STARNBERG_DISTRICT, WOHNGELD

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/7"


@pytest.fixture(params=["locmem", "redis"])
def routing_cache(request):
    """The routing cache on, over a fresh locmem cache or a flushed Redis database."""
    if request.param == "redis":
        try:
            redis.Redis.from_url(REDIS_URL).flushdb()
        except redis.ConnectionError:
            pytest.skip("no Redis at 127.0.0.1:6379")
        backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    else:
        backend = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "routing-cache-test"}
    with override_settings(CACHES={"default": backend}, ROUTING_CACHE_SECONDS=300):
        cache.clear()
        yield request.param
        cache.clear()


@pytest.fixture
def starnberg(directory, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        authority = directory.authority("by:lra-starnberg", name="Landratsamt Starnberg")
        directory.endpoint(authority, address="https://submission.fit-connect.example/lra")
        directory.responsible(authority, WOHNGELD, STARNBERG_DISTRICT)
    return authority


def identifiers(found):
    return [route.authority.identifier for route in found]


def test_a_second_answer_comes_from_the_cache(routing_cache, starnberg, django_assert_num_queries):
    first = cached_routes(WOHNGELD, BERG)

    with django_assert_num_queries(0):
        second = cached_routes(WOHNGELD, BERG)

    assert identifiers(second) == identifiers(first) == ["by:lra-starnberg"]
    assert [endpoint.address for endpoint in second[0].endpoints] == ["https://submission.fit-connect.example/lra"]


def test_a_committed_write_shows_in_the_next_answer(routing_cache, starnberg, directory,
                                                    django_capture_on_commit_callbacks):
    assert identifiers(cached_routes(WOHNGELD, BERG)) == ["by:lra-starnberg"]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        berg = directory.authority("by:gemeinde-berg", name="Gemeinde Berg", ars=BERG, kind="MUNICIPAL")
        directory.responsible(berg, WOHNGELD, BERG)
    assert callbacks.count(bump_change_counter) == 2  # one bump per audited write, run on commit

    assert identifiers(cached_routes(WOHNGELD, BERG)) == ["by:gemeinde-berg"]

    (endpoint,) = starnberg.endpoints.all()
    assert [e.pk for e in cached_routes(WOHNGELD, STARNBERG_DISTRICT)[0].endpoints] == [endpoint.pk]
    with django_capture_on_commit_callbacks(execute=True):
        services.deactivate_endpoint(endpoint, actor="test")
    assert cached_routes(WOHNGELD, STARNBERG_DISTRICT)[0].endpoints == []


def test_a_write_that_is_not_committed_moves_nothing(routing_cache, starnberg, directory):
    counter = change_counter()

    directory.authority("by:gemeinde-berg", name="Gemeinde Berg", ars=BERG, kind="MUNICIPAL")  # never committed

    assert change_counter() == counter


def test_the_graphql_and_fit_connect_answers_follow_a_write(routing_cache, starnberg, graphql, client, make_user,
                                                            make_token, django_capture_on_commit_callbacks):
    token = make_token(make_user("gateway", role="gateway"))
    variables = {"leikaKey": WOHNGELD, "ars": BERG}
    fit_connect = {"leikaKey": WOHNGELD, "ars": BERG}
    assert [route["authority"]["identifier"] for route in graphql.data(ROUTES_QUERY, variables, token=token)["routes"]] \
        == ["by:lra-starnberg"]
    assert client.get("/fit-connect/v1/routes", fit_connect).json()["totalCount"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        services.register_endpoint(starnberg, kind="FIT_CONNECT", address="https://submission.fit-connect.example/two",
                                   destination_id="3fa85f64-5717-4562-b3fc-2c963f66afa6", actor="test")

    (route,) = graphql.data(ROUTES_QUERY, variables, token=token)["routes"]
    assert [endpoint["address"] for endpoint in route["endpoints"]] == [
        "https://submission.fit-connect.example/lra", "https://submission.fit-connect.example/two"]
    assert client.get("/fit-connect/v1/routes", fit_connect).json()["totalCount"] == 2


def test_the_import_moves_the_counter_once(routing_cache, starnberg, tmp_path, django_capture_on_commit_callbacks):
    assert identifiers(cached_routes(WOHNGELD, BERG)) == ["by:lra-starnberg"]
    counter = change_counter()
    lines = [
        {"type": "authority", "identifier": "by:gemeinde-berg", "name": "Gemeinde Berg", "stateCode": "BY",
         "ars": BERG, "kind": "MUNICIPAL"},
        {"type": "responsibility", "authority": "by:gemeinde-berg", "leikaKey": WOHNGELD, "ars": [BERG]},
    ]
    path = tmp_path / "directory.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("import_directory", str(path), stdout=io.StringIO())

    assert callbacks.count(bump_change_counter) == 1 and change_counter() == counter + 1
    assert identifiers(cached_routes(WOHNGELD, BERG)) == ["by:gemeinde-berg"]


def test_an_answer_expires_with_its_endpoints_validity(routing_cache, directory, django_capture_on_commit_callbacks):
    soon = timezone.now() + datetime.timedelta(seconds=2)
    with django_capture_on_commit_callbacks(execute=True):
        authority = directory.authority("by:lra-starnberg", name="Landratsamt Starnberg")
        directory.endpoint(authority, address="https://submission.fit-connect.example/expiring", valid_until=soon)
        directory.responsible(authority, WOHNGELD, STARNBERG_DISTRICT)

    assert len(cached_routes(WOHNGELD, BERG)[0].endpoints) == 1
    time.sleep(max((soon - timezone.now()).total_seconds(), 0) + 0.2)

    assert cached_routes(WOHNGELD, BERG)[0].endpoints == []  # no write in between: the entry expired


def test_a_lost_counter_restarts_above_every_old_value(routing_cache, starnberg):
    before = change_counter()
    cached_routes(WOHNGELD, BERG)

    cache.delete(CHANGE_COUNTER_KEY)  # evicted

    assert change_counter() > before


def test_without_the_setting_nothing_is_cached(starnberg, directory, django_assert_num_queries):
    with override_settings(ROUTING_CACHE_SECONDS=0):
        cached_routes(WOHNGELD, BERG)
        directory.authority("by:gemeinde-berg", name="Gemeinde Berg", ars=BERG, kind="MUNICIPAL")  # not committed
        with django_assert_num_queries(6):
            assert identifiers(cached_routes(WOHNGELD, BERG)) == ["by:lra-starnberg"]


def test_subscriptions_and_online_services_move_the_counter_too(routing_cache, starnberg,
                                                               django_capture_on_commit_callbacks):
    """A route names the online service its region's state is connected to: licensing registered
    the counter for subscriptions, the directory for online services (fitstore.audit.on_commit_of)."""
    from licensing.choices import SubscriptionStatus
    from store import services as store_services
    from tests.licensing.support import subscription

    assert cached_routes(WOHNGELD, BERG)[0].online_service is None  # provided by MV, not used in Bavaria
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        subscription("BY", "wohngeld", SubscriptionStatus.CONNECTED)
    assert callbacks.count(bump_change_counter) == 3  # subscribe, confirm, connect: one bump per audited write

    (route,) = cached_routes(WOHNGELD, BERG)
    assert route.online_service.slug == "wohngeld" and route.online_service.name != "Wohngeld digital neu"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        store_services.update_online_service(route.online_service, name="Wohngeld digital neu", actor="test")
    assert callbacks.count(bump_change_counter) == 1

    assert cached_routes(WOHNGELD, BERG)[0].online_service.name == "Wohngeld digital neu"
