"""The directory's edit forms: a state's directory maintainers (and operators) write through
`directory.services`; everybody else gets 404, whether the authority exists or not. A refused
form names the field and writes nothing; a saved one writes exactly one audit row."""
import uuid

import pytest

from directory.models import Authority, Endpoint, Responsibility
from fitstore.models import AuditEntry
from tests.directory.fixtures import BERG, STARNBERG_CITY, STARNBERG_DISTRICT, WOHNGELD

pytestmark = pytest.mark.django_db

BASE = "/verzeichnis/behoerden/"
IDENTIFIER = "dvdv:by-lra-starnberg"


@pytest.fixture
def starnberg(directory):
    return directory.authority(IDENTIFIER, name="Landratsamt Starnberg")


@pytest.fixture
def maintainer(client, make_user):
    client.force_login(make_user("pflege-by", role="directory-maintainer", state="BY"))
    return client


def audit_rows():
    """Audit rows of directory objects (signing in leaves rows of its own)."""
    return AuditEntry.objects.filter(object_type__app_label="directory").count()


def field_errors(response, field):
    return response.context["form"].errors.get(field)


# --- who may write ---------------------------------------------------------------------------------

EDIT_PATHS = [
    BASE + "neu/",
    BASE + IDENTIFIER + "/bearbeiten/",
    BASE + IDENTIFIER + "/deaktivieren/",
    BASE + IDENTIFIER + "/adressen/neu/",
    BASE + IDENTIFIER + "/zustaendigkeiten/neu/",
]


# A maintainer of another state may open the registration form: for their own state.
@pytest.mark.parametrize("path,role,state", [
    (path, role, state)
    for role, state in [(None, None), ("coordinator", "BY"), ("directory-maintainer", "NI")]
    for path in EDIT_PATHS if not (path == BASE + "neu/" and state == "NI")
])
def test_others_get_404_for_existing_and_unknown_authorities_alike(client, make_user, starnberg, path, role, state):
    client.force_login(make_user("andere", role=role, state=state))
    before = audit_rows()

    existing = client.get(path)
    posted = client.post(path, {"name": "Übernommen", "identifier": "x:y", "state": "BY", "ars": "09188", "kind": "STATE"})
    unknown = client.get(path.replace(IDENTIFIER, "dvdv:by-gibt-es-nicht"))

    assert existing.status_code == posted.status_code == unknown.status_code == 404
    assert audit_rows() == before
    assert Authority.objects.get(identifier=IDENTIFIER).name == "Landratsamt Starnberg"


