"""FIT-Connect Routing API 2.0 served from the directory: behaviour, signatures, FITKO's spec."""
import uuid

import jwt
import pytest

from directory import services

pytestmark = pytest.mark.django_db

WOHNGELD = "99107023000000"
BERG = "091880113113"
DESTINATION = uuid.UUID("3fa85f64-5717-4562-b3fc-2c963f66afa6")


@pytest.fixture
def district_office(db):
    office = services.register_authority(identifier="lra:09188", name="Landratsamt Starnberg – Wohngeldstelle",
                                         state_code="BY", ars="09188", kind="DISTRICT", actor="test")
    services.register_endpoint(office, kind="FIT_CONNECT", address="https://submission.fit-connect.example/api",
                               destination_id=DESTINATION, actor="test")
    services.register_endpoint(office, kind="EMAIL", address="wohngeld@lra-starnberg.example", actor="test")
    services.assign_responsibility(office, leika_key=WOHNGELD, ars=["09188"], actor="test")
    return office


def test_routes_by_ars_with_a_signature_that_verifies(client, district_office):
    response = client.get("/fit-connect/v1/routes", {"leikaKey": WOHNGELD, "ars": BERG})

    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert {"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"} <= set(response.headers)
    body = response.json()
    assert (body["count"], body["offset"], body["totalCount"]) == (1, 0, 1)
    (route,) = body["routes"]
    assert route["destinationId"] == str(DESTINATION)
    assert route["destinationName"] == "Landratsamt Starnberg – Wohngeldstelle"

    (key,) = client.get("/.well-known/jwks.json").json()["keys"]
    claims = jwt.decode(route["destinationSignature"], jwt.PyJWK(key).key, algorithms=["PS512"],
                        options={"verify_iat": False})
    assert claims["destinationId"] == str(DESTINATION)
    assert claims["submissionHost"] == "submission.fit-connect.example"
    assert claims["services"] == [{
        "gebietIDs": ["urn:de:bund:destatis:bevoelkerungsstatistik:schluessel:rs:09188"],
        "leistungIDs": [f"urn:de:fim:leika:leistung:{WOHNGELD}"],
    }]


@pytest.mark.parametrize("area", [{"ags": "09188113"}, {"ars": "09188"}, {"ags": "09188"}])
def test_routes_by_ags_or_a_higher_level(client, district_office, area):
    body = client.get("/fit-connect/v1/routes", {"leikaKey": WOHNGELD, **area}).json()

    assert [route["destinationId"] for route in body["routes"]] == [str(DESTINATION)]


def test_routes_by_area_id_from_the_area_search(client, district_office):
    areas = client.get("/fit-connect/v1/areas", {"areaSearchexpression": "Berg"}).json()["areas"]
    berg = next(area for area in areas if area["type"] == "Gemeinde")

    body = client.get("/fit-connect/v1/routes", {"leikaKey": WOHNGELD, "areaId": berg["id"]}).json()

    assert body["totalCount"] >= 0  # Berg exists in several states; the one in 09188 routes to Starnberg
    assert all(route["destinationId"] == str(DESTINATION) for route in body["routes"])


@pytest.mark.parametrize(
    "params",
    [{"ars": "130040000000"}, {"ars": "099999999999"}, {"ags": "99999999"}, {"areaId": "999999999"}],
    ids=["nobody-responsible", "unknown-ars", "unknown-ags", "unknown-area"],
)
def test_nobody_responsible_or_unknown_places_are_an_empty_result(client, district_office, params):
    body = client.get("/fit-connect/v1/routes", {"leikaKey": WOHNGELD, **params}).json()

    assert body == {"count": 0, "offset": 0, "totalCount": 0, "routes": []}


def test_an_unknown_leika_key_is_an_empty_result(client, district_office):
    body = client.get("/fit-connect/v1/routes", {"leikaKey": "99999999999999", "ars": BERG}).json()

    assert body["routes"] == []


@pytest.mark.parametrize(
    "params, detail",
    [
        ({"ars": BERG}, "leikaKey is required"),
        ({"leikaKey": "12345", "ars": BERG}, "leikaKey is malformed"),
        ({"leikaKey": WOHNGELD}, "exactly one of"),
        ({"leikaKey": WOHNGELD, "ars": BERG, "ags": "09188113"}, "exactly one of"),
        ({"leikaKey": WOHNGELD, "ars": "0918"}, "ars is malformed"),
        ({"leikaKey": WOHNGELD, "ars": BERG, "limit": "501"}, "limit"),
        ({"leikaKey": WOHNGELD, "ars": BERG, "offset": "-1"}, "offset is malformed"),
    ],
)
def test_bad_requests_are_problems(client, district_office, params, detail):
    response = client.get("/fit-connect/v1/routes", params)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400 and problem["title"] == "Bad Request" and detail in problem["detail"]


def test_areas_by_name_prefix_and_postcode(client):
    by_name = client.get("/fit-connect/v1/areas", {"areaSearchexpression": "Magdeb*"}).json()
    by_postcode = client.get("/fit-connect/v1/areas", {"areaSearchexpression": "82335"}).json()

    assert any(area["name"].startswith("Magdeburg") for area in by_name["areas"])
    assert [area["name"] for area in by_postcode["areas"]] == ["Berg", "Starnberger See"]  # a postcode, two municipalities
    assert by_name["totalCount"] >= by_name["count"] == len(by_name["areas"])


@pytest.mark.parametrize("postcode,name", [("80331", "München, Landeshauptstadt"), ("85049", "Ingolstadt")])
def test_areas_by_a_postcode_that_is_not_the_seat_postcode(client, postcode, name):
    """The Gemeindeverzeichnis gives one postcode per municipality (80313 for München); the
    postcode data (data/regions/postcodes.csv) give all of them."""
    areas = client.get("/fit-connect/v1/areas", {"areaSearchexpression": postcode}).json()["areas"]

    assert [(area["name"], area["type"]) for area in areas] == [(name, "Gemeinde")]
    assert client.get("/fit-connect/v1/areas", {"areaSearchexpression": postcode[:3] + "*"}).json()["totalCount"] >= 1


def test_info_names_the_api_version(client):
    assert client.get("/fit-connect/v1/info").json() == {"version": {"major": 2, "minor": 0, "patch": 0}}


def test_only_get(client):
    assert client.post("/fit-connect/v1/info").status_code == 405


def test_our_openapi_description_is_served_and_valid(client):
    import yaml

    response = client.get("/fit-connect/v1/openapi.yaml")

    assert response.status_code == 200
    document = yaml.safe_load(response.content)
    assert set(document["paths"]) == {"/routes", "/areas", "/info"}


def test_control_characters_are_refused_not_a_server_error(client):
    response = client.get("/fit-connect/v1/areas", {"areaSearchexpression": "Berg\x00"})

    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
