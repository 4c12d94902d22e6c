"""A reuse request is the parties' matter in the web UI and its exports too: NW's request for
Wohngeld (provided by MV) shows on the service page's map, in the workspace, in the inbox, on the
decision and confirmation pages and in the agreement draft (HTML and PDF) to its parties and, where
they act, the operators; another state's coordinator, a gateway and everyone else find it nowhere.
The same rule as the API's (licensing.access; the API's matrix: tests/api/test_read_matrix.py)."""
import re

import pytest

from licensing.choices import LegalBasis
from tests.api.reads import PARTIES, ROLES

from .support import subscription

@pytest.fixture
def request_of_nw(db):
    return subscription("NW", "wohngeld", legal_basis=LegalBasis.ADMINISTRATIVE_AGREEMENT)


def _client_of(role, client, make_user):
    if ROLES[role] is not None:
        client.force_login(make_user(f"seite-{role}", **ROLES[role]))
    return client


def _answer(response) -> str:
    """"sign-in" (redirect to it), "refused" (403) or "shown" (200)."""
    if response.status_code == 302:
        assert "/login/" in response["Location"]
        return "sign-in"
    return {403: "refused", 200: "shown"}[response.status_code]


@pytest.mark.parametrize("role", ROLES)
def test_the_map_shows_the_request_to_its_parties_only(role, client, make_user, request_of_nw):
    html = _client_of(role, client, make_user).get("/katalog/wohngeld/").content.decode()

    status = re.search(r'<path class="[^"]*" data-state="NW" data-status="(\w+)"', html).group(1)
    assert status == ("requested" if role in PARTIES else "none")
    assert ('<tr data-state="NW">' in html) == (role in PARTIES)


@pytest.mark.parametrize("role", ROLES)
def test_the_agreement_draft_and_its_pdf_are_the_parties(role, client, make_user, request_of_nw):
    client = _client_of(role, client, make_user)
    expected = "sign-in" if role == "anonymous" else "shown" if role in PARTIES else "refused"

    page = client.get(f"/nachnutzungen/{request_of_nw.pk}/vereinbarung/")
    pdf = client.get(f"/nachnutzungen/{request_of_nw.pk}/vereinbarung.pdf")

    assert (_answer(page), _answer(pdf)) == (expected, expected)
    if expected == "shown":
        assert pdf["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("role", ROLES)
def test_the_pages_that_act_on_the_request_are_the_acting_partys(role, client, make_user, request_of_nw):
    client = _client_of(role, client, make_user)
    pk = request_of_nw.pk
    pages = {
        "workspace": ("/land/NW/", "coordinator-party"),
        "connect": (f"/nachnutzungen/{pk}/anschliessen/", "coordinator-party"),
        "terminate": (f"/nachnutzungen/{pk}/beenden/", "coordinator-party"),
        "decide": (f"/posteingang/{pk}/", "maintainer-party"),
    }
    for name, (url, actor) in pages.items():
        expected = "sign-in" if role == "anonymous" else "shown" if role == actor else "refused"
        assert _answer(client.get(url)) == expected, name


@pytest.mark.parametrize("role", ROLES)
def test_the_inbox_lists_the_request_to_the_services_maintainers(role, client, make_user, request_of_nw):
    response = _client_of(role, client, make_user).get("/posteingang/")

    if role == "anonymous":
        assert _answer(response) == "sign-in"
    elif role.startswith("maintainer"):
        assert (f"/posteingang/{request_of_nw.pk}/" in response.content.decode()) == (role == "maintainer-party")
    else:
        assert _answer(response) == "refused"


@pytest.mark.parametrize("role", ROLES)
def test_the_admins_list_of_subscriptions_is_the_operators(role, client, make_user, request_of_nw):
    response = _client_of(role, client, make_user).get("/admin/licensing/subscription/")

    if role == "operator":
        assert response.status_code == 200 and f"/admin/licensing/subscription/{request_of_nw.pk}/" in response.content.decode()
    else:
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
