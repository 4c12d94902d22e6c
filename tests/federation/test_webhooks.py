"""Webhook subscriptions: a receiver started by the test (http.server on loopback, allowed by
WEBHOOK_ALLOW_PRIVATE_ADDRESSES) checks the signatures, the order and the retries of what the
worker (`deliver_webhooks`) sends; a receiver that keeps failing marks the subscription failing."""
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from graphql_relay import to_global_id

from directory import services
from directory.models import DeliveryStatus, WebhookDelivery, WebhookSubscription

WOHNGELD = "99107023000000"
SUBSCRIBE = """mutation S($input: SubscribeDirectoryChangesInput!) { subscribeDirectoryChanges(input: $input) {
  errors { field code message } secret subscription { id callbackUrl status state { code } } } }"""
UNSUBSCRIBE = """mutation U($input: UnsubscribeDirectoryChangesInput!) { unsubscribeDirectoryChanges(input: $input) {
  errors { field code } subscription } }"""
SUBSCRIPTIONS = """{ directoryChangeSubscriptions { id status lastError pendingDeliveries lastDeliveredCursor } }"""

FAST_RETRIES = {"WEBHOOK_ALLOW_PRIVATE_ADDRESSES": True, "WEBHOOK_RETRY_SECONDS": 0.05,
                "WEBHOOK_RETRY_MAX_SECONDS": 0.2, "WEBHOOK_MAX_ATTEMPTS": 3, "WEBHOOK_TIMEOUT_SECONDS": 5}


class Receiver:
    """A gateway's endpoint: fails the first `failures` requests with 500, then answers 204."""

    def __init__(self, failures: int = 0):
        self.failures = failures
        self.requests: list[tuple[int, dict, bytes]] = []  # (status answered, headers, body)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status = 500 if receiver.failures > 0 else 204
                receiver.failures -= 1
                receiver.requests.append((status, dict(self.headers), body))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/directory?gateway=test"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def delivered(self) -> list[dict]:
        return [json.loads(body) for status, _headers, body in self.requests if status == 204]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    for name, value in FAST_RETRIES.items():
        setattr(settings, name, value)
    made = []

    def make(failures=0):
        made.append(Receiver(failures))
        return made[-1]

    yield make
    for item in made:
        item.close()


def _work_until(condition, passes=60):
    for _ in range(passes):
        call_command("deliver_webhooks", "--once", verbosity=0)
        if condition():
            return
        time.sleep(0.06)
    raise AssertionError("the worker did not get there")


def _gateway(graphql, make_user, make_token, name="gateway"):
    return make_token(make_user(name, role="gateway"))


def _writes():
    """Four changes to Bavaria's directory, one to Lower Saxony's."""
    authority = services.register_authority(identifier="by:lra-starnberg", name="Landratsamt Starnberg",
                                            state_code="BY", ars="09188", kind="DISTRICT", actor="test")
    services.register_endpoint(authority, kind="EMAIL", address="wohngeld@lra-starnberg.example", actor="test")
    services.register_authority(identifier="ni:region-hannover", name="Region Hannover", state_code="NI", ars="03241",
                                kind="DISTRICT", actor="test")
    services.assign_responsibility(authority, leika_key=WOHNGELD, ars=["09188"], actor="test")
    services.update_authority(authority, name="LRA Starnberg", actor="test")


