"""The maintainer's pages beside publishing: recording the evidence for an EfA criterion
(services.assess_criterion) and editing the basic data (services.update_online_service)."""
import pytest

from fitstore.models import AuditEntry
from store.models import CriterionAssessment

pytestmark = pytest.mark.django_db
URL = "/katalog/geburtsurkunde/kriterien/"


@pytest.fixture
def maintainer(client, make_user):
    client.force_login(make_user("pflege-urkunde", role="maintainer", online_service="geburtsurkunde"))


def test_only_maintainers_and_operators_may_record(client, make_user):
    assert client.get(URL).status_code == 302  # to sign in
    client.force_login(make_user("andere", role="maintainer", online_service="wohngeld"))
    rows = AuditEntry.objects.count()
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"criterion": "C1", "met": "yes", "evidence": "x"}).status_code == 403
    assert AuditEntry.objects.count() == rows
    client.force_login(make_user("betrieb", role="operator"))
    assert client.get(URL).status_code == 200


def test_recording_writes_one_audit_row_and_shows_on_the_page(client, maintainer):
    rows = AuditEntry.objects.count()

    response = client.post(URL, {"criterion": "C3", "met": "yes", "evidence": "Anbindung über FIT-Connect, Beschluss 2026-04"})

    assert response.status_code == 302 and response["Location"] == "/katalog/geburtsurkunde/#criteria-heading"
    assessment = CriterionAssessment.objects.get(online_service__slug="geburtsurkunde", criterion="C3")
    assert assessment.met is True and assessment.evidence.startswith("Anbindung über FIT-Connect")
    assert AuditEntry.objects.count() == rows + 1 and AuditEntry.objects.latest("id").verb == "assess_criterion"
    page = client.get(response["Location"])
    assert "Anbindung über FIT-Connect, Beschluss 2026-04" in page.text
    assert len(list(page.context["messages"])) == 1
    assert 'href="/katalog/geburtsurkunde/kriterien/?criterion=C1"' in page.text
    assert "kriterien/?criterion=C6" not in page.text  # computed, never recorded

    again = client.get(URL, {"criterion": "C3"})  # the form shows what is recorded
    assert "Beschluss 2026-04</textarea>" in again.text and 'value="yes" id="id_met_0" required checked' in again.text


@pytest.mark.parametrize("data, field", [
    ({"criterion": "C1", "met": "yes", "evidence": "   "}, "evidence"),  # the service requires evidence
    ({"criterion": "C6", "met": "yes", "evidence": "neun Länder"}, "criterion"),  # computed
    ({"criterion": "C9", "met": "yes", "evidence": "x"}, "criterion"),
    ({"criterion": "C1", "evidence": "x"}, "met"),
])
def test_errors_are_shown_on_the_field_and_nothing_is_written(client, maintainer, data, field):
    rows = AuditEntry.objects.count()

    response = client.post(URL, data)

    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert f'id="id_{field}_error"' in response.text and 'aria-invalid="true"' in response.text
    assert AuditEntry.objects.count() == rows
    assert not CriterionAssessment.objects.filter(online_service__slug="geburtsurkunde").exists()


EDIT = "/katalog/geburtsurkunde/bearbeiten/"


def edit_data(**changes):
    data = {"name": "Geburtsurkunde online", "summary": "Urkunde anfordern", "description": "", "it_provider": "Dataport",
            "responsible_ministry": "BMI", "lifecycle": "PILOT", "maturity_level": "3", "political_support": "on"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_editing_the_basic_data_needs_the_role(client, make_user):
    assert client.get(EDIT).status_code == 302
    client.force_login(make_user("koordination", role="coordinator", state="HB"))
    rows = AuditEntry.objects.count()
    assert client.get(EDIT).status_code == 403 and client.post(EDIT, edit_data()).status_code == 403
    assert AuditEntry.objects.count() == rows


def test_editing_saves_through_the_service_with_one_audit_row(client, maintainer):
    from store.models import OnlineService

    form = client.get(EDIT)
    assert form.status_code == 200 and 'value="Geburtsurkunde online"' in form.text
    rows = AuditEntry.objects.count()

    response = client.post(EDIT, edit_data(it_provider="Dataport AöR"))

    assert response.status_code == 302 and response["Location"] == "/katalog/geburtsurkunde/"
    service = OnlineService.objects.get(slug="geburtsurkunde")
    assert (service.it_provider, service.lifecycle, service.maturity_level, service.political_support) == (
        "Dataport AöR", "PILOT", 3, True)
    assert AuditEntry.objects.count() == rows + 1 and AuditEntry.objects.latest("id").verb == "update_online_service"

    client.post(EDIT, edit_data(it_provider="Dataport AöR"))  # the same again: nothing recorded
    assert AuditEntry.objects.count() == rows + 1


@pytest.mark.parametrize("changes, field", [({"name": "  "}, "name"), ({"lifecycle": "SOMEDAY"}, "lifecycle"),
                                            ({"maturity_level": "9"}, "maturity_level")])
def test_edit_errors_are_on_the_field_and_nothing_is_written(client, maintainer, changes, field):
    rows = AuditEntry.objects.count()

    response = client.post(EDIT, edit_data(**changes))

    assert response.status_code == 400 and list(response.context["form"].errors) == [field]
    assert f'id="id_{field}_error"' in response.text and 'role="alert"' in response.text
    assert AuditEntry.objects.count() == rows
