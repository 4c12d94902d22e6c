"""The write path for online services (Zulip's actions: verb_noun, atomic, audited, actor last)."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fitstore import audit
from fitstore.choices import AuditAction

from .error_codes import StoreErrorCode
from .models import OnlineService

SCALAR_FIELDS = (
    "name", "summary", "description", "provider_state", "responsible_ministry", "it_provider", "lifecycle",
    "maturity_level", "topic", "is_demo",
)
MANY_FIELDS = ("life_situations", "services")


def _validate(online_service: OnlineService) -> None:
    """Model validation with our error codes: a missing value is REQUIRED, a taken slug UNIQUE."""
    try:
        online_service.full_clean(validate_unique=True)
    except ValidationError as error:
        raise ValidationError(
            {
                field: [
                    ValidationError(
                        item.messages[0],
                        code=(
                            StoreErrorCode.REQUIRED.value if item.code in ("blank", "null", "required")
                            else StoreErrorCode.UNIQUE.value if item.code == "unique"
                            else StoreErrorCode.INVALID.value
                        ),
                    )
                    for item in items
                ]
                for field, items in error.error_dict.items()
            }
        ) from None


@transaction.atomic
def register_online_service(*, slug: str, name: str, provider_state, actor, life_situations=(), services=(),
                            **fields) -> OnlineService:
    """Register an EfA online service in the catalogue."""
    unknown = set(fields) - set(SCALAR_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    if provider_state is None:
        raise ValidationError({"provider_state": ValidationError(_("Name the providing state."), code=StoreErrorCode.REQUIRED.value)})
    online_service = OnlineService(slug=slug, name=name, provider_state=provider_state, **fields)
    _validate(online_service)
    online_service.save()
    online_service.life_situations.set(life_situations)
    online_service.services.set(services)
    audit.record("register_online_service", online_service, actor=actor, action=AuditAction.CREATED)
    return online_service


@transaction.atomic
def update_online_service(online_service: OnlineService, *, actor, **changes) -> bool:
    """Change an online service's fields; returns whether anything changed (no audit row if not)."""
    unknown = set(changes) - set(SCALAR_FIELDS) - set(MANY_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    online_service = OnlineService.objects.select_for_update().get(pk=online_service.pk)
    before = audit.snapshot(online_service)
    for field in SCALAR_FIELDS:
        if field in changes:
            setattr(online_service, field, changes[field])
    _validate(online_service)
    for field in MANY_FIELDS:
        if field in changes:
            getattr(online_service, field).set(changes[field])
    after = audit.snapshot(online_service, exclude=("updated_at",))
    if after == {k: v for k, v in before.items() if k != "updated_at"}:
        return False
    online_service.save()
    audit.record("update_online_service", online_service, actor=actor, before=before)
    return True
