"""The write path for online services (Zulip's actions: verb_noun, atomic, audited, actor keyword-only).

Views, mutations, the admin and `load_demo` call these functions; none of them saves an
`OnlineService` itself. Invalid input raises `ValidationError({"field": ValidationError(msg,
code=StoreErrorCode...)})` before anything is written.
"""
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import State
from fitstore import audit, search
from fitstore.choices import AuditAction
from fitstore.errors import FieldErrors, field_error

from . import repositories
from .choices import EfaCriterion, InterfaceRole, Lifecycle, MaturityLevel, RepositoryMirrorState
from .error_codes import StoreErrorCode
from .models import (
    BasisComponent,
    CriterionAssessment,
    InterfaceStandard,
    LeikaService,
    LifeSituation,
    OnlineService,
    OnlineServiceInterface,
    Release,
    Repository,
)
from .publiccode import validate_publiccode
from .validators import normalize_spdx_expression, validate_leika_key

SCALAR_FIELDS = (
    "name", "summary", "description", "provider_state", "responsible_ministry", "it_provider", "lifecycle",
    "maturity_level", "topic", "is_demo", "political_support", "expert_resources", "it_provider_capacity",
)
MANY_FIELDS = ("life_situations", "services", "basis_components")
_RELATED_MODELS = {"life_situations": LifeSituation, "services": LeikaService, "basis_components": BasisComponent}

# Django's validation codes, told in the store's vocabulary.
_CODE_OF_DJANGO_CODE = {
    "blank": StoreErrorCode.REQUIRED,
    "null": StoreErrorCode.REQUIRED,
    "required": StoreErrorCode.REQUIRED,
    "unique": StoreErrorCode.UNIQUE,
}


def _validate(online_service: OnlineService) -> None:
    """Model validation with our error codes: a missing value is REQUIRED, a taken slug UNIQUE."""
    try:
        online_service.full_clean(validate_unique=True)
    except ValidationError as error:
        raise ValidationError(
            {
                field: [
                    ValidationError(
                        item.messages[0], code=_CODE_OF_DJANGO_CODE.get(item.code, StoreErrorCode.INVALID).value
                    )
                    for item in items
                ]
                for field, items in error.error_dict.items()
            }
        ) from None


def _resolve_state(provider_state: State | str | None) -> State:
    """The providing state, given as a `State` or by its code (e.g. "HB")."""
    if provider_state is None or provider_state == "":
        raise field_error("provider_state", _("Name the providing state."), StoreErrorCode.REQUIRED)
    if isinstance(provider_state, State):
        return provider_state
    state = State.objects.by_code(str(provider_state))
    if state is None:
        raise field_error("provider_state", _("There is no state with the code %(code)s."), StoreErrorCode.NOT_FOUND,
                          code=provider_state)
    return state


def _resolve_many(field: str, values) -> list[int]:
    """Primary keys of the related objects (instances or keys), all of which must exist."""
    keys = sorted({value.pk if hasattr(value, "pk") else int(value) for value in values})
    found = set(_RELATED_MODELS[field].objects.filter(pk__in=keys).values_list("pk", flat=True))
    if len(found) != len(keys):
        raise field_error(field, _("Unknown entries: %(keys)s."), StoreErrorCode.NOT_FOUND,
                          keys=", ".join(str(key) for key in keys if key not in found))
    return keys


@transaction.atomic
def register_online_service(
    *,
    slug: str,
    name: str,
    provider_state: State | str,
    summary: str = "",
    description: str = "",
    responsible_ministry: str = "",
    it_provider: str = "",
    lifecycle: str = Lifecycle.PLANNED,
    maturity_level: int = MaturityLevel.OFFLINE,
    topic=None,
    life_situations=(),
    services=(),
    basis_components=(),
    is_demo: bool = False,
    political_support: bool = False,
    expert_resources: bool = False,
    it_provider_capacity: bool = False,
    actor,
) -> OnlineService:
    """Register an EfA online service (Online-Dienst) in the catalogue; one audit row."""
    online_service = OnlineService(
        slug=slug, name=name, provider_state=_resolve_state(provider_state), summary=summary,
        description=description, responsible_ministry=responsible_ministry, it_provider=it_provider,
        lifecycle=lifecycle, maturity_level=maturity_level, topic=topic, is_demo=is_demo,
        political_support=political_support, expert_resources=expert_resources,
        it_provider_capacity=it_provider_capacity,
    )
    _validate(online_service)
    life_situation_keys = _resolve_many("life_situations", life_situations)
    service_keys = _resolve_many("services", services)
    component_keys = _resolve_many("basis_components", basis_components)
    try:
        with transaction.atomic():
            online_service.save()
    except IntegrityError:  # a concurrent registration took the slug between the check and the insert
        raise field_error("slug", _("The slug %(slug)s is taken."), StoreErrorCode.UNIQUE, slug=slug) from None
    online_service.life_situations.set(life_situation_keys)
    online_service.services.set(service_keys)
    online_service.basis_components.set(component_keys)
    audit.record("register_online_service", online_service, actor=actor, action=AuditAction.CREATED)
    search.index_on_commit(online_service)
    return online_service


