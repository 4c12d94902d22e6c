"""The write path for online services (Zulip's actions: verb_noun, atomic, audited, actor keyword-only).

Views, mutations, the admin and `load_demo` call these functions; none of them saves an
`OnlineService` itself. Invalid input raises `ValidationError({"field": ValidationError(msg,
code=StoreErrorCode...)})` before anything is written.
"""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from directory.models import State
from fitstore import audit
from fitstore.choices import AuditAction

from .choices import Lifecycle, MaturityLevel
from .error_codes import StoreErrorCode
from .models import LeikaService, LifeSituation, OnlineService

SCALAR_FIELDS = (
    "name", "summary", "description", "provider_state", "responsible_ministry", "it_provider", "lifecycle",
    "maturity_level", "topic", "is_demo",
)
MANY_FIELDS = ("life_situations", "services")
_RELATED_MODELS = {"life_situations": LifeSituation, "services": LeikaService}

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
        raise ValidationError(
            {"provider_state": ValidationError(_("Name the providing state."), code=StoreErrorCode.REQUIRED.value)}
        )
    if isinstance(provider_state, State):
        return provider_state
    state = State.objects.filter(code=str(provider_state).upper()).first()
    if state is None:
        raise ValidationError(
            {
                "provider_state": ValidationError(
                    _("There is no state with the code %(code)s."),
                    code=StoreErrorCode.NOT_FOUND.value,
                    params={"code": provider_state},
                )
            }
        )
    return state


def _resolve_many(field: str, values) -> list[int]:
    """Primary keys of the related objects (instances or keys), all of which must exist."""
    keys = sorted({value.pk if hasattr(value, "pk") else int(value) for value in values})
    found = set(_RELATED_MODELS[field].objects.filter(pk__in=keys).values_list("pk", flat=True))
    if len(found) != len(keys):
        raise ValidationError(
            {
                field: ValidationError(
                    _("Unknown entries: %(keys)s."),
                    code=StoreErrorCode.NOT_FOUND.value,
                    params={"keys": ", ".join(str(key) for key in keys if key not in found)},
                )
            }
        )
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
    is_demo: bool = False,
    actor,
) -> OnlineService:
    """Register an EfA online service (Online-Dienst) in the catalogue; one audit row."""
    online_service = OnlineService(
        slug=slug, name=name, provider_state=_resolve_state(provider_state), summary=summary,
        description=description, responsible_ministry=responsible_ministry, it_provider=it_provider,
        lifecycle=lifecycle, maturity_level=maturity_level, topic=topic, is_demo=is_demo,
    )
    _validate(online_service)
    life_situation_keys = _resolve_many("life_situations", life_situations)
    service_keys = _resolve_many("services", services)
    online_service.save()
    online_service.life_situations.set(life_situation_keys)
    online_service.services.set(service_keys)
    audit.record("register_online_service", online_service, actor=actor, action=AuditAction.CREATED)
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
    return True
