"""store.services: the only write path for online services."""
import pytest
from django.core.exceptions import ValidationError

from directory.models import State
from fitstore.models import AuditEntry
from store import services
from store.models import LeikaService, OnlineService

pytestmark = pytest.mark.django_db


def register(**overrides):
    fields = {"slug": "kfz-zulassung", "name": "Kfz-Zulassung", "provider_state": State.objects.by_code("HE"),
              "lifecycle": "PLANNED", "actor": "system:test"}
    fields.update(overrides)
    return services.register_online_service(**fields)


def test_register_writes_the_service_and_one_audit_row():
    audit_rows = AuditEntry.objects.count()
    keys = LeikaService.objects.filter(ozg_service__name="Wohngeld")[:2]

    online_service = register(services=keys)

    assert online_service.pk and set(online_service.services.all()) == set(keys)
    assert AuditEntry.objects.count() == audit_rows + 1
    entry = AuditEntry.objects.latest("id")
    assert entry.verb == "register_online_service" and entry.action == "CREATED"
    assert sorted(entry.after["services"]) == sorted(k.pk for k in keys)


@pytest.mark.parametrize(
    "overrides, field, code",
    [
        ({"slug": "Not a slug!"}, "slug", "INVALID"),
        ({"slug": "wohngeld"}, "slug", "UNIQUE"),
        ({"name": ""}, "name", "REQUIRED"),
        ({"provider_state": None}, "provider_state", "REQUIRED"),
        ({"provider_state": "XX"}, "provider_state", "NOT_FOUND"),
        ({"services": [10**9]}, "services", "NOT_FOUND"),
        ({"lifecycle": "SOLD"}, "lifecycle", "INVALID"),
        ({"maturity_level": 9}, "maturity_level", "INVALID"),
    ],
)
def test_invalid_input_names_the_field_and_writes_nothing(overrides, field, code):
    before, audit_rows = OnlineService.objects.count(), AuditEntry.objects.count()

    with pytest.raises(ValidationError) as raised:
        register(**overrides)

    assert field in raised.value.error_dict
    assert raised.value.error_dict[field][0].code == code
    assert OnlineService.objects.count() == before and AuditEntry.objects.count() == audit_rows


def test_the_provider_state_can_be_given_by_its_code():
    online_service = register(provider_state="he")

    assert online_service.provider_state.code == "HE"


def test_an_invalid_update_names_the_field_and_writes_nothing():
    online_service = OnlineService.objects.get(slug="elterngeld")
    audit_rows = AuditEntry.objects.count()

    with pytest.raises(ValidationError) as raised:
        services.update_online_service(online_service, name="Neu", provider_state="XX", actor="system:test")

    assert raised.value.error_dict["provider_state"][0].code == "NOT_FOUND"
    assert OnlineService.objects.get(slug="elterngeld").name == "Elterngeld digital"
    assert AuditEntry.objects.count() == audit_rows


def test_update_without_a_change_writes_no_audit_row():
    online_service = OnlineService.objects.get(slug="elterngeld")
    audit_rows = AuditEntry.objects.count()

    assert services.update_online_service(online_service, name=online_service.name, actor="system:test") is False
    assert services.update_online_service(online_service, lifecycle="RETIRED", actor="system:test") is True

    assert AuditEntry.objects.count() == audit_rows + 1
    assert AuditEntry.objects.latest("id").before["lifecycle"] == "AVAILABLE"
