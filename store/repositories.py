"""Reading online services' git repositories safely (pygit2): URL policy, bare mirrors, tags.

The store fetches code that strangers host, on a server that can reach internal networks, so:

- only `https://` URLs to hosts in `settings.GIT_ALLOWED_HOSTS`, on the default port, without
  credentials, whose addresses all resolve to public ones (no loopback, private, link-local,
  reserved, multicast or unspecified addresses); `file://` URLs and absolute local paths only
  where `settings.ALLOW_LOCAL_REPOSITORIES` is true; every other transport (`http`, `git`,
  `ssh`, scp-like `host:path`, `ext::`, `fd::`, …) is refused;
- tags that look like options (a leading `-`) or that git's check-ref-format refuses are refused
  before they reach git;
- fetches go into a bare mirror under `VAR_DIR/mirrors` (outside the web root), with a time
  limit and a size cap; a first clone is made in a temporary directory and moved into place
  only when complete, so a failed fetch leaves nothing half-written;
- blobs read from a tag (publiccode.yml) are size-capped and parsed with `yaml.safe_load`,
  refusing aliases (no "billion laughs").

Errors are `ValidationError`s naming the input field ("repository_url" or "tag") with codes from
`store.error_codes`, so services and the API report them as data.

Known limit: libgit2 resolves the host again when it connects; the check here does not pin the
address (DNS rebinding between the check and the connection is not prevented).
"""
from __future__ import annotations

import hashlib
import ipaddress
import multiprocessing
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone as dt_timezone
from pathlib import Path
from urllib.parse import urlsplit

import pygit2
import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fitstore import addresses

from .error_codes import StoreErrorCode

# Limits; settings of the same name override them.
GIT_FETCH_TIMEOUT = 60  # seconds for a whole clone or fetch
GIT_MAX_REPOSITORY_BYTES = 200 * 1024 * 1024  # bytes received in one clone or fetch
PUBLICCODE_MAX_BYTES = 1024 * 1024  # the publiccode.yml blob of a tag
CHANGELOG_MAX_COMMITS = 500
MAX_URL_LENGTH = 500
MAX_TAG_LENGTH = 200
PUBLICCODE_FILENAMES = ("publiccode.yml", "publiccode.yaml")


def _limit(name: str):
    return getattr(settings, name, globals()[name])


def _error(field_name: str, message, code: StoreErrorCode, **params) -> ValidationError:
    return ValidationError({field_name: ValidationError(message, code=code.value, params=params or None)})


# --- URLs --------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x20\x7f]")


def _address_is_allowed(address: str) -> bool:
    """Whether the address lies in one of `settings.GIT_ALLOWED_NETWORKS` (CIDRs, default none):
    for a GitLab inside an authority's own network, and for tests."""
    ip = addresses.ip(address)
    for network in getattr(settings, "GIT_ALLOWED_NETWORKS", ()) or ():
        try:
            if ip in ipaddress.ip_network(str(network).strip(), strict=False):
                return True
        except ValueError:
            continue
    return False


def resolve_public_addresses(host: str, port: int = 443) -> list[str]:
    """The host's addresses, all of which must be public (or in GIT_ALLOWED_NETWORKS);
    ValidationError on "repository_url" otherwise."""
    return addresses.resolve_public(host, port, field="repository_url", code=StoreErrorCode.URL_NOT_ALLOWED.value,
                                    allowed=_address_is_allowed)


@dataclass(frozen=True)
class RepositoryLocation:
    """A checked repository URL: what to hand to libgit2."""

    url: str
    is_local: bool


