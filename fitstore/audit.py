"""The audit log: services call `record()` inside their transaction, once per changed object.

NetBox's ObjectChange, written by our services (Zulip's actions) instead of signals, so that the
write and its trace commit or roll back together.
"""
import datetime
import decimal
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from .choices import AuditAction
from .middleware import current_request_id
from .models import AuditEntry

SYSTEM_ACTOR = "system"


def snapshot(instance: models.Model, *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """The concrete field values of a model instance, JSON-safe, for `before` and `after`."""
    exclude = (*exclude, *getattr(instance, "audit_exclude", ()))
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude:
            continue
        data[field.attname] = _json_value(field.value_from_object(instance))
    for field in instance._meta.many_to_many:
        if field.name in exclude or instance.pk is None:
            continue
        data[field.name] = sorted(related.pk for related in field.value_from_object(instance))
    return data


def _json_value(value):
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    return value


def record(
    verb: str,
    instance: models.Model,
    *,
    actor,
    action: str = AuditAction.UPDATED,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
    token=None,
) -> AuditEntry:
    """Write one audit row for `instance`. Must run inside the service's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must run inside the writing transaction")
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = actor if isinstance(actor, str) else (actor.get_username() if user else SYSTEM_ACTOR)
    if after is None and action != AuditAction.DELETED:
        after = snapshot(instance)
    return AuditEntry.objects.create(
        actor=user,
        actor_label=label[:150],
        token=token or getattr(actor, "authenticated_token", None),
        request_id=current_request_id(),
        action=action,
        verb=verb,
        object_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        before=before,
        after=after,
        note=note,
    )