@transaction.atomic
def update_online_service(online_service: OnlineService, *, actor, **changes) -> bool:
    """Change fields of an online service (SCALAR_FIELDS and MANY_FIELDS; the slug stays).

    Returns whether anything changed; an update that changes nothing writes no audit row, so
    loaders can call it on every run. The caller's instance may carry unsaved edits (the admin's
    form applies them), so the state before is read from the database, under a row lock.
    """
    unknown = set(changes) - set(SCALAR_FIELDS) - set(MANY_FIELDS)
    if unknown:
        raise TypeError(f"update_online_service() got unknown fields: {', '.join(sorted(unknown))}")
    current = OnlineService.objects.select_for_update().get(pk=online_service.pk)
    before = audit.snapshot(current)
    if "provider_state" in changes:
        changes["provider_state"] = _resolve_state(changes["provider_state"])
    for field in SCALAR_FIELDS:
        if field in changes:
            setattr(current, field, changes[field])
    _validate(current)
    many = {field: _resolve_many(field, changes[field]) for field in MANY_FIELDS if field in changes}
    unchanged = {key: value for key, value in before.items() if key != "updated_at"}
    after = {**audit.snapshot(current, exclude=("updated_at", *MANY_FIELDS)), **{
        field: many.get(field, before[field]) for field in MANY_FIELDS
    }}
    if after == unchanged:
        return False
    current.save()
    for field, keys in many.items():
        getattr(current, field).set(keys)
    audit.record("update_online_service", current, actor=actor, before=before)
    search.index_on_commit(current)
    return True


# --- Repositories and releases (issue 4, item 4) ----------------------------------------------

def resolve_leika_keys(leika_keys) -> list[LeikaService]:
    """The LeiKa services with these keys (14 digits starting with 99), all of which must exist;
    ValidationError on "leika_keys" otherwise."""
    keys = []
    for key in leika_keys or ():
        key = (key or "").strip()
        if not key:
            continue
        try:
            validate_leika_key(key)
        except ValidationError as error:
            raise field_error("leika_keys", error.messages[0], StoreErrorCode.INVALID) from None
        keys.append(key)
    found = {service.leika_key: service for service in LeikaService.objects.filter(leika_key__in=keys)}
    missing = [key for key in dict.fromkeys(keys) if key not in found]
    if missing:
        raise field_error("leika_keys", _("Unknown LeiKa keys: %(keys)s."), StoreErrorCode.NOT_FOUND,
                          keys=", ".join(missing))
    return [found[key] for key in dict.fromkeys(keys)]


def _normalized_license(license: str) -> str:
    if not (license or "").strip():
        return ""
    try:
        return normalize_spdx_expression(license.strip(), max_length=Repository._meta.get_field("license").max_length)
    except ValidationError as error:
        raise ValidationError(
            {"license": ValidationError(error.messages[0], code=StoreErrorCode.INVALID_LICENSE.value)}
        ) from None


@transaction.atomic
def set_repository(online_service: OnlineService, *, url: str, license: str = "", actor) -> Repository:
    """Register (or change) the git repository of an online service: an https URL on an allowed
    host (resolving to public addresses), or a local path where ALLOW_LOCAL_REPOSITORIES; the
    licence an SPDX expression. One audit row when something changed; the mirror is fetched when
    a release is published."""
    errors = FieldErrors()  # both fields are checked, so that one answer names every problem
    location = None
    try:
        location = repositories.check_repository_url(url)
    except ValidationError as error:
        errors.extend(error)
    try:
        license = _normalized_license(license)
    except ValidationError as error:
        errors.extend(error)
    errors.raise_if_any()
    current = Repository.objects.select_for_update().filter(online_service=online_service).first()
    if current is None:
        repository = Repository.objects.create(online_service=online_service, url=location.url, license=license)
        audit.record("set_repository", repository, actor=actor, action=AuditAction.CREATED)
        return repository
    before = audit.snapshot(current)
    if current.url == location.url and current.license == license:
        return current
    if current.url != location.url:
        current.mirror_state, current.mirror_error, current.fetched_at, current.default_branch = (
            RepositoryMirrorState.PENDING, "", None, "")
    current.url, current.license = location.url, license
    current.save()
    audit.record("set_repository", current, actor=actor, before=before)
    return current


