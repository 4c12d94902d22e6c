"""Webhook subscriptions to the directory's changes (push for gateways, beside the pull feed
`directoryChanges`).

A gateway subscribes a callback URL (all changes, or one state's) and receives the signing
secret once. The worker (`manage.py deliver_webhooks`, started by `make run`) feeds the delivery
queue (`WebhookDelivery`) from the audit log, the same source as `directoryChanges`, and POSTs
each change as JSON, in order per subscription:

    X-FIT-Store-Signature: sha256=<hex HMAC-SHA256 of the raw body with the secret>
    X-FIT-Store-Timestamp: <Unix time of the attempt>
    X-FIT-Store-Delivery:  <delivery id, the same on every retry>

A 2xx answer delivers it; anything else is retried with exponential back-off
(WEBHOOK_RETRY_SECONDS doubled per attempt, at most WEBHOOK_RETRY_MAX_SECONDS); after
WEBHOOK_MAX_ATTEMPTS the delivery is dropped, the subscription is marked FAILING and delivery
goes on with the next change (a later success marks it ACTIVE again). Every payload carries its
`cursor`, so a gateway fills a gap from `directoryChanges(after: …)`.

Callback URLs pass the same address checks as repository URLs (fitstore.addresses): https, no
credentials, every resolved address public; checked when subscribing and again at each attempt,
and the connection goes to the address checked (no second lookup). WEBHOOK_ALLOW_PRIVATE_ADDRESSES
(tests, single machines) also allows loopback and private addresses and plain http.
"""
import datetime
import hashlib
import hmac
import http.client
import json
import secrets
import socket
import ssl
import time
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from graphql_relay import to_global_id

from fitstore import addresses, audit
from fitstore.choices import AuditAction
from fitstore.errors import FieldErrors, field_error, not_given
from fitstore.models import AuditEntry

from .. import rules
from ..error_codes import DirectoryErrorCode as Code
from ..models import DeliveryStatus, WebhookDelivery, WebhookStatus, WebhookSubscription
from .feed import change_records, content_types

SIGNATURE_HEADER = "X-FIT-Store-Signature"
TIMESTAMP_HEADER = "X-FIT-Store-Timestamp"
DELIVERY_HEADER = "X-FIT-Store-Delivery"
MAX_URL_LENGTH = 500
_WORKER_LOCK = 0x46495457  # "FITW": one delivery worker at a time (PostgreSQL)


def _setting(name: str, default):
    return getattr(settings, name, default)


# --- callback URLs -------------------------------------------------------------------------------

