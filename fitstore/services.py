"""The write path for users, roles and API tokens (Zulip's actions; verb_noun, actor keyword-only).

Commands, the admin and the API call these; none of them saves these models itself.
"""
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .access import forget_grants
from .auth import generate_token
from .choices import AuditAction, Role
from .error_codes import FitstoreErrorCode as Code
from .errors import FieldErrors, field_error
from .models import ApiToken, RoleAssignment, hash_token


@transaction.atomic
def ensure_user(username: str, *, actor, email: str = ""):
    """The user called `username`, created (without a usable password) when absent."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user, False
    user = User(username=username, email=email)
    user.set_unusable_password()
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        raise ValidationError({"username": error.message_dict.get("username", [_("Invalid user name.")])[0]})
    user.save()
    audit.record("ensure_user", user, actor=actor, action=AuditAction.CREATED, after=_user_snapshot(user))
    return user, True


def _user_snapshot(user) -> dict:
    return {"username": user.get_username(), "is_active": user.is_active, "is_staff": user.is_staff}


def check_email(email: str) -> str:
    """The address, normalised (domain lower-cased), if it is a valid e-mail address; empty
    stays empty. ValidationError on "email" otherwise."""
    email = (email or "").strip()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        raise field_error("email", _("%(email)s is not a valid e-mail address."), Code.INVALID, email=email[:100]) from None
    return get_user_model().objects.normalize_email(email)


@transaction.atomic
def set_user_email(user, email: str, *, actor) -> bool:
    """Set the e-mail address of `user` (empty: none). Whether it changed; one audit row then."""
    email = check_email(email)
    current = get_user_model().objects.select_for_update().get(pk=user.pk)
    if current.email == email:
        return False
    before = {**_user_snapshot(current), "email": current.email}
    current.email = user.email = email
    current.save(update_fields=["email"])
    audit.record("set_user_email", current, actor=actor, before=before, after={**_user_snapshot(current), "email": email})
    return True


def check_password(user, password: str) -> str:
    """The password if the site's password validators accept it for `user`; ValidationError on
    "password" naming each reason otherwise."""
    if not password:
        raise field_error("password", _("Give a password."), Code.REQUIRED)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": [ValidationError(message, code=Code.INVALID.value)
                                            for message in error.messages]}) from None
    return password


@transaction.atomic
def set_user_password(user, password: str, *, actor) -> None:
    """Set the password of `user` after the site's password validators; one audit row (which
    records that the password changed, never the password)."""
    check_password(user, password)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record("set_user_password", user, actor=actor, before=_user_snapshot(user), after=_user_snapshot(user),
                 note="password changed")


@transaction.atomic
def grant_role(user, role: str, *, state=None, online_service=None, actor) -> tuple[RoleAssignment, bool]:
    """Give `user` a role; coordinator and directory-maintainer need a state, maintainer an online
    service, operator and gateway neither. Granting what the user has changes nothing."""
    if role not in Role.values:
        raise field_error("role", _("Unknown role %(role)s; one of: %(roles)s."), Code.INVALID, role=role,
                          roles=", ".join(Role.values))
    errors = FieldErrors()
    if role in Role.scoped_by_state():
        if state is None:
            errors.add("state", _("The role %(role)s needs a state."), Code.REQUIRED, role=role)
    elif state is not None:
        errors.add("state", _("The role %(role)s takes no state."), Code.INVALID, role=role)
    if role in Role.scoped_by_online_service():
        if online_service is None:
            errors.add("online_service", _("The role %(role)s needs an online service."), Code.REQUIRED, role=role)
    elif online_service is not None:
        errors.add("online_service", _("The role %(role)s takes no online service."), Code.INVALID, role=role)
    errors.raise_if_any()

    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, state=state, online_service=online_service
    )
    if created:
        if role == Role.OPERATOR and not (user.is_staff and user.is_superuser):
            # Operators run the platform through the Django admin.
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        audit.record("grant_role", assignment, actor=actor, action=AuditAction.CREATED)
        forget_grants(user)
    return assignment, created


@transaction.atomic
def revoke_role(assignment: RoleAssignment, *, actor) -> None:
    before = audit.snapshot(assignment)
    user = assignment.user
    audit.record("revoke_role", assignment, actor=actor, action=AuditAction.DELETED, before=before)
    assignment.delete()
    if before["role"] == Role.OPERATOR:
        user.is_staff = user.is_superuser = False
        user.save(update_fields=["is_staff", "is_superuser"])
    forget_grants(user)


@transaction.atomic
def issue_token(user, *, name: str = "", expires_at=None, actor) -> tuple[ApiToken, str]:
    """A new API token for `user`. Returns the stored token and the raw token, shown only now."""
    if len(name) > ApiToken._meta.get_field("name").max_length:
        raise field_error("name", _("The name is too long."), Code.INVALID)
    if expires_at is not None and expires_at <= timezone.now():
        raise field_error("expires_at", _("The expiry lies in the past."), Code.INVALID)
    raw = generate_token()
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[:12], key_hash=hash_token(raw), expires_at=expires_at
    )
    audit.record("issue_token", token, actor=actor, action=AuditAction.CREATED)
    return token, raw


@transaction.atomic
def revoke_token(token: ApiToken, *, actor) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise field_error("token", _("This token is already revoked."), Code.ALREADY_REVOKED)
    before = audit.snapshot(token)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record("revoke_token", token, actor=actor, before=before)
    return token