def _publiccode_of(info) -> tuple[dict | None, list]:
    """The tag's publiccode.yml as data and the validator's findings (null and [] when absent).

    Unreadable files (too large, aliases, not YAML) refuse the release; a readable file is kept
    as the validator reads it (YAML 1.2: `yes` is a string), with its findings beside it."""
    if info.publiccode_bytes is None:
        return None, []
    data = repositories.parse_publiccode(info.publiccode_bytes)
    result = validate_publiccode(info.publiccode_bytes, network=False)
    return (result.parse if isinstance(result.parse, dict) else data), _findings(result)


def _findings(result) -> list:
    """The validator's errors as JSON: [{"key", "description", "line", "column"}]."""
    errors = getattr(result, "errors", result if isinstance(result, (list, tuple)) else [])
    findings = []
    for error in errors or ():
        if isinstance(error, dict):
            findings.append({key: value for key, value in error.items()
                             if isinstance(value, (str, int, float, bool)) or value is None})
        else:
            findings.append({"key": str(getattr(error, "key", "")),
                             "description": str(getattr(error, "description", error))})
    return findings


def invalid_publiccode_error(findings: list) -> ValidationError:
    """The refusal of a tag whose publiccode.yml the validator finds wrong: one error on "tag"
    (code INVALID_PUBLICCODE) per finding, naming the key that is missing or wrong."""
    errors = FieldErrors()
    for finding in findings:
        key, description = finding.get("key") or "", finding.get("description") or ""
        if key:
            errors.add("tag", _("publiccode.yml, key %(key)s: %(description)s"), StoreErrorCode.INVALID_PUBLICCODE,
                       key=key, description=description)
        else:
            errors.add("tag", _("publiccode.yml: %(description)s"), StoreErrorCode.INVALID_PUBLICCODE,
                       description=description)
    return ValidationError(errors.errors)


CHANGELOG_MAX_LENGTH = 20_000


def default_changelog(tag_message: str, subjects: str) -> str:
    """The changelog a release gets unless its maintainer edits it: the annotated tag's message
    (where there is one), then the subjects of the commits since the previous release."""
    message = "\n".join(line.rstrip() for line in (tag_message or "").strip().splitlines())
    return "\n".join(part for part in (message, subjects) if part)


@dataclass(frozen=True)
class ReleaseDraft:
    """What publishing a tag would record: shown on the preview, written by publish_release."""

    info: repositories.TagInfo
    version: repositories.Version
    changelog: str
    publiccode: dict | None
    publiccode_errors: list  # the validator's findings; the tag is refused while there are any

    @property
    def publiccode_present(self) -> bool:
        return self.info.publiccode_bytes is not None


def draft_release(online_service: OnlineService, mirror, tag: str) -> ReleaseDraft:
    """The release `tag` of the (fetched) mirror would give: its commit and tagger, its
    publiccode.yml with the validator's findings, and the default changelog. ValidationError on
    "tag" when the tag is malformed, missing or its publiccode.yml unreadable; nothing is written."""
    repositories.check_tag(tag)
    version = repositories.parse_version(tag)
    info = repositories.read_tag(mirror, tag)
    publiccode, findings = _publiccode_of(info)
    released = list(Release.objects.filter(online_service=online_service).values_list("commit", flat=True))
    changelog = default_changelog(info.message, repositories.changelog(mirror, info.commit, released))
    return ReleaseDraft(info=info, version=version, changelog=changelog, publiccode=publiccode,
                        publiccode_errors=findings)


