"""What a tag of a mirror says: its commit, tagger and date, its publiccode.yml, the changelog
since the last release, and the semver tags offered for publishing."""
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone as dt_timezone

import pygit2
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fitstore.errors import field_error

from ..error_codes import StoreErrorCode
from . import limits
from .mirrors import list_tags
from .policy import check_tag
from .versions import Version, parse_version

PUBLICCODE_FILENAMES = ("publiccode.yml", "publiccode.yaml")
CHANGELOG_MAX_COMMITS = 500


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
        raise field_error("tag", _("The repository has no tag %(tag)r."), StoreErrorCode.NOT_FOUND, tag=tag)
    try:
        commit = reference.peel(pygit2.Commit)
    except (pygit2.GitError, ValueError, pygit2.InvalidSpecError):
        raise field_error("tag", _("The tag %(tag)r does not point at a commit."), StoreErrorCode.INVALID_TAG,
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
        limit = int(limits.value("PUBLICCODE_MAX_BYTES"))
        if blob.size > limit:
            raise field_error("tag", _("The tag's publiccode.yml is larger than %(limit)s bytes."),
                              StoreErrorCode.TOO_LARGE, limit=limit)
        return blob.data
    return None


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
