"""The audit log is written in the same transaction as the change it records."""
import pytest
from django.db import transaction

from fitstore import audit, services
from fitstore.models import AuditEntry, RoleAssignment


def test_a_service_writes_exactly_one_row_with_before_and_after(make_user):
    user = make_user("anna")
    before = AuditEntry.objects.count()

    services.grant_role(user, "gateway", actor="system:test")

    entry = AuditEntry.objects.latest("id")
    assert AuditEntry.objects.count() == before + 1
    assert entry.verb == "grant_role" and entry.action == "CREATED"
    assert entry.actor is None and entry.actor_label == "system:test"
    assert entry.after["role"] == "gateway" and entry.before is None


def test_a_rolled_back_change_leaves_no_audit_row(make_user):
    user = make_user("anna")
    before = AuditEntry.objects.count()

    with pytest.raises(RuntimeError):
        with transaction.atomic():
            services.grant_role(user, "gateway", actor="system:test")
            raise RuntimeError("the caller fails after the service")

    assert AuditEntry.objects.count() == before
    assert not RoleAssignment.objects.filter(user=user).exists()


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_transaction_is_a_programming_error():
    from directory.models import State

    state = State.objects.create(code="ZZ", name="Test", ars="99")
    with pytest.raises(RuntimeError, match="inside the writing transaction"):
        audit.record("touch", state, actor="system:test")
