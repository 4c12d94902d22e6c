"""A git remote that is unreachable, silent or slow: `publishRelease` answers with a clean error on
`repositoryUrl` within the time cap, writes nothing and leaves no half-written mirror.

The remote is a real TCP server on a loopback address and port 443, let through the URL policy by
the settings an installation would use for a GitLab in its own network (GIT_ALLOWED_HOSTS and
GIT_ALLOWED_NETWORKS); the time cap is lowered by setting GIT_FETCH_TIMEOUT.
"""
import socket
import threading
import time

import pytest

from fitstore.models import AuditEntry
from store import repositories, services
from store.models import OnlineService, Release

pytestmark = pytest.mark.django_db

PUBLISH_RELEASE = """
mutation Publish($input: PublishReleaseInput!) {
  publishRelease(input: $input) { release { tag } errors { field code message } }
}
"""
CAP = 2  # seconds


class StallingServer:
    """Accepts connections on <address>:443 and then never answers ("silent"), trickles one byte of a
    TLS record every 0.2 s ("trickle"), or is not there at all ("closed": nothing listens)."""

    def __init__(self, mode: str):
        self.mode = mode
        self.stop = threading.Event()
        self.connections = []
        self.listener = None
        for last in range(83, 120):
            address = f"127.0.0.{last}"
            probe = socket.socket()
            try:
                probe.bind((address, 443))
            except OSError:
                probe.close()
                continue
            self.address = address
            if mode == "closed":
                probe.close()  # bound once to know it is free; nobody listens now
            else:
                self.listener = probe
            break
        else:
            pytest.skip("no free loopback address with port 443 (needs root)")

    def __enter__(self):
        if self.listener is not None:
            self.listener.listen(8)
            self.listener.settimeout(0.1)
            self.thread = threading.Thread(target=self._serve, daemon=True)
            self.thread.start()
        return self

    def _serve(self):
        while not self.stop.is_set():
            try:
                connection, _ = self.listener.accept()
            except OSError:
                continue
            self.connections.append(connection)
            if self.mode == "trickle":
                threading.Thread(target=self._trickle, args=(connection,), daemon=True).start()

    def _trickle(self, connection):
        # A TLS handshake record announcing 16 KB, delivered one byte at a time.
        payload = bytes([0x16, 0x03, 0x03, 0x40, 0x00]) + b"\x02" * 16_384
        for byte in payload:
            if self.stop.wait(0.2):
                return
            try:
                connection.sendall(bytes([byte]))
            except OSError:
                return

    def __exit__(self, *exc):
        self.stop.set()
        for connection in self.connections:
            connection.close()
        if self.listener is not None:
            self.listener.close()
        return False


@pytest.fixture
def maintainer_token(make_user, make_token):
    return make_token(make_user("pflege-wohngeld", role="maintainer", online_service="wohngeld"))


@pytest.mark.parametrize("mode", ["silent", "trickle", "closed"])
def test_an_unreachable_or_hanging_remote_fails_cleanly_within_the_cap(mode, graphql, maintainer_token, settings,
                                                                       tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.GIT_FETCH_TIMEOUT = CAP
    with StallingServer(mode) as server:
        settings.GIT_ALLOWED_HOSTS = [server.address]
        settings.GIT_ALLOWED_NETWORKS = [f"{server.address}/32"]
        wohngeld = OnlineService.objects.get(slug="wohngeld")
        services.set_repository(wohngeld, url=f"https://{server.address}/fitko/wohngeld.git", actor="system:test")
        audit_rows, releases = AuditEntry.objects.count(), Release.objects.count()
        started = time.monotonic()

        payload = graphql.data(PUBLISH_RELEASE, {"input": {"onlineService": "wohngeld", "tag": "v1.0.0"}},
                               token=maintainer_token)["publishRelease"]
        elapsed = time.monotonic() - started

    assert payload["release"] is None
    assert [(error["field"], error["code"]) for error in payload["errors"]] == [("repositoryUrl", "FETCH_FAILED")]
    assert elapsed < CAP * 2 + 2, f"took {elapsed:.1f} s with a cap of {CAP} s"
    assert AuditEntry.objects.count() == audit_rows and Release.objects.count() == releases
    mirrors = repositories.mirrors_dir()
    assert not mirrors.exists() or not any(mirrors.iterdir()), list(mirrors.iterdir())
    assert graphql.client.get("/healthz").status_code == 200


def test_the_address_allowance_is_needed_for_a_non_public_address(settings):
    from django.core.exceptions import ValidationError

    settings.GIT_ALLOWED_HOSTS = ["127.0.0.83"]
    settings.GIT_ALLOWED_NETWORKS = []
    with pytest.raises(ValidationError) as refused:
        repositories.check_repository_url("https://127.0.0.83/fitko/wohngeld.git")
    assert [item.code for item in refused.value.error_dict["repository_url"]] == ["URL_NOT_ALLOWED"]

    settings.GIT_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    assert repositories.check_repository_url("https://127.0.0.83/fitko/wohngeld.git").url.endswith("wohngeld.git")
