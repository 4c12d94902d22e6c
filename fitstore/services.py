"""The write path for users, roles, API tokens and the directory's signing keys (Zulip's actions; verb_noun, actor keyword-only).

Commands, the admin and the API call these; none of them saves these models itself.
"""
import datetime
import os

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, signing
from .access import forget_grants
from .auth import generate_token
from .choices import AuditAction, Role, SigningKeyState
from .error_codes import FitstoreErrorCode as Code
from .errors import FieldErrors, field_error
from .models import ApiToken, RoleAssignment, SigningKey, hash_token


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


# --- the directory's signing keys (fitstore.signing; docs/federation.md, "Keys and their rotation") ----

def _write_private_key(kid: str, pem: bytes) -> None:
    """`<kid>.pem` in the key directory, readable by this account alone; kept when it is there."""
    directory = signing.key_dir()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(signing.private_key_path(kid), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)


def _store_key(private_key, chain: list[bytes], state: str, *, actor, activated_at=None) -> SigningKey:
    jwk = signing.public_jwk_of(private_key.public_key(), chain)
    if SigningKey.objects.filter(kid=jwk["kid"]).exists():
        raise field_error("private_key", _("This key is in the key store already (%(kid)s)."), Code.UNIQUE,
                          kid=jwk["kid"])
    _write_private_key(jwk["kid"], signing.private_pem(private_key))
    key = SigningKey.objects.create(kid=jwk["kid"], state=state, public_jwk=jwk, activated_at=activated_at)
    audit.record("add_signing_key", key, actor=actor, action=AuditAction.CREATED)
    return key


@transaction.atomic
def add_signing_key(*, private_key_pem: str = "", certificate_pem: str = "", valid_days: int = 730,
                    actor) -> SigningKey:
    """Add the next key of the key set: published in `/.well-known/jwks.json` at once, signing only
    once `activate_signing_key` makes it current. A new RSA key of 4096 bits with a self-signed
    certificate valid `valid_days`, unless the key (PEM) and a certificate for it (PEM, the key's
    certificate first, then its issuers, e.g. from the state's CA) are given.

    While the store is empty, the key in use until now (DIRECTORY_SIGNING_KEY, or the development
    key) is taken in first as the current key (an audit row of its own), so that it stays
    published and keeps signing until the switch."""
    keys = list(SigningKey.objects.select_for_update().filter(state__in=SigningKeyState.published()))
    waiting = next((key for key in keys if key.state == SigningKeyState.NEXT), None)
    if waiting is not None:
        raise field_error("state", _("The key %(kid)s waits to be activated; activate or retire it before adding "
                                     "another."), Code.KEY_STATE, kid=waiting.kid)
    errors = FieldErrors()
    private_key = chain = None
    if private_key_pem:
        try:
            private_key = signing.load_private_key(private_key_pem.encode())
        except ValueError as error:
            errors.add("private_key", _("The private key cannot be used: %(reason)s."), Code.INVALID,
                       reason=str(error))
    if certificate_pem and not private_key_pem:
        errors.add("certificate", _("A certificate needs the private key it certifies."), Code.REQUIRED)
    errors.raise_if_any()
    private_key = private_key or signing.new_private_key()
    if certificate_pem:
        try:
            chain = signing.certificate_chain(certificate_pem, private_key)
        except ValueError as error:
            raise field_error("certificate", _("The certificate cannot be used: %(reason)s."), Code.INVALID,
                              reason=str(error)) from None
    else:
        now = timezone.now()
        chain = [signing.self_signed_certificate(private_key, not_before=now - datetime.timedelta(minutes=5),
                                                 not_after=now + datetime.timedelta(days=valid_days))]
    if not keys:
        configured = signing.configured_key()
        _store_key(configured.private_key(), signing.chain_of(configured.jwk),
                   SigningKeyState.CURRENT, actor=actor, activated_at=timezone.now())
    return _store_key(private_key, chain, SigningKeyState.NEXT, actor=actor)


def _overlap(seconds) -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.DIRECTORY_KEY_OVERLAP_SECONDS if seconds is None else seconds)


def _changed_state(verb: str, key: SigningKey, state: str, *, actor, **moments) -> SigningKey:
    before = audit.snapshot(key)
    key.state = state
    for field, value in moments.items():
        setattr(key, field, value)
    key.save(update_fields=["state", *moments])
    audit.record(verb, key, actor=actor, before=before)
    return key


@transaction.atomic
def activate_signing_key(key: SigningKey, *, overlap_seconds: int | None = None, actor) -> SigningKey:
    """Switch signing to the next key `key`; the current key becomes the previous one and stays
    published, so that what it signed still verifies. Refused before `key` has been published for
    the overlap (DIRECTORY_KEY_OVERLAP_SECONDS: gateways cache the key set) and when its private
    key is not readable here."""
    keys = {row.pk: row for row in SigningKey.objects.select_for_update().filter(
        state__in=SigningKeyState.published())}
    key = keys.get(key.pk)
    if key is None or key.state != SigningKeyState.NEXT:
        raise field_error("key", _("Only the next key can be activated."), Code.KEY_STATE)
    now = timezone.now()
    ready = key.created_at + _overlap(overlap_seconds)
    if now < ready:
        raise field_error("key", _("The key %(kid)s has been published since %(since)s; activate it from %(ready)s, "
                                   "when gateways and mirrors have fetched the key set."), Code.TOO_EARLY,
                          kid=key.kid, since=key.created_at.isoformat(timespec="seconds"),
                          ready=ready.isoformat(timespec="seconds"))
    if not signing.private_key_path(key.kid).exists():
        raise field_error("key", _("The private key of %(kid)s is missing here (%(path)s)."), Code.KEY_STATE,
                          kid=key.kid, path=str(signing.private_key_path(key.kid)))
    for current in (row for row in keys.values() if row.state == SigningKeyState.CURRENT):
        _changed_state("activate_signing_key", current, SigningKeyState.PREVIOUS, actor=actor, deactivated_at=now)
    return _changed_state("activate_signing_key", key, SigningKeyState.CURRENT, actor=actor, activated_at=now)


@transaction.atomic
def retire_signing_key(key: SigningKey, *, overlap_seconds: int | None = None, actor) -> SigningKey:
    """Retire a previous key (or a next key never activated): no longer published, its private key
    file deleted once the change is committed. A previous key is refused before the overlap has
    passed since it stopped signing (routing answers signed with it are cached by gateways, and
    mirrors renew the signatures they relay)."""
    key = SigningKey.objects.select_for_update().filter(pk=key.pk).first()
    if key is None or key.state not in (SigningKeyState.PREVIOUS, SigningKeyState.NEXT):
        raise field_error("key", _("Only a previous key, or a next key not yet activated, can be retired."),
                          Code.KEY_STATE)
    now = timezone.now()
    if key.state == SigningKeyState.PREVIOUS:
        ready = key.deactivated_at + _overlap(overlap_seconds)
        if now < ready:
            raise field_error("key", _("The key %(kid)s signed until %(until)s; retire it from %(ready)s."),
                              Code.TOO_EARLY, kid=key.kid, until=key.deactivated_at.isoformat(timespec="seconds"),
                              ready=ready.isoformat(timespec="seconds"))
    path = signing.private_key_path(key.kid)
    transaction.on_commit(lambda: path.unlink(missing_ok=True))
    return _changed_state("retire_signing_key", key, SigningKeyState.RETIRED, actor=actor, retired_at=now)