def check_repository_url(url: str, *, resolve: bool = True) -> RepositoryLocation:
    """The URL if the store may fetch it (see the module's docstring); ValidationError on
    "repository_url" (code URL_NOT_ALLOWED, or REQUIRED/INVALID) otherwise."""
    field_name = "repository_url"
    if not isinstance(url, str) or not url.strip():
        raise _error(field_name, _("Give the repository's URL."), StoreErrorCode.REQUIRED)
    url = url.strip()
    if url.startswith("-") or "::" in url:
        # git's transport syntax (ext::, fd::) and option injection.
        raise _error(field_name, _("This kind of repository URL is not allowed."), StoreErrorCode.URL_NOT_ALLOWED)
    if len(url) > MAX_URL_LENGTH or _CONTROL.search(url):
        raise _error(field_name, _("Not a usable repository URL."), StoreErrorCode.INVALID)

    allow_local = bool(getattr(settings, "ALLOW_LOCAL_REPOSITORIES", False))
    if url.startswith("/"):
        if not allow_local:
            raise _error(field_name, _("Local repositories are not allowed on this server."),
                         StoreErrorCode.URL_NOT_ALLOWED)
        return _local_location(url)

    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "file":
        if not allow_local:
            raise _error(field_name, _("Local repositories are not allowed on this server."),
                         StoreErrorCode.URL_NOT_ALLOWED)
        if parts.netloc not in ("", "localhost") or parts.query or parts.fragment:
            raise _error(field_name, _("Not a usable file:// URL."), StoreErrorCode.URL_NOT_ALLOWED)
        return _local_location(parts.path)
    if scheme != "https":
        raise _error(field_name, _("Only https:// repository URLs are allowed."), StoreErrorCode.URL_NOT_ALLOWED)

    try:
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        raise _error(field_name, _("Not a usable repository URL."), StoreErrorCode.INVALID) from None
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise _error(field_name, _("Credentials in the URL are not allowed."), StoreErrorCode.URL_NOT_ALLOWED)
    if port not in (None, 443):
        raise _error(field_name, _("Only the default https port is allowed."), StoreErrorCode.URL_NOT_ALLOWED)
    if parts.query or parts.fragment or not parts.path.strip("/"):
        raise _error(field_name, _("Not a usable repository URL."), StoreErrorCode.INVALID)
    allowed_hosts = {h.strip().lower() for h in getattr(settings, "GIT_ALLOWED_HOSTS", ()) if h.strip()}
    if not host or host not in allowed_hosts:
        raise _error(field_name, _("The host %(host)s is not among the allowed git hosts."),
                     StoreErrorCode.URL_NOT_ALLOWED, host=host or "?")
    if resolve:
        resolve_public_addresses(host)
    return RepositoryLocation(url=url, is_local=False)


def _local_location(path: str) -> RepositoryLocation:
    if not path.startswith("/") or any(part == ".." for part in path.split("/")):
        raise _error("repository_url", _("Give an absolute path."), StoreErrorCode.INVALID)
    return RepositoryLocation(url=str(Path(path)), is_local=True)


# --- tags --------------------------------------------------------------------------------------

def check_tag(tag: str) -> str:
    """The tag name if it is a well-formed, non-option-like ref name; ValidationError on "tag"."""
    if not isinstance(tag, str) or not tag.strip():
        raise _error("tag", _("Give a tag."), StoreErrorCode.REQUIRED)
    if tag.startswith("-"):
        raise _error("tag", _("A tag may not start with '-'."), StoreErrorCode.INVALID_TAG)
    if (
        len(tag) > MAX_TAG_LENGTH or _CONTROL.search(tag) or tag.startswith("refs/")
        or not pygit2.reference_is_valid_name(f"refs/tags/{tag}")
    ):
        raise _error("tag", _("%(tag)r is not a valid tag name."), StoreErrorCode.INVALID_TAG, tag=tag[:80])
    return tag