def test_changes_arrive_signed_in_order_and_retried(graphql, make_user, make_token, receiver):
    hook = receiver(failures=2)
    token = _gateway(graphql, make_user, make_token)
    answer = graphql.data(SUBSCRIBE, {"input": {"callbackUrl": hook.url}}, token=token)["subscribeDirectoryChanges"]
    assert answer["errors"] == [] and answer["secret"].startswith("whsec_")
    assert answer["subscription"]["status"] == "ACTIVE"
    secret = answer["secret"]
    assert secret not in json.dumps(graphql.data(SUBSCRIPTIONS, token=token))  # shown once

    _writes()
    _work_until(lambda: len(hook.delivered()) == 5)

    for _status, headers, body in hook.requests:
        expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(headers["X-FIT-Store-Signature"], expected)
        assert abs(int(headers["X-FIT-Store-Timestamp"]) - time.time()) < 60
        assert headers["X-FIT-Store-Delivery"] == json.loads(body)["deliveryId"]
    # The first change failed twice and was sent again with the same delivery id; nothing overtook it.
    first_ids = [json.loads(body)["deliveryId"] for _s, _h, body in hook.requests[:3]]
    assert len(set(first_ids)) == 1 and [status for status, _h, _b in hook.requests[:3]] == [500, 500, 204]
    delivered = hook.delivered()
    assert [int(item["cursor"]) for item in delivered] == sorted(int(item["cursor"]) for item in delivered)
    assert [(item["objectType"], item["action"], item["state"]) for item in delivered] == [
        ("Authority", "CREATED", "BY"), ("Endpoint", "CREATED", "BY"), ("Authority", "CREATED", "NI"),
        ("Responsibility", "CREATED", "BY"), ("Authority", "UPDATED", "BY")]
    assert delivered[-1]["data"]["name"] == "LRA Starnberg"
    assert delivered[3]["data"] == {"type": "responsibility", "authority": "by:lra-starnberg", "leikaKey": WOHNGELD,
                                    "ars": ["09188"], "nationwide": False}
    status = graphql.data(SUBSCRIPTIONS, token=token)["directoryChangeSubscriptions"]
    assert status == [{"id": answer["subscription"]["id"], "status": "ACTIVE", "lastError": "HTTP 500",
                       "pendingDeliveries": 0, "lastDeliveredCursor": delivered[-1]["cursor"]}]


def test_a_state_subscription_gets_that_state_only(graphql, make_user, make_token, receiver):
    hook = receiver()
    token = _gateway(graphql, make_user, make_token)
    answer = graphql.data(SUBSCRIBE, {"input": {"callbackUrl": hook.url, "state": "ni"}}, token=token)
    assert answer["subscribeDirectoryChanges"]["subscription"]["state"] == {"code": "NI"}
    _writes()
    _work_until(lambda: WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).count() == 0
                and WebhookSubscription.objects.get().cursor > 0 and len(hook.delivered()) >= 1)
    call_command("deliver_webhooks", "--once", verbosity=0)
    assert [(item["objectType"], item["data"]["identifier"]) for item in hook.delivered()] == [
        ("Authority", "ni:region-hannover")]


def test_a_failing_receiver_drops_the_delivery_and_marks_the_subscription(graphql, make_user, make_token, receiver):
    hook = receiver(failures=3)  # = WEBHOOK_MAX_ATTEMPTS: the first change is dropped
    token = _gateway(graphql, make_user, make_token)
    graphql.data(SUBSCRIBE, {"input": {"callbackUrl": hook.url}}, token=token)
    services.register_authority(identifier="by:lra-starnberg", name="Landratsamt Starnberg", state_code="BY",
                                ars="09188", kind="DISTRICT", actor="test")

    _work_until(lambda: WebhookDelivery.objects.filter(status=DeliveryStatus.DROPPED).exists())

    [status] = graphql.data(SUBSCRIPTIONS, token=token)["directoryChangeSubscriptions"]
    assert (status["status"], status["lastError"], status["pendingDeliveries"]) == ("FAILING", "HTTP 500", 0)
    assert len(hook.requests) == 3 and hook.delivered() == []
    # The receiver is back: the next change arrives and the subscription is active again.
    services.register_authority(identifier="by:gemeinde-berg", name="Gemeinde Berg", state_code="BY",
                                ars="091880113113", kind="MUNICIPAL", actor="test")
    _work_until(lambda: len(hook.delivered()) == 1)
    assert hook.delivered()[0]["data"]["identifier"] == "by:gemeinde-berg"
    assert graphql.data(SUBSCRIPTIONS, token=token)["directoryChangeSubscriptions"][0]["status"] == "ACTIVE"


