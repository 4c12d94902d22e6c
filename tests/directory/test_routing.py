"""directory.routing.routes on real ARS of the Gemeindeverzeichnis: the most specific level
wins, usable endpoints only, the online service through which the region's state offers it,
and a constant number of queries whatever the directory's size."""
import datetime

import pytest
from django.utils import timezone

from directory.models import Authority, Endpoint, Region, State
from directory.routing import RoutingInputError, routes
from store.models import OnlineService
from tests.directory.fixtures import (
    BERG, BROME_MEMBERS, ELTERNGELD, SCHWERIN, STARNBERG_CITY, STARNBERG_DISTRICT, WOHNGELD,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def starnberg(directory):
    """Landratsamt Starnberg, responsible for Wohngeld in its district, with a FIT-Connect endpoint."""
    authority = directory.authority("by:lra-starnberg", name="Landratsamt Starnberg")
    directory.endpoint(authority)
    directory.responsible(authority, WOHNGELD, STARNBERG_DISTRICT)
    return authority


def identifiers(found):
    return [route.authority.identifier for route in found]


def test_the_district_office_answers_for_its_municipalities(starnberg):
    found = routes(WOHNGELD, BERG)

    assert identifiers(found) == ["by:lra-starnberg"]
    route = found[0]
    assert route.region.ars == BERG and route.region.name == "Berg"  # the region asked for
    assert route.level == "DISTRICT" and route.leika_key == WOHNGELD
    assert [endpoint.kind for endpoint in route.endpoints] == ["FIT_CONNECT"]
    assert identifiers(routes(WOHNGELD, STARNBERG_CITY)) == ["by:lra-starnberg"]
    assert identifiers(routes(WOHNGELD, STARNBERG_DISTRICT)) == ["by:lra-starnberg"]


def test_a_municipality_answering_for_itself_overrides_the_district(starnberg, directory):
    berg = directory.authority("by:gemeinde-berg", name="Gemeinde Berg", ars=BERG, kind="MUNICIPAL")
    directory.responsible(berg, WOHNGELD, BERG)

    assert identifiers(routes(WOHNGELD, BERG)) == ["by:gemeinde-berg"]
    assert routes(WOHNGELD, BERG)[0].level == "MUNICIPALITY"
    assert identifiers(routes(WOHNGELD, STARNBERG_CITY)) == ["by:lra-starnberg"]  # its neighbours keep the district


def test_a_samtgemeinde_answers_for_its_members(directory, samtgemeinde):
    brome = directory.authority("ni:sg-brome", name="Samtgemeinde Brome", state="NI", ars=samtgemeinde.ars,
                                kind="MUNICIPAL")
    directory.responsible(brome, WOHNGELD, samtgemeinde.ars)
    members = Region.objects.filter(parent=samtgemeinde, level="MUNICIPALITY")

    assert set(BROME_MEMBERS) <= set(members.values_list("ars", flat=True))
    for member in members:
        found = routes(WOHNGELD, member.ars)
        assert identifiers(found) == ["ni:sg-brome"] and found[0].level == "MUNICIPAL_ASSOCIATION"
    assert routes(WOHNGELD, "031515401002") == []  # Barwedel, of the neighbouring Samtgemeinde


def test_several_authorities_only_when_several_answer_at_that_level(starnberg, directory):
    second = directory.authority("by:jobcenter-starnberg", kind="OTHER")
    directory.responsible(second, WOHNGELD, STARNBERG_DISTRICT)
    state_office = directory.authority("by:landesamt", ars="09", kind="STATE")
    directory.responsible(state_office, WOHNGELD, "09")

    assert identifiers(routes(WOHNGELD, BERG)) == ["by:jobcenter-starnberg", "by:lra-starnberg"]
    assert identifiers(routes(WOHNGELD, "091620000000")) == ["by:landesamt"]  # München: the state level


def test_inactive_authorities_leave_the_answer_to_the_next_level(starnberg, directory):
    from directory import services

    berg = directory.authority("by:gemeinde-berg", ars=BERG, kind="MUNICIPAL")
    directory.responsible(berg, WOHNGELD, BERG)
    services.deactivate_authority(berg, actor="test")

    assert identifiers(routes(WOHNGELD, BERG)) == ["by:lra-starnberg"]


def test_nobody_responsible_is_an_empty_list(starnberg):
    assert routes(ELTERNGELD, BERG) == []
    assert routes(WOHNGELD, SCHWERIN) == []


def test_the_federal_level_comes_last(starnberg, directory):
    from directory import services

    federal = directory.authority("bund:bafa", ars="09", kind="FEDERAL")
    services.assign_responsibility(federal, leika_key=WOHNGELD, nationwide=True, actor="test")

    assert identifiers(routes(WOHNGELD, BERG)) == ["by:lra-starnberg"]
    found = routes(WOHNGELD, SCHWERIN)
    assert identifiers(found) == ["bund:bafa"] and found[0].level == "FEDERAL"


def test_only_usable_endpoints(starnberg, directory, certificates):
    from directory import services

    now = timezone.now()
    directory.endpoint(starnberg, kind="EMAIL", address="wohngeld@lra-starnberg.example",
                       valid_from=now + datetime.timedelta(days=3))
    directory.endpoint(starnberg, kind="REST", address="https://api.lra-starnberg.example/old",
                       valid_until=now - datetime.timedelta(days=1), valid_from=now - datetime.timedelta(days=30))
    services.deactivate_endpoint(directory.endpoint(starnberg, kind="REST", address="https://api.example/off"),
                                 actor="test")
    osci = directory.endpoint(starnberg, kind="OSCI_XTA", address="https://osci.lra-starnberg.example",
                              certificate_pem=certificates.valid)
    assert [e.kind for e in routes(WOHNGELD, BERG)[0].endpoints] == ["FIT_CONNECT", "OSCI_XTA"]

    # The certificate has expired since it was registered.
    Endpoint.objects.filter(pk=osci.pk).update(certificate_not_after=now - datetime.timedelta(minutes=1))

    assert [e.kind for e in routes(WOHNGELD, BERG)[0].endpoints] == ["FIT_CONNECT"]


def test_the_rule_of_a_usable_endpoint_is_the_same_in_python_and_in_sql(starnberg, directory, certificates):
    from directory import services

    now = timezone.now()
    day = datetime.timedelta(days=1)
    directory.endpoint(starnberg, kind="EMAIL", address="later@lra-starnberg.example", valid_from=now + day)
    directory.endpoint(starnberg, kind="EMAIL", address="ended@lra-starnberg.example", valid_from=now - 9 * day,
                       valid_until=now - day)
    directory.endpoint(starnberg, kind="EMAIL", address="open@lra-starnberg.example", valid_until=now + day)
    services.deactivate_endpoint(directory.endpoint(starnberg, kind="REST", address="https://api.example/off"),
                                 actor="test")
    expired = directory.endpoint(starnberg, kind="OSCI_XTA", address="https://osci.lra-starnberg.example",
                                 certificate_pem=certificates.valid)
    Endpoint.objects.filter(pk=expired.pk).update(certificate_not_after=now)  # ends exactly now: not usable

    endpoints = list(Endpoint.objects.filter(authority=starnberg))
    usable = {endpoint.address for endpoint in endpoints if endpoint.is_usable(now)}
    assert usable == set(Endpoint.objects.filter(authority=starnberg).usable(now).values_list("address", flat=True))
    assert usable == {starnberg.endpoints.get(kind="FIT_CONNECT").address, "open@lra-starnberg.example"}
    assert min(filter(None, (endpoint.changes_after(now) for endpoint in endpoints))) == now + day


def test_online_service_of_the_provider_state_where_the_region_lies_in_it(directory):
    schwerin = directory.authority("mv:schwerin", state="MV", ars=SCHWERIN, kind="MUNICIPAL")
    directory.responsible(schwerin, WOHNGELD, SCHWERIN)

    assert routes(WOHNGELD, SCHWERIN)[0].online_service.slug == "wohngeld"  # provided by MV


def test_online_service_through_a_connected_subscription(starnberg):
    from licensing.models import Subscription

    assert routes(WOHNGELD, BERG)[0].online_service is None  # provided by MV; Bavaria does not use it
    subscription = Subscription.objects.create(state=State.objects.by_code("BY"),
                                               online_service=OnlineService.objects.get(slug="wohngeld"),
                                               status="ACTIVE", legal_basis="FIT_STORE")
    assert routes(WOHNGELD, BERG)[0].online_service is None  # contracted, not yet connected

    Subscription.objects.filter(pk=subscription.pk).update(status="CONNECTED")

    assert routes(WOHNGELD, BERG)[0].online_service.slug == "wohngeld"


@pytest.mark.parametrize(
    "leika_key, ars, argument",
    [
        ("9910702300000", BERG, "leikaKey"),
        ("99999999999999", BERG, "leikaKey"),
        (WOHNGELD, "0918801131", "ars"),
        (WOHNGELD, "099999999999", "ars"),
    ],
)
def test_bad_arguments(leika_key, ars, argument):
    with pytest.raises(RoutingInputError) as raised:
        routes(leika_key, ars)

    assert raised.value.argument == argument


def test_a_constant_number_of_queries_whatever_the_directory_size(starnberg, directory, django_assert_num_queries):
    with django_assert_num_queries(6):  # service, region, matches, authorities, endpoints, online service
        routes(WOHNGELD, BERG)

    for number, member in enumerate(Region.objects.filter(ars__startswith="09188", level="MUNICIPALITY").exclude(ars=STARNBERG_CITY)[:12]):
        authority = directory.authority(f"by:gemeinde-{number}", ars=member.ars, kind="MUNICIPAL")
        directory.endpoint(authority)
        directory.endpoint(authority, kind="EMAIL", address=f"post{number}@example.org")
        directory.responsible(authority, WOHNGELD, member.ars)
        directory.responsible(authority, ELTERNGELD, member.ars)
    for number in range(5):
        directory.responsible(directory.authority(f"by:district-{number}"), WOHNGELD, STARNBERG_DISTRICT)
    assert Authority.objects.count() > 15

    with django_assert_num_queries(6):
        found = routes(WOHNGELD, STARNBERG_CITY)
    assert len(found) == 6  # the district level: six district offices