# Semantic Versioning 2.0.0 (semver.org's regular expression), with an optional leading v.
_SEMVER = re.compile(
    r"^[vV]?(?P<major>0|[1-9]\d*)\.(?P<minor>0|[1-9]\d*)\.(?P<patch>0|[1-9]\d*)"
    r"(?:-(?P<prerelease>(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+(?P<build>[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)


@dataclass(frozen=True)
class Version:
    major: int
    minor: int
    patch: int
    prerelease: str = ""
    build: str = ""

    def __str__(self):
        text = f"{self.major}.{self.minor}.{self.patch}"
        if self.prerelease:
            text += f"-{self.prerelease}"
        if self.build:
            text += f"+{self.build}"
        return text

    @property
    def precedence(self) -> tuple:
        """A sort key in semver precedence (build metadata ignored; 1.0.0-rc.1 < 1.0.0)."""
        if not self.prerelease:
            return (self.major, self.minor, self.patch, 1, ())
        identifiers = tuple(
            (0, int(part), "") if part.isdigit() else (1, 0, part) for part in self.prerelease.split(".")
        )
        return (self.major, self.minor, self.patch, 0, identifiers)

    @property
    def prerelease_key(self) -> str:
        """The pre-release's semver precedence as a string that sorts the same under any database
        collation (lowercase hex of a byte key), for ordering releases in SQL: "rc.9" < "rc.10"."""
        return prerelease_key(self.prerelease)


def prerelease_key(prerelease: str) -> str:
    """See Version.prerelease_key. Numeric identifiers (1, length, digits) sort before
    alphanumeric ones (2, ASCII), a 0 byte separates identifiers, and a shorter list that is a
    prefix of a longer one sorts first, as semver's precedence rules say."""
    if not prerelease:
        return ""
    parts = []
    for identifier in prerelease.split("."):
        if identifier.isdigit():
            digits = identifier.lstrip("0") or "0"
            parts.append(b"\x01" + bytes([min(len(digits), 255)]) + digits.encode("ascii"))
        else:
            parts.append(b"\x02" + identifier.encode("ascii", "replace"))
    return b"\x00".join(parts).hex()


def parse_version(tag: str) -> Version:
    """The semantic version of a tag ("v1.2.0" → 1.2.0); ValidationError on "tag" when it has none."""
    match = _SEMVER.match(tag)
    if not match:
        raise _error("tag", _("The tag %(tag)r is not a semantic version such as v1.2.0."),
                     StoreErrorCode.NOT_SEMVER, tag=tag[:80])
    return Version(int(match["major"]), int(match["minor"]), int(match["patch"]), match["prerelease"] or "",
                   match["build"] or "")


def release_precedence(release) -> tuple:
    return Version(release.version_major, release.version_minor, release.version_patch,
                   release.version_prerelease).precedence


def latest_release(releases):
    """The release with the highest version (semver precedence, not date); pre-releases only
    when there is no release proper."""
    releases = list(releases)
    stable = [release for release in releases if not release.is_prerelease]
    return max(stable or releases, key=release_precedence, default=None)


# --- mirrors -----------------------------------------------------------------------------------

def mirrors_dir() -> Path:
    return Path(settings.VAR_DIR) / "mirrors"


def mirror_path(url: str) -> Path:
    return mirrors_dir() / f"{hashlib.sha256(url.encode()).hexdigest()[:32]}.git"


class _LimitedCallbacks(pygit2.RemoteCallbacks):
    """Aborts a transfer that takes too long or brings too many bytes."""

    def __init__(self, deadline: float, max_bytes: int):
        super().__init__()
        self.deadline = deadline
        self.max_bytes = max_bytes

    def transfer_progress(self, stats):
        if stats.received_bytes > self.max_bytes:
            raise _error("repository_url", _("The repository is larger than the store accepts."),
                         StoreErrorCode.TOO_LARGE)
        if time.monotonic() > self.deadline:
            raise _error("repository_url", _("Fetching the repository took too long."), StoreErrorCode.FETCH_FAILED)

    def credentials(self, url, username_from_url, allowed_types):
        # Public repositories only: never offer credentials (ssh agent, netrc…).
        raise _error("repository_url", _("The repository asks for credentials; only public repositories are "
                                         "supported."), StoreErrorCode.FETCH_FAILED)

    def certificate_check(self, certificate, valid, host):
        return bool(valid)


def _apply_timeouts(timeout: float) -> None:
    milliseconds = max(1, int(timeout * 1000))
    pygit2.settings.server_connect_timeout = milliseconds
    pygit2.settings.server_timeout = milliseconds


_REFSPECS = ["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"]


def _fetch(remote: pygit2.Remote, callbacks: _LimitedCallbacks) -> None:
    """`Remote.fetch` with redirects refused (libgit2 follows the first one by default, which
    could lead from an allowed host to an internal one; pygit2 does not expose the option), no
    proxy, pruning, and tags only through our refspecs."""
    from pygit2.callbacks import git_fetch_options, git_proxy_options
    from pygit2.ffi import C, ffi
    from pygit2.utils import StrArray

    with git_fetch_options(callbacks) as payload:
        options = payload.fetch_options
        options.prune = C.GIT_FETCH_PRUNE
        options.follow_redirects = C.GIT_REMOTE_REDIRECT_NONE
        options.download_tags = C.GIT_REMOTE_DOWNLOAD_TAGS_NONE
        with git_proxy_options(remote, options.proxy_opts, None), StrArray(_REFSPECS) as refspecs:
            payload.check_error(C.git_remote_fetch(remote._remote, refspecs.ptr, options, ffi.NULL))


def _adopt_remote_head(repository: pygit2.Repository, remote: pygit2.Remote) -> None:
    """Point the mirror's HEAD at the remote's default branch (from the last connection)."""
    try:
        heads = remote.list_heads(connect=False)
    except pygit2.GitError:
        return
    for head in heads:
        if head.name == "HEAD" and head.symref_target and head.symref_target in repository.references:
            repository.set_head(head.symref_target)
            return


def _fetch_and_adopt(repository: pygit2.Repository, remote: pygit2.Remote, callbacks: _LimitedCallbacks, *,
                     is_local: bool) -> None:
    """Fetch into `repository` and adopt the remote's HEAD, within the callbacks' deadline.

    Network fetches run in a child process that is killed at the deadline: libgit2's timeouts
    apply to each read, so a server that trickles a byte now and then (slowloris) would otherwise
    hold the request far beyond GIT_FETCH_TIMEOUT. The child only runs libgit2 and leaves with
    os._exit, so it touches neither the database nor the parent's state."""
    if is_local:
        _fetch(remote, callbacks)
        _adopt_remote_head(repository, remote)
        return
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_fetch_in_child, daemon=True,
                            args=(repository.path, remote.name, callbacks.deadline, callbacks.max_bytes, sender))
    child.start()
    sender.close()
    try:
        waited = receiver.poll(max(0.0, callbacks.deadline - time.monotonic()) + 1.0)
        answer = receiver.recv() if waited else None
    except EOFError:
        answer = ("error", "", "the fetch ended without an answer")
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join(5)
    if answer is None:
        raise _error("repository_url", _("Fetching the repository took too long."), StoreErrorCode.FETCH_FAILED)
    if answer[0] == "error":
        _status, code, message = answer
        if code:
            raise ValidationError({"repository_url": ValidationError(message, code=code)})
        raise _error("repository_url", _("The repository could not be fetched: %(reason)s"),
                     StoreErrorCode.FETCH_FAILED, reason=message[:200])