@pytest.mark.parametrize("url, code", [
    ("https://127.0.0.1/hook", "URL_NOT_ALLOWED"),
    ("https://10.1.2.3/hook", "URL_NOT_ALLOWED"),
    ("https://169.254.169.254/latest/meta-data", "URL_NOT_ALLOWED"),
    ("https://[::1]/hook", "URL_NOT_ALLOWED"),
    ("http://192.0.43.10/hook", "URL_NOT_ALLOWED"),
    ("https://user:pw@192.0.43.10/hook", "URL_NOT_ALLOWED"),
    ("ftp://192.0.43.10/hook", "URL_NOT_ALLOWED"),
    ("", "REQUIRED"),
])
def test_callback_urls_pass_the_address_checks(url, code, graphql, make_user, make_token):
    token = _gateway(graphql, make_user, make_token)
    answer = graphql.data(SUBSCRIBE, {"input": {"callbackUrl": url}}, token=token)["subscribeDirectoryChanges"]
    assert [(error["field"], error["code"]) for error in answer["errors"]] == [("callbackUrl", code)]
    assert answer["subscription"] is None and not WebhookSubscription.objects.exists()


def test_an_unknown_state_is_named(graphql, make_user, make_token):
    token = _gateway(graphql, make_user, make_token)
    answer = graphql.data(SUBSCRIBE, {"input": {"callbackUrl": "https://192.0.43.10/hook", "state": "XX"}},
                          token=token)["subscribeDirectoryChanges"]
    assert [(error["field"], error["code"]) for error in answer["errors"]] == [("state", "UNKNOWN_STATE")]


def test_only_the_owner_unsubscribes(graphql, make_user, make_token, receiver):
    hook = receiver()
    owner = _gateway(graphql, make_user, make_token, "gateway-a")
    other = _gateway(graphql, make_user, make_token, "gateway-b")
    subscription = graphql.data(SUBSCRIBE, {"input": {"callbackUrl": hook.url}}, token=owner)[
        "subscribeDirectoryChanges"]["subscription"]["id"]
    refused = graphql.data(UNSUBSCRIBE, {"input": {"subscription": subscription}}, token=other)
    assert [error["code"] for error in refused["unsubscribeDirectoryChanges"]["errors"]] == ["PERMISSION_DENIED"]
    assert graphql.data(SUBSCRIPTIONS, token=other)["directoryChangeSubscriptions"] == []
    done = graphql.data(UNSUBSCRIBE, {"input": {"subscription": subscription}}, token=owner)
    assert done["unsubscribeDirectoryChanges"] == {"errors": [], "subscription": subscription}
    assert graphql.data(SUBSCRIPTIONS, token=owner)["directoryChangeSubscriptions"] == []
    unknown = graphql.data(UNSUBSCRIBE, {"input": {"subscription": to_global_id("DirectoryChangeSubscription", 999)}},
                           token=owner)
    assert [error["code"] for error in unknown["unsubscribeDirectoryChanges"]["errors"]] == ["PERMISSION_DENIED"]


def test_old_deliveries_are_pruned_and_the_cursor_stays(graphql, make_user, make_token, receiver):
    import datetime

    from django.utils import timezone

    hook = receiver()
    token = _gateway(graphql, make_user, make_token)
    graphql.data(SUBSCRIBE, {"input": {"callbackUrl": hook.url}}, token=token)
    services.register_authority(identifier="by:lra-starnberg", name="Landratsamt Starnberg", state_code="BY",
                                ars="09188", kind="DISTRICT", actor="test")
    _work_until(lambda: len(hook.delivered()) == 1)
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(days=8))

    call_command("deliver_webhooks", "--once", verbosity=0)

    assert not WebhookDelivery.objects.exists()
    [status] = graphql.data(SUBSCRIPTIONS, token=token)["directoryChangeSubscriptions"]
    assert status["lastDeliveredCursor"] == hook.delivered()[0]["cursor"]