def test_anonymous_is_sent_to_sign_in(client, starnberg):
    response = client.post(BASE + IDENTIFIER + "/deaktivieren/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Authority.objects.get(identifier=IDENTIFIER).active


@pytest.mark.parametrize("path", EDIT_PATHS)
def test_maintainer_and_operator_open_the_forms(client, make_user, starnberg, path):
    client.force_login(make_user("pflege-by", role="directory-maintainer", state="BY"))
    assert client.get(path).status_code == 200
    client.force_login(make_user("betrieb", role="operator"))
    assert client.get(path).status_code == 200


# --- authorities -----------------------------------------------------------------------------------

def test_register_authority_writes_one_audit_row_and_redirects(maintainer):
    before = audit_rows()
    response = maintainer.post(BASE + "neu/", {
        "identifier": "wgb:091880139139", "name": "Wohngeldstelle Starnberg", "kind": "MUNICIPAL", "state": "BY",
        "ars": STARNBERG_CITY,
    })

    assert response.status_code == 302
    assert response["Location"] == BASE + "wgb:091880139139/"
    authority = Authority.objects.get(identifier="wgb:091880139139")
    assert authority.region_id == STARNBERG_CITY and authority.state.code == "BY"
    assert audit_rows() == before + 1
    page = maintainer.get(response["Location"])
    assert "Wohngeldstelle Starnberg" in [str(message) for message in page.context["messages"]][0]


@pytest.mark.parametrize("data,field", [
    ({"identifier": "kein identifier"}, "identifier"),
    ({"identifier": IDENTIFIER}, "identifier"),  # taken
    ({"ars": "0918"}, "ars"),  # wrong length
    ({"ars": "99999"}, "ars"),  # unknown
    ({"ars": "031515402"}, "ars"),  # Lower Saxony, not in Bavaria
    ({"name": ""}, "name"),
])
def test_register_authority_names_the_field_and_writes_nothing(maintainer, starnberg, data, field):
    before = audit_rows(), Authority.objects.count()
    response = maintainer.post(BASE + "neu/", {
        "identifier": "wgb:neu", "name": "Neue Behörde", "kind": "MUNICIPAL", "state": "BY", "ars": BERG, **data,
    })

    assert response.status_code == 400
    assert field_errors(response, field), response.context["form"].errors
    assert (audit_rows(), Authority.objects.count()) == before
    assert f'id="id_{field}_error"' in response.text
    assert 'aria-invalid="true"' in response.text


def test_maintainer_cannot_register_in_another_state(maintainer):
    response = maintainer.post(BASE + "neu/", {
        "identifier": "wgb:ni", "name": "Fremd", "kind": "MUNICIPAL", "state": "NI", "ars": "031515402",
    })

    assert response.status_code == 400
    assert field_errors(response, "state")  # NI is not among the choices
    assert not Authority.objects.filter(identifier="wgb:ni").exists()


def test_update_authority(maintainer, starnberg):
    before = audit_rows()
    bad = maintainer.post(BASE + IDENTIFIER + "/bearbeiten/", {"name": "LRA", "kind": "DISTRICT", "ars": "031515402"})
    assert bad.status_code == 400 and field_errors(bad, "ars")
    assert audit_rows() == before

    good = maintainer.post(BASE + IDENTIFIER + "/bearbeiten/", {"name": "LRA Starnberg", "kind": "DISTRICT",
                                                               "ars": STARNBERG_DISTRICT})
    assert good.status_code == 302
    assert Authority.objects.get(identifier=IDENTIFIER).name == "LRA Starnberg"
    assert audit_rows() == before + 1


def test_deactivate_authority_asks_first_then_deactivates_once(maintainer, starnberg):
    path = BASE + IDENTIFIER + "/deaktivieren/"
    before = audit_rows()

    confirm = maintainer.get(path)
    assert confirm.status_code == 200 and 'class="confirm-form"' in confirm.text
    assert Authority.objects.get(identifier=IDENTIFIER).active

    done = maintainer.post(path)
    assert done.status_code == 302
    assert not Authority.objects.get(identifier=IDENTIFIER).active
    assert audit_rows() == before + 1

    again = maintainer.post(path)
    assert again.status_code == 400 and audit_rows() == before + 1


# --- endpoints -------------------------------------------------------------------------------------

def endpoint_data(**data):
    return {"kind": "FIT_CONNECT", "address": "https://submission.example.org/lra-starnberg",
            "destination_id": str(uuid.uuid4()), "service_uri": "", "certificate_pem": "", **data}


def test_register_fit_connect_endpoint(maintainer, starnberg):
    before = audit_rows()
    data = endpoint_data()
    response = maintainer.post(BASE + IDENTIFIER + "/adressen/neu/", data)

    assert response.status_code == 302
    endpoint = Endpoint.objects.get(authority=starnberg)
    assert str(endpoint.destination_id) == data["destination_id"]
    assert response["Location"] == f"{BASE}{IDENTIFIER}/#endpoint-{endpoint.pk}"
    assert audit_rows() == before + 1


@pytest.mark.parametrize("data,field", [
    ({"destination_id": ""}, "destination_id"),
    ({"destination_id": "keine-uuid"}, "destination_id"),
    ({"address": "http://unverschluesselt.example.org"}, "address"),
    ({"kind": "EMAIL", "address": "keine adresse"}, "address"),
    ({"kind": "OSCI_XTA", "destination_id": ""}, "certificate_pem"),
    ({"kind": "ZETTEL"}, "kind"),
])
def test_register_endpoint_names_the_field_and_writes_nothing(maintainer, starnberg, data, field):
    before = audit_rows()
    response = maintainer.post(BASE + IDENTIFIER + "/adressen/neu/", endpoint_data(**data))

    assert response.status_code == 400
    assert field_errors(response, field), response.context["form"].errors
    assert audit_rows() == before and not Endpoint.objects.filter(authority=starnberg).exists()


def test_osci_endpoint_with_a_certificate_file_and_its_errors(maintainer, starnberg, certificates):
    from django.core.files.uploadedfile import SimpleUploadedFile

    path = BASE + IDENTIFIER + "/adressen/neu/"
    data = endpoint_data(kind="OSCI_XTA", destination_id="", address="https://osci.example.org/lra")
    before = audit_rows()
    for pem in (certificates.expired, certificates.garbage):
        upload = SimpleUploadedFile("lra.pem", pem.encode(), content_type="application/x-pem-file")
        refused = maintainer.post(path, {**data, "certificate_file": upload})
        assert refused.status_code == 400 and field_errors(refused, "certificate_file")
    pasted_garbage = maintainer.post(path, {**data, "certificate_pem": certificates.garbage})
    assert pasted_garbage.status_code == 400 and field_errors(pasted_garbage, "certificate_pem")
    assert audit_rows() == before

    upload = SimpleUploadedFile("lra.pem", certificates.valid.encode(), content_type="application/x-pem-file")
    response = maintainer.post(path, {**data, "certificate_file": upload})

    assert response.status_code == 302
    endpoint = Endpoint.objects.get(authority=starnberg)
    assert endpoint.certificate_fingerprint_sha256 == certificates.valid_fingerprint
    assert audit_rows() == before + 1


def test_deactivate_endpoint_with_confirmation(client, make_user, directory, starnberg):
    endpoint = directory.endpoint(starnberg)
    path = f"/verzeichnis/adressen/{endpoint.pk}/deaktivieren/"
    own = make_user("pflege-by", role="directory-maintainer", state="BY")
    other = make_user("pflege-ni", role="directory-maintainer", state="NI")
    before = audit_rows()

    client.force_login(own)
    assert client.get(path).status_code == 200
    assert Endpoint.objects.get(pk=endpoint.pk).active
    client.force_login(other)
    assert client.post(path).status_code == 404
    assert client.post("/verzeichnis/adressen/999999/deaktivieren/").status_code == 404
    client.force_login(own)
    assert client.post(path).status_code == 302

    assert not Endpoint.objects.get(pk=endpoint.pk).active
    assert audit_rows() == before + 1


# --- responsibilities ------------------------------------------------------------------------------

def test_assign_responsibility_by_the_service_name(maintainer, starnberg):
    from store.models import LeikaService

    path = BASE + IDENTIFIER + "/zustaendigkeiten/neu/"
    name = LeikaService.objects.get(leika_key=WOHNGELD).name
    before = audit_rows()

    ambiguous = maintainer.post(path, {"leika_key": "geld", "regions": STARNBERG_DISTRICT})
    assert ambiguous.status_code == 400
    assert "Wählen Sie unten eine aus" in " ".join(field_errors(ambiguous, "leika_key"))
    assert 'name="leika_choice" value="99' in ambiguous.text  # the candidates, with their keys
    assert audit_rows() == before

    # "Wohngeld" is one LeiKa service's name, and the catalogue's online service for it offers nine:
    # the form shows them all and takes none silently.
    offered = maintainer.post(path, {"leika_key": name, "regions": STARNBERG_DISTRICT})
    assert offered.status_code == 400 and audit_rows() == before
    choices = [key for key, _ in offered.context["form"].fields["leika_choice"].choices]
    assert WOHNGELD in choices and "99107023017001" in choices and len(choices) >= 9
    assert f'name="leika_choice" value="{WOHNGELD}"' in offered.text

    response = maintainer.post(path, {"leika_key": name, "leika_choice": WOHNGELD, "regions": STARNBERG_DISTRICT})

    assert response.status_code == 302, response.context["form"].errors
    responsibility = Responsibility.objects.get(authority=starnberg)
    assert responsibility.service.leika_key == WOHNGELD
    assert list(responsibility.regions.values_list("ars", flat=True)) == [STARNBERG_DISTRICT]
    assert audit_rows() == before + 1


@pytest.mark.parametrize("data,field", [
    ({"leika_key": "12345678901234"}, "leika_key"),  # not 99 + 12 digits
    ({"leika_key": "99999999999999"}, "leika_key"),  # unknown
    ({"leika_key": "gibt-es-nicht-xyz"}, "leika_key"),  # no such name
    ({"regions": "0918"}, "regions"),
    ({"regions": "09188, 031515402"}, "regions"),  # Lower Saxony
    ({"regions": ""}, "regions"),
])
def test_assign_responsibility_names_the_field_and_writes_nothing(maintainer, starnberg, data, field):
    before = audit_rows()
    response = maintainer.post(BASE + IDENTIFIER + "/zustaendigkeiten/neu/",
                               {"leika_key": WOHNGELD, "regions": STARNBERG_DISTRICT, **data})

    assert response.status_code == 400
    assert field_errors(response, field), response.context["form"].errors
    assert audit_rows() == before and not Responsibility.objects.filter(authority=starnberg).exists()


def test_withdraw_responsibility_with_confirmation(maintainer, directory, starnberg):
    directory.responsible(starnberg, WOHNGELD, STARNBERG_DISTRICT, BERG)
    path = f"{BASE}{IDENTIFIER}/zustaendigkeiten/{WOHNGELD}/entziehen/"
    before = audit_rows()

    assert maintainer.get(path).status_code == 200
    not_assigned = maintainer.post(path, {"regions": STARNBERG_CITY})
    assert not_assigned.status_code == 400 and field_errors(not_assigned, "regions")
    assert audit_rows() == before

    assert maintainer.post(path, {"regions": BERG}).status_code == 302
    assert list(Responsibility.objects.get(authority=starnberg).regions.values_list("ars", flat=True)) == [STARNBERG_DISTRICT]
    assert maintainer.post(path, {"regions": ""}).status_code == 302
    assert not Responsibility.objects.filter(authority=starnberg).exists()
    assert audit_rows() == before + 2
    assert maintainer.get(path).status_code == 404