def _fetch_in_child(path: str, remote_name: str, deadline: float, max_bytes: int, sender) -> None:
    try:
        repository = pygit2.Repository(path)
        remote = repository.remotes[remote_name]
        _fetch(remote, _LimitedCallbacks(deadline, max_bytes))
        _adopt_remote_head(repository, remote)
        sender.send(("ok", "", ""))
    except ValidationError as error:
        item = error.error_dict["repository_url"][0]
        sender.send(("error", item.code or StoreErrorCode.FETCH_FAILED.value, str(item.messages[0])))
    except BaseException as error:  # noqa: BLE001 - reported to the parent, which raises
        sender.send(("error", "", str(error)[:200]))
    finally:
        sender.close()
        os._exit(0)


def fetch_mirror(url: str) -> pygit2.Repository:
    """Clone or update the bare mirror of the repository at `url` (checked again here) and
    return it. ValidationError on "repository_url" when the URL is not allowed or the fetch
    fails, takes too long or brings too much; a failed first clone leaves no mirror behind."""
    location = check_repository_url(url)
    path = mirror_path(location.url)
    timeout = float(_limit("GIT_FETCH_TIMEOUT"))
    max_bytes = int(_limit("GIT_MAX_REPOSITORY_BYTES"))
    callbacks = _LimitedCallbacks(time.monotonic() + timeout, max_bytes)
    _apply_timeouts(timeout)
    source = Path(location.url).as_uri() if location.is_local else location.url
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        if path.exists():
            repository = pygit2.Repository(str(path))
            repository.remotes.set_url("origin", source)
            remote = repository.remotes["origin"]
            _fetch_and_adopt(repository, remote, callbacks, is_local=location.is_local)
            return pygit2.Repository(str(path))
        scratch = Path(tempfile.mkdtemp(prefix=".clone-", dir=path.parent))
        try:
            repository = pygit2.init_repository(str(scratch / "repo.git"), bare=True)
            remote = repository.remotes.create("origin", source)
            _fetch_and_adopt(repository, remote, callbacks, is_local=location.is_local)
            if _directory_size(scratch) > max_bytes:
                raise _error("repository_url", _("The repository is larger than the store accepts."),
                             StoreErrorCode.TOO_LARGE)
            try:
                (scratch / "repo.git").rename(path)
            except OSError:
                if not path.exists():  # else a concurrent clone finished first: use that one
                    raise
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return pygit2.Repository(str(path))
    except ValidationError:
        raise
    except (pygit2.GitError, OSError, KeyError, ValueError) as error:
        raise _error("repository_url", _("The repository could not be fetched: %(reason)s"),
                     StoreErrorCode.FETCH_FAILED, reason=str(error)[:200]) from None