def _edited_changelog(changelog: str) -> str:
    lines = [line.rstrip() for line in (changelog or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    text = "\n".join(lines).strip()
    if len(text) > CHANGELOG_MAX_LENGTH:
        raise field_error("changelog", _("The changelog may be at most %(limit)s characters long."),
                          StoreErrorCode.TOO_LARGE, limit=CHANGELOG_MAX_LENGTH)
    return text


def publish_release(online_service: OnlineService, tag: str, *, changelog: str | None = None, actor) -> Release:
    """Publish a release of an online service from a tag of its repository.

    Idempotent: a tag published before returns that release (nothing written, no audit row).
    The tag must be well-formed, not option-like, a semantic version (v1.2.0) and exist in the
    repository, which is fetched into the local mirror first (outside the transaction: the
    fetch may take a while); its publiccode.yml, where it has one, must be valid (each finding
    of the validator is an error on "tag", naming the key). ValidationError naming "tag",
    "online_service", "repository_url" or "changelog" otherwise, and nothing is written.
    `changelog` is the maintainer's edited text; None takes the default (`default_changelog`).
    """
    repositories.check_tag(tag)
    existing = Release.objects.filter(online_service=online_service, tag=tag).first()
    if existing is not None:
        return existing
    repositories.parse_version(tag)
    edited = None if changelog is None else _edited_changelog(changelog)
    repository_row = Repository.objects.filter(online_service=online_service).first()
    if repository_row is None:
        raise field_error("online_service", _("The online service has no repository; register one first."),
                          StoreErrorCode.NO_REPOSITORY)
    mirror = repositories.fetch_mirror(repository_row.url)
    draft = draft_release(online_service, mirror, tag)
    if draft.publiccode_errors:
        raise invalid_publiccode_error(draft.publiccode_errors)
    return _record_release(
        online_service, repository_row, actor=actor, tag=tag, draft=draft,
        changelog=draft.changelog if edited is None else edited, default_branch=repositories.default_branch(mirror),
    )


@transaction.atomic
def _record_release(online_service, repository_row, *, actor, tag, draft, changelog, default_branch) -> Release:
    # The mirror's bookkeeping is a cache of the remote, not a user's change: no audit row.
    Repository.objects.filter(pk=repository_row.pk).update(
        mirror_state=RepositoryMirrorState.OK, mirror_error="", fetched_at=timezone.now(),
        default_branch=default_branch[:200],
    )
    version, info = draft.version, draft.info
    release = Release(
        online_service=online_service, tag=tag, version=str(version), version_major=version.major,
        version_minor=version.minor, version_patch=version.patch, version_prerelease=version.prerelease,
        is_prerelease=bool(version.prerelease), prerelease_key=version.prerelease_key,
        commit=info.commit, tagger_name=info.tagger_name,
        tagged_at=info.tagged_at, changelog=changelog, publiccode=draft.publiccode, publiccode_errors=[],
    )
    try:
        with transaction.atomic():  # a concurrent publish of the same tag wins; we return its release
            release.save()
    except IntegrityError:
        return Release.objects.get(online_service=online_service, tag=tag)
    audit.record("publish_release", release, actor=actor, action=AuditAction.CREATED)
    return release


@transaction.atomic
def assess_criterion(online_service: OnlineService, criterion: str, *, met: bool, evidence: str, actor) -> CriterionAssessment:
    """Record whether the online service meets one of the EfA criteria C1–C5, C7, with the
    evidence (a link, a decision, a document). C6 is computed, never assessed."""
    if criterion not in EfaCriterion.values:
        raise field_error("criterion", _("Unknown criterion %(criterion)s; one of C1 … C7."), StoreErrorCode.INVALID,
                          criterion=criterion)
    if criterion == EfaCriterion.C6:
        raise field_error("criterion", _("C6 is computed from the connected states and cannot be assessed."),
                          StoreErrorCode.COMPUTED)
    evidence = (evidence or "").strip()
    if not evidence:
        raise field_error("evidence", _("Say what shows it: a link, a decision or a document."), StoreErrorCode.REQUIRED)
    current = CriterionAssessment.objects.select_for_update().filter(
        online_service=online_service, criterion=criterion).first()
    if current is not None and current.met == met and current.evidence == evidence:
        return current
    before = audit.snapshot(current) if current else None
    if current is None:
        current = CriterionAssessment(online_service=online_service, criterion=criterion)
    current.met, current.evidence, current.assessed_at = met, evidence, timezone.now()
    current.save()
    audit.record("assess_criterion", current, actor=actor, before=before,
                 action=AuditAction.UPDATED if before else AuditAction.CREATED)
    return current


@transaction.atomic
def set_interface(online_service: OnlineService, *, standard: str, version: str, role: str, actor) -> OnlineServiceInterface:
    """Record which version of a standard (by its URN) the online service implements in a role."""
    errors = FieldErrors()
    standard_row = InterfaceStandard.objects.filter(identifier=standard).first()
    if standard_row is None:
        errors.add("standard", _("No interface standard has the identifier %(identifier)s."), StoreErrorCode.NOT_FOUND,
                   identifier=standard)
    version = (version or "").strip()
    if not version or len(version) > 40:
        errors.add("version", _("Give the version implemented, e.g. 1.2.0."), StoreErrorCode.REQUIRED)
    elif not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z.+_-]*", version, flags=re.ASCII):
        errors.add("version", _("A version has letters, digits, dots and hyphens only, e.g. 1.2.0."),
                   StoreErrorCode.INVALID)
    if role not in InterfaceRole.values:
        errors.add("role", _("The role is SENDER or RECEIVER."), StoreErrorCode.INVALID)
    errors.raise_if_any()
    current = OnlineServiceInterface.objects.select_for_update().filter(
        online_service=online_service, standard=standard_row, role=role).first()
    if current is not None and current.version == version:
        return current
    before = audit.snapshot(current) if current else None
    current = current or OnlineServiceInterface(online_service=online_service, standard=standard_row, role=role)
    current.version = version
    current.save()
    audit.record("set_interface", current, actor=actor, before=before,
                 action=AuditAction.UPDATED if before else AuditAction.CREATED)
    return current
