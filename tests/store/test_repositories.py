"""store.repositories: the URL policy, tag checks, bare mirrors, and what a tag says."""
import os
import socket

import pygit2
import pytest
from django.core.exceptions import ValidationError

from store import repositories
from store.repositories import Version, check_repository_url, check_tag, parse_version
from tests.api.store.conftest import git_repository, local_repositories  # noqa: F401 (fixtures)
from tests.api.store.gitrepo import PUBLICCODE


def codes(error: ValidationError) -> dict:
    return {field: [item.code for item in items] for field, items in error.error_dict.items()}


@pytest.fixture
def dns(monkeypatch):
    """Fake name resolution: dns["host"] = ["address", ...]."""
    table = {}

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in table:
            raise socket.gaierror("unknown host")
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
                for a in table[host]]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return table


@pytest.fixture
def allowed_host(settings, dns):
    settings.GIT_ALLOWED_HOSTS = ["gitlab.opencode.de", "git.example.org"]
    settings.ALLOW_LOCAL_REPOSITORIES = False
    dns["gitlab.opencode.de"] = ["185.199.108.1"]
    return dns


def test_https_to_an_allowed_host_with_public_addresses_passes(allowed_host):
    location = check_repository_url("https://gitlab.opencode.de/fitko/wohngeld.git")

    assert location.url == "https://gitlab.opencode.de/fitko/wohngeld.git" and not location.is_local


@pytest.mark.parametrize("url", [
    "http://gitlab.opencode.de/fitko/wohngeld.git",
    "git://gitlab.opencode.de/fitko/wohngeld.git",
    "ssh://git@gitlab.opencode.de/fitko/wohngeld.git",
    "git@gitlab.opencode.de:fitko/wohngeld.git",
    "ext::sh -c touch% /tmp/pwned",
    "fd::17",
    "-uhttps://gitlab.opencode.de/x.git",
    "https://evil.example.com/fitko/wohngeld.git",
    "https://gitlab.opencode.de.evil.example.com/x.git",
    "https://user:secret@gitlab.opencode.de/fitko/wohngeld.git",
    "https://gitlab.opencode.de:8443/fitko/wohngeld.git",
    "file:///srv/git/wohngeld.git",
    "/srv/git/wohngeld.git",
    "https://127.0.0.1/x.git",
    "https://[::1]/x.git",
])
def test_forbidden_urls_are_refused(allowed_host, url):
    with pytest.raises(ValidationError) as refused:
        check_repository_url(url)

    assert list(codes(refused.value)) == ["repository_url"]
    assert codes(refused.value)["repository_url"][0] in {"URL_NOT_ALLOWED", "INVALID"}


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "192.168.0.10", "172.16.5.4", "169.254.169.254",
                                     "::1", "fe80::1", "fd00::1", "0.0.0.0", "100.64.0.1", "::ffff:127.0.0.1",
                                     "240.0.0.1"])
def test_allowed_hosts_resolving_to_non_public_addresses_are_refused(allowed_host, address):
    allowed_host["git.example.org"] = ["185.199.108.1", address]

    with pytest.raises(ValidationError) as refused:
        check_repository_url("https://git.example.org/fitko/wohngeld.git")

    assert codes(refused.value) == {"repository_url": ["URL_NOT_ALLOWED"]}


def test_a_host_that_does_not_resolve_is_refused(allowed_host):
    with pytest.raises(ValidationError) as refused:
        check_repository_url("https://git.example.org/fitko/wohngeld.git")

    assert codes(refused.value) == {"repository_url": ["URL_NOT_ALLOWED"]}