def _directory_size(path: Path) -> int:
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())


def default_branch(repository: pygit2.Repository) -> str:
    try:
        return repository.head.shorthand if not repository.head_is_unborn else ""
    except pygit2.GitError:
        return ""


def list_tags(repository: pygit2.Repository) -> list[str]:
    """The repository's tags that point (through annotated tags) at commits, sorted by name."""
    tags = []
    for name in repository.references:
        if not name.startswith("refs/tags/"):
            continue
        try:
            repository.references[name].peel(pygit2.Commit)
        except (pygit2.GitError, ValueError, KeyError, pygit2.InvalidSpecError):
            continue
        tags.append(name.removeprefix("refs/tags/"))
    return sorted(tags)


# --- what a tag says ---------------------------------------------------------------------------

@dataclass
class TagInfo:
    tag: str
    commit: str
    tagger_name: str
    tagged_at: datetime | None
    message: str = ""
    publiccode_bytes: bytes | None = None


def _signature_time(signature) -> datetime:
    offset = dt_timezone(timedelta(minutes=signature.offset))
    return datetime.fromtimestamp(signature.time, tz=offset)


def read_tag(repository: pygit2.Repository, tag: str) -> TagInfo:
    """The commit, tagger and date of a tag (annotated: the tagger; lightweight: the committer),
    and its publiccode.yml (raw, size-capped). ValidationError on "tag" when there is no such tag."""
    check_tag(tag)
    reference = repository.references.get(f"refs/tags/{tag}")
    if reference is None:
        raise _error("tag", _("The repository has no tag %(tag)r."), StoreErrorCode.NOT_FOUND, tag=tag)
    try:
        commit = reference.peel(pygit2.Commit)
    except (pygit2.GitError, ValueError, pygit2.InvalidSpecError):
        raise _error("tag", _("The tag %(tag)r does not point at a commit."), StoreErrorCode.INVALID_TAG,
                     tag=tag) from None
    target = repository[reference.target]
    if isinstance(target, pygit2.Tag) and target.tagger is not None:
        signature, message = target.tagger, target.message or ""
    else:
        signature, message = commit.committer, ""
    return TagInfo(
        tag=tag, commit=str(commit.id), tagger_name=(signature.name or "")[:200],
        tagged_at=_signature_time(signature), message=message,
        publiccode_bytes=_publiccode_blob(repository, commit),
    )


def _publiccode_blob(repository: pygit2.Repository, commit: pygit2.Commit) -> bytes | None:
    for name in PUBLICCODE_FILENAMES:
        try:
            entry = commit.tree[name]
        except KeyError:
            continue
        blob = repository[entry.id]
        if not isinstance(blob, pygit2.Blob):
            continue
        limit = int(_limit("PUBLICCODE_MAX_BYTES"))
        if blob.size > limit:
            raise _error("tag", _("The tag's publiccode.yml is larger than %(limit)s bytes."),
                         StoreErrorCode.TOO_LARGE, limit=limit)
        return blob.data
    return None