def _resolve(host: str, port: int) -> list[str]:
    """The host's addresses, all of which must be public (private ones too where the setting
    allows them; multicast and unspecified never)."""
    def allowed(address: str) -> bool:
        parsed = addresses.ip(address)
        return _setting("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False) and not (parsed.is_multicast or parsed.is_unspecified)

    return addresses.resolve_public(host, port, field="callback_url", code=Code.URL_NOT_ALLOWED.value, allowed=allowed)


def check_callback_url(url, *, resolve: bool = True) -> tuple[str, list[str]]:
    """The URL and its checked addresses; ValidationError on "callback_url" otherwise."""
    if not isinstance(url, str) or not url.strip():
        raise field_error("callback_url", _("Give the callback URL."), Code.REQUIRED)
    url = url.strip()
    if len(url) > MAX_URL_LENGTH or any(ord(c) <= 0x20 or ord(c) == 0x7F for c in url):
        raise field_error("callback_url", _("Not a usable callback URL."), Code.INVALID)
    parts = urlsplit(url)
    allow_private = _setting("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False)
    if parts.scheme != "https" and not (allow_private and parts.scheme == "http"):
        raise field_error("callback_url", _("Only https:// callback URLs are allowed."), Code.URL_NOT_ALLOWED)
    try:
        host, port = (parts.hostname or "").lower(), parts.port
    except ValueError:
        raise field_error("callback_url", _("Not a usable callback URL."), Code.INVALID) from None
    if not host:
        raise field_error("callback_url", _("Not a usable callback URL."), Code.INVALID)
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise field_error("callback_url", _("Credentials in the URL are not allowed."), Code.URL_NOT_ALLOWED)
    if parts.fragment:
        raise field_error("callback_url", _("A callback URL has no fragment (#…)."), Code.INVALID)
    checked = _resolve(host, port or (443 if parts.scheme == "https" else 80)) if resolve else []
    return url, checked


# --- subscriptions (services: atomic, audited) -------------------------------------------------------

def _latest_change_id() -> int:
    return AuditEntry.objects.filter(object_type_id__in=list(content_types())).aggregate(last=Max("id"))["last"] or 0


@transaction.atomic
def subscribe(owner, *, callback_url: str, state_code: str | None = None, actor) -> tuple[WebhookSubscription, str]:
    """A new subscription of `owner` to the changes committed from now on; (subscription, secret).
    The secret is shown once (it signs the deliveries)."""
    errors = FieldErrors()
    state = None if not_given(state_code) else rules.find_state(state_code, errors, field="state")
    try:
        url, _addresses = check_callback_url(callback_url)
    except ValidationError as error:
        errors.extend(error)
    errors.raise_if_any()
    secret = "whsec_" + secrets.token_urlsafe(32)
    subscription = WebhookSubscription.objects.create(owner=owner, callback_url=url, state=state, secret=secret,
                                                      cursor=_latest_change_id())
    audit.record("subscribe_directory_changes", subscription, actor=actor, action=AuditAction.CREATED)
    return subscription, secret


@transaction.atomic
def unsubscribe(subscription: WebhookSubscription, *, actor) -> None:
    """End the subscription; what was not yet delivered is not sent."""
    before = audit.snapshot(subscription)
    audit.record("unsubscribe_directory_changes", subscription, actor=actor, action=AuditAction.DELETED, before=before)
    subscription.delete()


# --- the delivery queue ----------------------------------------------------------------------------

def enqueue(limit: int = 500) -> int:
    """Queue the changes committed since each subscription's cursor (its state's only, where it
    has one), in commit order. Returns the number queued."""
    queued = 0
    for subscription in WebhookSubscription.objects.select_related("state").order_by("id"):
        with transaction.atomic():
            entries = list(AuditEntry.objects.filter(object_type_id__in=list(content_types()),
                                                     id__gt=subscription.cursor).order_by("id")[:limit])
            if not entries:
                continue
            records = change_records(entries)
            types = content_types()
            rows = []
            for entry in entries:
                state_code, data = records[entry.id]
                if subscription.state_id and state_code != subscription.state.code:
                    continue
                delivery_id = uuid.uuid4()
                type_name = types[entry.object_type_id].__name__
                rows.append(WebhookDelivery(
                    subscription=subscription, change_id=entry.id, delivery_id=delivery_id,
                    payload={"deliveryId": str(delivery_id), "cursor": str(entry.id), "objectType": type_name,
                             "objectId": to_global_id(type_name, entry.object_id), "action": entry.action,
                             "at": entry.at.isoformat(), "state": state_code, "data": data},
                ))
            WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True)
            WebhookSubscription.objects.filter(pk=subscription.pk).update(cursor=entries[-1].id)
            queued += len(rows)
    return queued


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def backoff(attempts: int) -> float:
    """Seconds to wait after the `attempts`-th failed attempt."""
    base = float(_setting("WEBHOOK_RETRY_SECONDS", 10))
    return min(float(_setting("WEBHOOK_RETRY_MAX_SECONDS", 3600)), base * 2 ** (attempts - 1))


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to an address already checked, with SNI and certificate check for the host name."""

    def __init__(self, address: str, server_hostname: str, port: int, timeout: float):
        super().__init__(address, port, timeout=timeout, context=ssl.create_default_context())
        self._server_hostname = server_hostname

    def connect(self):
        sock = socket.create_connection((self.host, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self._server_hostname)


def post(url: str, body: bytes, headers: dict, timeout: float) -> int:
    """POST to the callback URL at an address checked now; the HTTP status (no redirects)."""
    url, checked = check_callback_url(url)
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if parts.scheme == "https":
        conn = _PinnedHTTPSConnection(checked[0], parts.hostname, port, timeout)
    else:
        conn = http.client.HTTPConnection(checked[0], port, timeout=timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        conn.request("POST", path, body=body, headers={**headers, "Host": parts.netloc})
        response = conn.getresponse()
        response.read(64 * 1024)
        return response.status
    finally:
        conn.close()


def _attempt(delivery: WebhookDelivery, subscription: WebhookSubscription) -> tuple[bool, int | None, str]:
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    headers = {"Content-Type": "application/json", "User-Agent": "fit-store-webhooks",
               SIGNATURE_HEADER: sign(subscription.secret, body), TIMESTAMP_HEADER: str(int(time.time())),
               DELIVERY_HEADER: str(delivery.delivery_id)}
    try:
        status = post(subscription.callback_url, body, headers, float(_setting("WEBHOOK_TIMEOUT_SECONDS", 10)))
    except ValidationError as error:
        return False, None, " ".join(error.messages)[:300]
    except (OSError, http.client.HTTPException) as error:
        return False, None, (str(error) or error.__class__.__name__)[:300]
    return 200 <= status < 300, status, "" if 200 <= status < 300 else f"HTTP {status}"


def deliver_due(per_subscription: int = 100) -> dict:
    """Attempt the due deliveries, oldest first per subscription; a subscription waits while its
    oldest pending delivery waits for its retry (order is kept)."""
    counts = {"delivered": 0, "retried": 0, "dropped": 0}
    max_attempts = int(_setting("WEBHOOK_MAX_ATTEMPTS", 8))
    for subscription in WebhookSubscription.objects.order_by("id"):
        for _ in range(per_subscription):
            delivery = (WebhookDelivery.objects.filter(subscription=subscription, status=DeliveryStatus.PENDING)
                        .order_by("change_id").first())
            if delivery is None or delivery.next_attempt_at > timezone.now():
                break
            ok, status, error = _attempt(delivery, subscription)
            now = timezone.now()
            delivery.attempts += 1
            delivery.last_status_code = status
            delivery.last_error = error
            with transaction.atomic():
                if ok:
                    delivery.status = DeliveryStatus.DELIVERED
                    delivery.delivered_at = now
                    subscription.status = WebhookStatus.ACTIVE
                    subscription.last_delivered_at = now
                    subscription.last_delivered_change = delivery.change_id
                    counts["delivered"] += 1
                elif delivery.attempts >= max_attempts:
                    delivery.status = DeliveryStatus.DROPPED
                    subscription.status = WebhookStatus.FAILING
                    subscription.last_error = error
                    counts["dropped"] += 1
                else:
                    delivery.next_attempt_at = now + datetime.timedelta(seconds=backoff(delivery.attempts))
                    subscription.last_error = error
                    counts["retried"] += 1
                delivery.save(update_fields=["attempts", "last_status_code", "last_error", "status", "delivered_at",
                                             "next_attempt_at"])
                WebhookSubscription.objects.filter(pk=subscription.pk).update(
                    status=subscription.status, last_delivered_at=subscription.last_delivered_at,
                    last_delivered_change=subscription.last_delivered_change, last_error=subscription.last_error)
            if not ok and delivery.status == DeliveryStatus.PENDING:
                break
    return counts


class WorkerBusy(Exception):
    """Another delivery worker holds the lock."""


def run_once() -> dict:
    """One pass of the worker: queue new changes, attempt what is due."""
    locked = False
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [_WORKER_LOCK])
            locked = cursor.fetchone()[0]
        if not locked:
            raise WorkerBusy()
    try:
        queued = enqueue()
        return {"queued": queued, **deliver_due(), "pruned": prune()}
    finally:
        if locked:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_WORKER_LOCK])


def prune() -> int:
    """Forget deliveries done (delivered or dropped) more than WEBHOOK_KEEP_DAYS ago."""
    cutoff = timezone.now() - datetime.timedelta(days=float(_setting("WEBHOOK_KEEP_DAYS", 7)))
    deleted, _ = WebhookDelivery.objects.filter(
        status__in=[DeliveryStatus.DELIVERED, DeliveryStatus.DROPPED], next_attempt_at__lt=cutoff).delete()
    return deleted


def pending_count(subscription: WebhookSubscription) -> int:
    return subscription.deliveries.filter(status=DeliveryStatus.PENDING).count()
