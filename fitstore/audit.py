"""The audit log: services call `record()` inside their transaction, once per changed object.

NetBox's ObjectChange, written by our services (Zulip's actions) instead of signals, so that the
write and its trace commit or roll back together.

Apps that must learn of committed writes register a hook in their `AppConfig.ready()`
(`on_commit_of(callback, apps=..., models=...)`): `record()` schedules the callback on commit once
per audited row of those apps or models. The audit log itself names no app.
"""
import datetime
import decimal
import ipaddress
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.crypto import salted_hmac

from .choices import AuditAction
from .middleware import current_request, current_request_id
from .models import AuditEntry

SYSTEM_ACTOR = "system"


def actor_of(actor) -> tuple[Any, str]:
    """(user, label) of who acts: a signed-in user (or a token's user) and their user name, or
    None and the name of a system actor ("system:import_directory"; SYSTEM_ACTOR for others)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = actor if isinstance(actor, str) else (actor.get_username() if user else SYSTEM_ACTOR)
    return user, label[:150]


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
    object_id: str | None = None,
) -> AuditEntry:
    """Write one audit row for `instance`. Must run inside the service's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must run inside the writing transaction")
    user, label = actor_of(actor)
    if after is None and action != AuditAction.DELETED:
        after = snapshot(instance)
    token = token or getattr(actor, "authenticated_token", None)
    attribution = attribution_of(current_request(), token)
    for hook in _commit_hooks:
        if hook.watches(instance):
            transaction.on_commit(hook.callback)
    return AuditEntry.objects.create(
        actor=user,
        actor_label=label,
        token=token,
        **attribution,
        request_id=current_request_id(),
        action=action,
        verb=verb,
        object_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk) if object_id is None else object_id,
        object_repr=str(instance)[:200],
        before=before,
        after=after,
        note=note,
    )


def session_hash(session_key: str | None) -> str:
    """A keyed hash of a session key: rows of one session share it, the key cannot be read back."""
    if not session_key:
        return ""
    return salted_hmac("fitstore.audit.session", session_key).hexdigest()[:32]


def attribution_of(request, token=None) -> dict:
    """Which API token or web session, from which address, made the change (for `record`).

    A token request is attributed to its token (by prefix and name, never the secret); a browser
    request to a keyed hash of its session key. Commands and other processes have no request:
    their request id (`cmd-<name>-…`) says where the write came from.
    """
    token = token or getattr(request, "api_token", None)
    attribution = {
        "token_label": f"{token.prefix}… {token.name}".strip()[:120] if token is not None else "",
        "session_hash": "",
        "client_address": None,
    }
    if request is None:
        return attribution
    address = request.META.get("REMOTE_ADDR", "")
    try:
        attribution["client_address"] = str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        attribution["client_address"] = None
    session = getattr(request, "session", None)
    if token is None and session is not None:
        attribution["session_hash"] = session_hash(session.session_key)
    return attribution


@dataclass
class CommitHook:
    """A callback run on commit of every audited write to one of its apps or models."""

    callback: Callable[[], None]
    app_labels: set[str] = field(default_factory=set)
    model_labels: set[str] = field(default_factory=set)  # Model._meta.label_lower

    def watches(self, instance: models.Model) -> bool:
        return instance._meta.app_label in self.app_labels or instance._meta.label_lower in self.model_labels


_commit_hooks: list[CommitHook] = []


def on_commit_of(
    callback: Callable[[], None], *, apps: Iterable[str] = (), models: Iterable[type[models.Model]] = (),
) -> None:
    """Run `callback` on commit of each audited write to a model of `apps` (app labels) or to one
    of `models`. Called from `AppConfig.ready()`; registering the same callback again widens what
    it watches, so one audited row schedules it once."""
    hook = next((hook for hook in _commit_hooks if hook.callback is callback), None)
    if hook is None:
        hook = CommitHook(callback)
        _commit_hooks.append(hook)
    hook.app_labels.update(apps)
    hook.model_labels.update(model._meta.label_lower for model in models)