def test_local_repositories_only_where_allowed(settings, tmp_path):
    settings.ALLOW_LOCAL_REPOSITORIES = False
    for url in (tmp_path.as_uri(), str(tmp_path)):
        with pytest.raises(ValidationError):
            check_repository_url(url)

    settings.ALLOW_LOCAL_REPOSITORIES = True
    assert check_repository_url(tmp_path.as_uri()).is_local
    assert check_repository_url(str(tmp_path)).url == str(tmp_path)
    for url in ("file://otherhost/srv/x.git", "file:///srv/../etc/x.git", "relative/path.git"):
        with pytest.raises(ValidationError):
            check_repository_url(url)


@pytest.mark.parametrize("tag", ["-v1.0.0", "--upload-pack=touch", "v1..0", "v1.0.0.lock", "v1 0", "v1~1", "v1^0",
                                 "v1:0", "v1?", "v1*", "v1[0", "v1\\0", "/v1", "v1/", "v1.", "v1@{0}",
                                 "v1\x00", "refs/tags/v1.0.0", "", "x" * 300])
def test_malformed_and_option_like_tags_are_refused(tag):
    with pytest.raises(ValidationError) as refused:
        check_tag(tag)

    assert list(codes(refused.value)) == ["tag"]


@pytest.mark.parametrize("tag, version", [
    ("v1.2.0", Version(1, 2, 0)), ("1.2.0", Version(1, 2, 0)), ("V10.0.3", Version(10, 0, 3)),
    ("v2.0.0-rc.1", Version(2, 0, 0, "rc.1")), ("v1.0.0+build.5", Version(1, 0, 0, "", "build.5")),
])
def test_versions_come_from_the_tag(tag, version):
    assert parse_version(tag) == version


@pytest.mark.parametrize("tag", ["release-1", "v1.2", "v01.2.3", "v1.2.3-", "latest"])
def test_tags_without_a_semantic_version_are_refused(tag):
    with pytest.raises(ValidationError) as refused:
        parse_version(tag)

    assert codes(refused.value) == {"tag": ["NOT_SEMVER"]}


def test_semver_precedence():
    ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
               "1.0.0-rc.1", "1.0.0", "1.9.0", "1.10.0", "2.0.0"]

    assert sorted(ordered, key=lambda v: parse_version(v).precedence) == ordered


def test_mirror_clone_then_fetch_then_read_tags(git_repository):
    first = git_repository.commit("Erster Stand", {"publiccode.yml": PUBLICCODE})
    git_repository.tag("v1.0.0")
    git_repository.commit("Zweiter Stand")
    second = git_repository.tag("v1.1.0", annotated=False)

    mirror = repositories.fetch_mirror(git_repository.url)

    assert mirror.is_bare and str(repositories.mirror_path(str(git_repository.path))).startswith(
        str(repositories.mirrors_dir()))
    assert repositories.list_tags(mirror) == ["v1.0.0", "v1.1.0"]
    assert repositories.default_branch(mirror) == "main"
    annotated = repositories.read_tag(mirror, "v1.0.0")
    assert (annotated.commit, annotated.tagger_name) == (first, "Max Muster")
    assert annotated.publiccode_bytes == PUBLICCODE.encode()
    lightweight = repositories.read_tag(mirror, "v1.1.0")
    assert (lightweight.commit, lightweight.tagger_name, lightweight.publiccode_bytes) == (
        second, "Erika Mustermann", PUBLICCODE.encode())

    git_repository.commit("Dritter Stand")
    git_repository.tag("v1.2.0")
    assert repositories.list_tags(repositories.fetch_mirror(git_repository.url)) == ["v1.0.0", "v1.1.0", "v1.2.0"]


def test_an_unknown_tag_is_not_found(git_repository):
    git_repository.commit("Erster Stand")
    mirror = repositories.fetch_mirror(git_repository.url)

    with pytest.raises(ValidationError) as refused:
        repositories.read_tag(mirror, "v9.9.9")

    assert codes(refused.value) == {"tag": ["NOT_FOUND"]}


