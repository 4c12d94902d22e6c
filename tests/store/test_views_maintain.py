"""The maintainer's pages beside publishing: recording the evidence for an EfA criterion
(services.assess_criterion) and editing the basic data (services.update_online_service)."""
import pytest

from fitstore.models import AuditEntry
from store.models import CriterionAssessment, Repository

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


# --- the repository, on the edit page (services.set_repository) ----------------------------------

REPOSITORY_URL = "/katalog/geburtsurkunde/repository/"


def test_only_maintainers_and_operators_may_register_the_repository(client, make_user, tmp_path, settings):
    settings.ALLOW_LOCAL_REPOSITORIES = True
    assert client.post(REPOSITORY_URL, {"repository_url": str(tmp_path)}).status_code == 302  # to sign in
    client.force_login(make_user("andere", role="maintainer", online_service="wohngeld"))
    assert client.post(REPOSITORY_URL, {"repository_url": str(tmp_path)}).status_code == 403
    assert not Repository.objects.filter(online_service__slug="geburtsurkunde").exists()
    client.force_login(make_user("betrieb", role="operator"))
    assert client.post(REPOSITORY_URL, {"repository_url": str(tmp_path), "license": "MIT"}).status_code == 302
    assert Repository.objects.get(online_service__slug="geburtsurkunde").license == "MIT"


def test_the_maintainer_registers_the_repository_on_the_edit_page(client, maintainer, tmp_path, settings):
    settings.ALLOW_LOCAL_REPOSITORIES = True
    edit = client.get("/katalog/geburtsurkunde/bearbeiten/")
    assert 'action="/katalog/geburtsurkunde/repository/"' in edit.text and 'name="repository_url"' in edit.text
    rows = AuditEntry.objects.count()

    response = client.post(REPOSITORY_URL, {"repository_url": str(tmp_path / "urkunde.git"), "license": "eupl-1.2"})

    assert response.status_code == 302 and response["Location"] == "/katalog/geburtsurkunde/#releases-heading"
    repository = Repository.objects.get(online_service__slug="geburtsurkunde")
    assert (repository.url, repository.license) == (str(tmp_path / "urkunde.git"), "EUPL-1.2")
    assert AuditEntry.objects.count() == rows + 1 and AuditEntry.objects.latest("id").verb == "set_repository"
    page = client.get(response["Location"])
    assert 'href="/katalog/geburtsurkunde/veroeffentlichen/"' in page.text  # the next step, as a link
    again = client.get("/katalog/geburtsurkunde/bearbeiten/")  # the form shows what is registered
    assert f'value="{tmp_path / "urkunde.git"}"' in again.text


@pytest.mark.parametrize("data, field, words", [
    ({"repository_url": "http://gitlab.opencode.de/land/urkunde.git"}, "repository_url", "https://"),
    ({"repository_url": "https://evil.example.org/land/urkunde.git"}, "repository_url", "evil.example.org"),
    ({"repository_url": "/srv/git/urkunde.git"}, "repository_url", "Lokale Repositorys"),
    ({"repository_url": ""}, "repository_url", "URL"),
    ({"repository_url": "/srv/git/urkunde.git", "license": "frei"}, "license", "SPDX"),
])
def test_refused_repositories_are_shown_on_the_field(client, maintainer, settings, data, field, words):
    settings.ALLOW_LOCAL_REPOSITORIES = field == "license"
    rows = AuditEntry.objects.count()

    response = client.post(REPOSITORY_URL, data)

    assert response.status_code == 400
    assert list(response.context["repository_form"].errors) == [field]
    assert f'id="id_{field}_error"' in response.text and words in response.text
    assert AuditEntry.objects.count() == rows
    assert not Repository.objects.filter(online_service__slug="geburtsurkunde").exists()
