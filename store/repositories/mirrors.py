"""Bare mirrors of repositories under `VAR_DIR/mirrors`: cloned and fetched within a time limit
and a size cap, without credentials, redirects or proxies; a first clone is made aside and moved
into place only when complete."""
import hashlib
import multiprocessing
import os
import shutil
import tempfile
import time
from pathlib import Path

import pygit2
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fitstore.errors import field_error

from ..error_codes import StoreErrorCode
from . import limits
from .policy import check_repository_url

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
            raise field_error("repository_url", _("The repository is larger than the store accepts."),
                              StoreErrorCode.TOO_LARGE)
        if time.monotonic() > self.deadline:
            raise field_error("repository_url", _("Fetching the repository took too long."), StoreErrorCode.FETCH_FAILED)

    def credentials(self, url, username_from_url, allowed_types):
        # Public repositories only: never offer credentials (ssh agent, netrc…).
        raise field_error("repository_url", _("The repository asks for credentials; only public repositories are "
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
        raise field_error("repository_url", _("Fetching the repository took too long."), StoreErrorCode.FETCH_FAILED)
    if answer[0] == "error":
        _status, code, message = answer
        if code:
            raise field_error("repository_url", message, code)
        raise field_error("repository_url", _("The repository could not be fetched: %(reason)s"),
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
    timeout = float(limits.value("GIT_FETCH_TIMEOUT"))
    max_bytes = int(limits.value("GIT_MAX_REPOSITORY_BYTES"))
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
                raise field_error("repository_url", _("The repository is larger than the store accepts."),
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
        raise field_error("repository_url", _("The repository could not be fetched: %(reason)s"),
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