def test_a_missing_repository_fails_cleanly_and_leaves_no_mirror(local_repositories, tmp_path):
    with pytest.raises(ValidationError) as refused:
        repositories.fetch_mirror(str(tmp_path / "nowhere"))

    assert codes(refused.value) == {"repository_url": ["FETCH_FAILED"]}
    assert not any(repositories.mirrors_dir().glob("*.git"))
    assert not any(repositories.mirrors_dir().glob(".clone-*"))


def test_a_repository_above_the_size_cap_is_refused(git_repository, settings):
    git_repository.commit("Groß", {"blob.bin": os.urandom(200_000)})
    settings.GIT_MAX_REPOSITORY_BYTES = 10_000

    with pytest.raises(ValidationError) as refused:
        repositories.fetch_mirror(git_repository.url)

    assert codes(refused.value) == {"repository_url": ["TOO_LARGE"]}
    assert not any(repositories.mirrors_dir().glob("*.git"))


def test_publiccode_is_parsed_safely():
    data = repositories.parse_publiccode(PUBLICCODE.encode())
    assert data["name"] == "Wohngeld-Antrag" and data["releaseDate"] == "2026-01-15"

    bomb = b'a: &a ["x","x"]\nb: &b [*a,*a]\nc: &c [*b,*b]\nd: [*c,*c]\n'
    for data, code in [(bomb, "INVALID_PUBLICCODE"), (b"name: [unclosed", "INVALID_PUBLICCODE"),
                       (b"\xff\xfe name: x", "INVALID_PUBLICCODE"), (b"- a list\n", "INVALID_PUBLICCODE"),
                       (b"!!python/object:os.system {}\n", "INVALID_PUBLICCODE")]:
        with pytest.raises(ValidationError) as refused:
            repositories.parse_publiccode(data)
        assert codes(refused.value) == {"tag": [code]}


def test_an_oversized_publiccode_yml_is_refused(git_repository, settings):
    settings.PUBLICCODE_MAX_BYTES = 2048
    git_repository.commit("Riesig", {"publiccode.yml": PUBLICCODE + "# " + "x" * 4096 + "\n"})
    git_repository.tag("v1.0.0")
    mirror = repositories.fetch_mirror(git_repository.url)

    with pytest.raises(ValidationError) as refused:
        repositories.read_tag(mirror, "v1.0.0")

    assert codes(refused.value) == {"tag": ["TOO_LARGE"]}


def test_timeouts_are_set_for_libgit2(git_repository, settings):
    settings.GIT_FETCH_TIMEOUT = 7
    git_repository.commit("Erster Stand")

    repositories.fetch_mirror(git_repository.url)

    assert pygit2.settings.server_timeout == 7000 and pygit2.settings.server_connect_timeout == 7000


def test_a_hanging_remote_fails_within_the_time_limit(local_repositories, monkeypatch, settings):
    import threading
    import time

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    accepted = []
    stop = threading.Event()

    def accept_and_stall():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])  # never answers
            except OSError:
                continue

    thread = threading.Thread(target=accept_and_stall, daemon=True)
    thread.start()
    url = f"https://127.0.0.1:{listener.getsockname()[1]}/fitko/wohngeld.git"
    # The policy refuses loopback; this test is about the time limit, so it lets this one through.
    monkeypatch.setattr(repositories.mirrors, "check_repository_url",
                        lambda value, resolve=True: repositories.RepositoryLocation(url=url, is_local=False))
    settings.GIT_FETCH_TIMEOUT = 1
    started = time.monotonic()
    try:
        with pytest.raises(ValidationError) as refused:
            repositories.fetch_mirror(url)
    finally:
        stop.set()
        thread.join()
        for connection in accepted:
            connection.close()
        listener.close()

    assert codes(refused.value) == {"repository_url": ["FETCH_FAILED"]}
    assert time.monotonic() - started < 10
    assert not any(repositories.mirrors_dir().glob("*.git")) and not any(repositories.mirrors_dir().glob(".clone-*"))
