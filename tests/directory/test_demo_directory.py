"""The demo directory `make run` loads (`load_demo --reuse`: data/demo/directory.jsonl through the
directory's import): real regions of three states, invented authorities marked as examples, some
places left unconnected or reachable only by e-mail; the documented examples answer on it.
The suite's session data has no directory; each test here imports the file (rolled back after)."""
import importlib.util
import shutil

import pytest
from django.conf import settings

from directory import demo
from directory.models import Authority, Endpoint, Responsibility
from directory.routing import routes
from tests.api.directory.test_routes import ROUTES_QUERY

pytestmark = pytest.mark.django_db

WOHNGELD = "99107023000000"
BERG = "091880113113"  # docs/api.md's example: Berg, Landkreis Starnberg


@pytest.fixture
def demo_directory():
    return demo.load_demo_directory(settings.DATA_DIR, actor="system:test")


def test_it_loads_through_the_import_and_again_changes_nothing(demo_directory):
    assert demo_directory.created["authority"] >= 90 and demo_directory.created["responsibility"] >= 800
    again = demo.load_demo_directory(settings.DATA_DIR, actor="system:test")

    assert sum(again.created.values()) == sum(again.changed.values()) == 0
    assert again.unchanged == demo_directory.created


def test_everything_invented_says_so(demo_directory):
    authorities = Authority.objects.all()

    assert {authority.state.code for authority in authorities} == {"BY", "MV", "SH"}
    assert all(authority.is_demo and authority.name.endswith("(Beispiel)") for authority in authorities)
    assert not Endpoint.objects.exclude(address__contains=".example").exists()


def test_some_places_are_connected_some_by_e_mail_only_some_not_at_all(demo_directory):
    fit_connect = set(Endpoint.objects.filter(kind="FIT_CONNECT").values_list("authority", flat=True))
    e_mail_only = Authority.objects.exclude(pk__in=fit_connect)
    assert e_mail_only.exists() and all(
        {endpoint.kind for endpoint in authority.endpoints.all()} == {"EMAIL"} for authority in e_mail_only)

    nobody = routes(WOHNGELD, "094750113113")  # Berg in the Landkreis Hof, which has no office in the demo
    covered_districts = set(Responsibility.objects.values_list("regions__ars", flat=True))
    assert "09475" not in covered_districts and nobody == []
    # The Amt answers before the Kreis where it has its own office (Schleswig-Holstein).
    amt = Authority.objects.filter(region__level="MUNICIPAL_ASSOCIATION").first()
    municipality = amt.region.children.first()
    [route] = routes(WOHNGELD, municipality.ars)
    assert route.authority == amt and route.level == "MUNICIPAL_ASSOCIATION"


def test_the_documented_routes_example_answers(demo_directory, graphql, make_user, make_token, client):
    """docs/api.md: routes(leikaKey: "99107023000000", ars: "091880113113") with a gateway token,
    and the same through FIT-Connect's /routes."""
    token = make_token(make_user("gateway-hamburg", role="gateway"))

    [route] = graphql.data(ROUTES_QUERY, {"leikaKey": WOHNGELD, "ars": BERG}, token=token)["routes"]

    assert route["authority"]["identifier"] == "demo:wohngeld-09188"
    assert route["authority"]["name"] == "Landkreis Starnberg, Wohngeldstelle (Beispiel)"
    assert [endpoint["kind"] for endpoint in route["endpoints"]] == ["FIT_CONNECT"]
    fit_connect = client.get("/fit-connect/v1/routes", {"leikaKey": WOHNGELD, "ars": BERG}).json()
    assert fit_connect["totalCount"] == 1
    assert fit_connect["routes"][0]["destinationId"] == route["endpoints"][0]["destinationId"]


def test_the_file_is_what_the_derive_step_writes(tmp_path):
    """`python data/derive.py demo-directory` writes data/demo/directory.jsonl from the regions, the
    LeiKa catalogue and the demo online services: run it on a copy and compare."""
    source = settings.DATA_DIR
    for folder in ("regions", "ozg", "demo"):
        shutil.copytree(source / folder, tmp_path / folder)
    spec = importlib.util.spec_from_file_location("derive", source / "derive.py")
    derive = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(derive)
    derive.HERE = tmp_path
    (tmp_path / "demo" / "directory.jsonl").unlink()

    derive.demo_directory()

    assert (tmp_path / "demo" / "directory.jsonl").read_bytes() == (source / "demo" / "directory.jsonl").read_bytes()