def parse_publiccode(data: bytes) -> dict:
    """publiccode.yml as data, parsed safely: size-capped, no aliases, a mapping at the top.
    ValidationError on "tag" (code INVALID_PUBLICCODE) otherwise."""
    limit = int(_limit("PUBLICCODE_MAX_BYTES"))
    if len(data) > limit:
        raise _error("tag", _("The tag's publiccode.yml is larger than %(limit)s bytes."), StoreErrorCode.TOO_LARGE,
                     limit=limit)
    try:
        text = data.decode("utf-8")
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                raise _error("tag", _("The tag's publiccode.yml uses YAML aliases, which the store refuses."),
                             StoreErrorCode.INVALID_PUBLICCODE)
        parsed = yaml.safe_load(text)
    except UnicodeDecodeError:
        raise _error("tag", _("The tag's publiccode.yml is not valid UTF-8."),
                     StoreErrorCode.INVALID_PUBLICCODE) from None
    except yaml.YAMLError as error:
        raise _error("tag", _("The tag's publiccode.yml is not valid YAML: %(reason)s"),
                     StoreErrorCode.INVALID_PUBLICCODE, reason=str(error)[:200]) from None
    if not isinstance(parsed, dict):
        raise _error("tag", _("The tag's publiccode.yml is not a mapping."), StoreErrorCode.INVALID_PUBLICCODE)
    return _json_safe(parsed)


def _json_safe(value):
    """YAML's dates and other scalars as JSON values (dates in ISO 8601)."""
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(item) for item in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, float) and value != value:  # NaN is not JSON
        return None
    return value


def changelog(repository: pygit2.Repository, commit: str, released_commits) -> str:
    """Subjects of the commits reachable from `commit` and not from any earlier released commit
    on its ancestry (git log <previous>..<commit>), newest first, one per line."""
    head = pygit2.Oid(hex=commit)
    walker = repository.walk(head, pygit2.enums.SortMode.TOPOLOGICAL | pygit2.enums.SortMode.TIME)
    for released in set(released_commits):
        if released == commit:
            continue
        try:
            oid = pygit2.Oid(hex=released)
            if repository.descendant_of(head, oid):
                walker.hide(oid)
        except (pygit2.GitError, ValueError, KeyError):
            continue  # a released commit the mirror no longer has
    subjects = []
    for number, item in enumerate(walker):
        if number >= CHANGELOG_MAX_COMMITS:
            subjects.append("…")
            break
        subjects.append((item.message or "").strip().splitlines()[0] if (item.message or "").strip() else "")
    return "\n".join(subject for subject in subjects if subject)


# --- tags offered for publishing (the maintainer's release page) -----------------------------

@dataclass(frozen=True)
class TagSummary:
    """A semver tag of a mirror as the release page offers it: newest version first."""

    name: str
    version: Version
    commit: str
    tagged_at: datetime | None
    published: bool


def semver_tags(repository: pygit2.Repository, published=()) -> list[TagSummary]:
    """The repository's tags that are semantic versions (v1.2.0) and well-formed ref names and
    point at commits, newest version first (semver precedence; name breaks ties). `published`
    holds the tag names released already; their summaries say so. The tagger's date for
    annotated tags, the committer's for lightweight ones."""
    published = set(published)
    summaries = []
    for name in list_tags(repository):
        try:
            check_tag(name)
            version = parse_version(name)
        except ValidationError:
            continue
        reference = repository.references.get(f"refs/tags/{name}")
        try:
            commit = reference.peel(pygit2.Commit)
        except (AttributeError, pygit2.GitError, ValueError, KeyError, pygit2.InvalidSpecError):
            continue
        target = repository[reference.target]
        signature = target.tagger if isinstance(target, pygit2.Tag) and target.tagger is not None else commit.committer
        summaries.append(TagSummary(
            name=name, version=version, commit=str(commit.id), tagged_at=_signature_time(signature),
            published=name in published,
        ))
    summaries.sort(key=lambda summary: summary.name)
    summaries.sort(key=lambda summary: summary.version.precedence, reverse=True)
    return summaries
