"""Operators edit online services in the admin; the change goes through the service (audited)."""
import pytest

from fitstore.models import AuditEntry
from store.models import OnlineService

pytestmark = pytest.mark.django_db


def change_form_data(online_service, **changes):
    data = {
        "name": online_service.name, "summary": online_service.summary, "description": online_service.description,
        "provider_state": online_service.provider_state_id, "responsible_ministry": online_service.responsible_ministry,
        "it_provider": online_service.it_provider, "lifecycle": online_service.lifecycle,
        "maturity_level": online_service.maturity_level, "topic": online_service.topic_id,
        "life_situations": [ls.pk for ls in online_service.life_situations.all()],
        "services": [s.pk for s in online_service.services.all()],
        "is_demo": "on" if online_service.is_demo else "",
        "created_at_0": online_service.created_at.strftime("%Y-%m-%d"),
        "created_at_1": online_service.created_at.strftime("%H:%M:%S"),
    }
    data.update(changes)
    return data


def test_operator_changes_an_online_service_with_one_audit_row(client, make_user):
    operator = make_user("ops", role="operator")
    client.force_login(operator)
    elterngeld = OnlineService.objects.get(slug="elterngeld")
    audit_rows = AuditEntry.objects.count()

    response = client.post(
        f"/admin/store/onlineservice/{elterngeld.pk}/change/", change_form_data(elterngeld, lifecycle="RETIRED")
    )

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    assert OnlineService.objects.get(pk=elterngeld.pk).lifecycle == "RETIRED"
    assert AuditEntry.objects.count() == audit_rows + 1
    entry = AuditEntry.objects.latest("id")
    assert entry.actor == operator and entry.verb == "update_online_service"
    assert entry.before["lifecycle"] == "AVAILABLE" and entry.after["lifecycle"] == "RETIRED"


def test_reference_data_is_read_only_in_the_admin(client, make_user):
    client.force_login(make_user("ops", role="operator"))

    assert client.get("/admin/directory/region/add/").status_code == 403
    assert client.get("/admin/store/leikaservice/").status_code == 200
