"""Operators write the directory in the admin; every change goes through directory.services."""
import pytest

from directory.models import Authority, Endpoint, Responsibility
from fitstore.models import AuditEntry
from store.models import LeikaService
from tests.directory.fixtures import BERG, STARNBERG_DISTRICT, WOHNGELD

pytestmark = pytest.mark.django_db

AUTHORITY = {"identifier": "by:lra-starnberg", "name": "Landratsamt Starnberg", "kind": "DISTRICT", "state": "",
             "region": STARNBERG_DISTRICT, "endpoints-TOTAL_FORMS": "0", "endpoints-INITIAL_FORMS": "0"}


@pytest.fixture
def operator(client, make_user):
    user = make_user("ops", role="operator")
    client.force_login(user)
    return user


def test_operator_adds_an_authority_with_one_audit_row(client, operator):
    from directory.models import State

    audit_rows = AuditEntry.objects.count()

    response = client.post("/admin/directory/authority/add/", {**AUTHORITY, "state": State.objects.by_code("BY").pk})

    assert response.status_code == 302
    assert Authority.objects.get().identifier == "by:lra-starnberg"
    assert AuditEntry.objects.count() == audit_rows + 1
    assert AuditEntry.objects.latest("id").actor == operator


def test_a_refused_add_writes_nothing(client, operator):
    from directory.models import State

    response = client.post("/admin/directory/authority/add/",
                           {**AUTHORITY, "state": State.objects.by_code("NI").pk}, follow=True,
                           HTTP_ACCEPT_LANGUAGE="en")  # the message is read in English here

    assert response.status_code == 200
    assert not Authority.objects.exists()
    assert any("does not lie in Niedersachsen" in str(message) for message in response.context["messages"])


def test_operator_adds_endpoint_and_responsibility(client, operator, directory):
    from directory.models import Region

    authority = directory.authority("by:lra-starnberg")

    client.post("/admin/directory/endpoint/add/", {"authority": authority.pk, "kind": "EMAIL",
                                                  "address": "post@lra-starnberg.example"})
    client.post("/admin/directory/responsibility/add/", {
        "authority": authority.pk, "service": LeikaService.objects.get(leika_key=WOHNGELD).pk,
        "regions": ",".join(str(Region.objects.get(ars=ars).pk) for ars in (STARNBERG_DISTRICT, BERG)),
    })

    assert Endpoint.objects.get().address == "post@lra-starnberg.example"
    assert sorted(Responsibility.objects.get().regions.values_list("ars", flat=True)) == [STARNBERG_DISTRICT, BERG]
    assert [e.verb for e in AuditEntry.objects.order_by("-id")[:2]] == ["assign_responsibility", "register_endpoint"]


def test_list_pages_answer(client, operator, directory):
    directory.responsible(directory.authority("by:lra-starnberg"), WOHNGELD, STARNBERG_DISTRICT)

    for page in ("authority", "endpoint", "responsibility"):
        assert client.get(f"/admin/directory/{page}/").status_code == 200
