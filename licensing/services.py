"""The write path of licensing (Zulip's actions: verb_noun, atomic, audited, actor keyword-only).

Accession to the FIT-Store, reuse terms, and the FIT-Store procedure of a subscription:

    subscribe → REQUESTED ─ confirm (accept) → ACTIVE ─ connect → CONNECTED
                         └ confirm (decline) → DECLINED
    REQUESTED / ACTIVE / CONNECTED ─ terminate → TERMINATED

Every service validates before it writes and raises `ValidationError({"field": ValidationError(
msg, code=LicensingErrorCode...)})` naming the input field (snake_case; the API shows it in
camelCase) or, for a step from the wrong status, the field "status" with INVALID_TRANSITION.
Each transition writes one `SubscriptionEvent` (the procedure's own history, shown to users)
and one audit row for the subscription, with the actor and the note. Permissions are checked
by the callers through `licensing.access` (the API declares them per mutation); the services
trust their caller, so that commands and the loaders can call them as a system actor.
"""
import logging
import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import State
from fitstore import audit
from fitstore.choices import AuditAction, Role
from store.validators import normalize_spdx_expression
from fitstore.errors import field_error, not_given

from .choices import AccessionStatus, AllocationKey, LegalBasis, OperatingModel, SubscriptionStatus
from .error_codes import LicensingErrorCode as Code
from .models import OPEN_STATUSES, Accession, FrameworkAgreement, ReuseTerms, Subscription, SubscriptionEvent
from .words import legal_basis_word, status_word

logger = logging.getLogger(__name__)

MONEY = re.compile(r"-?[0-9]+(\.[0-9]+)?")  # ASCII digits (Decimal would read ١٢٣ too); used with fullmatch
MAX_MONEY = Decimal("999999999999.99")  # max_digits=14, decimal_places=2


# --- Accession ---------------------------------------------------------------------------------


@transaction.atomic
def join_store(state: State, *, signatory: str, actor, agreement: FrameworkAgreement | None = None) -> Accession:
    """The state joins the FIT-Store (Beitritt): signs the framework agreement in force.

    A state that withdrew may join again; its accession row is signed anew. One audit row.
    """
    signatory = (signatory or "").strip()
    errors = {}
    if not signatory:
        errors["signatory"] = ValidationError(_("Name who signs for the state."), code=Code.REQUIRED.value)
    elif len(signatory) > Accession._meta.get_field("signatory").max_length:
        errors["signatory"] = ValidationError(_("The signatory's name is too long."), code=Code.INVALID.value)
    agreement = agreement or FrameworkAgreement.current()
    if agreement is None:
        errors["agreement"] = ValidationError(_("No framework agreement is in force."), code=Code.NO_AGREEMENT.value)
    accession = Accession.objects.select_for_update().filter(state=state).first()
    if accession is not None and accession.status == AccessionStatus.SIGNED:
        errors["state_code"] = ValidationError(
            _("%(state)s has already joined the FIT-Store."), code=Code.ALREADY_JOINED.value, params={"state": state.name}
        )
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    if accession is None:
        accession = Accession(state=state, agreement=agreement, status=AccessionStatus.SIGNED, signatory=signatory,
                              signed_at=now)
        try:
            with transaction.atomic():
                accession.save()
        except IntegrityError:  # a concurrent join of the same state won
            raise field_error("state_code", _("%(state)s has already joined the FIT-Store.") % {"state": state.name},
                              Code.ALREADY_JOINED) from None
        audit.record("join_store", accession, actor=actor, action=AuditAction.CREATED)
        return accession
    before = audit.snapshot(accession)
    accession.agreement = agreement
    accession.status = AccessionStatus.SIGNED
    accession.signatory = signatory
    accession.signed_at = now
    accession.withdrawn_at = None
    accession.save()
    audit.record("join_store", accession, actor=actor, before=before)
    return accession


@transaction.atomic
def withdraw_from_store(state: State, *, actor, reason: str = "") -> Accession:
    """The state withdraws from the FIT-Store (Austritt). Its subscriptions stay until terminated;
    new FIT_STORE subscriptions need it to join again."""
    accession = Accession.objects.select_for_update().filter(state=state).first()
    if accession is None or accession.status != AccessionStatus.SIGNED:
        raise field_error("state_code", _("%(state)s has not joined the FIT-Store.") % {"state": state.name},
                          Code.NOT_JOINED)
    before = audit.snapshot(accession)
    accession.status = AccessionStatus.WITHDRAWN
    accession.withdrawn_at = timezone.now()
    accession.save(update_fields=["status", "withdrawn_at"])
    audit.record("withdraw_from_store", accession, actor=actor, before=before, note=reason or "")
    return accession


# --- Reuse terms -------------------------------------------------------------------------------


def parse_money(value, field: str) -> Decimal:
    """Euros with at most two decimal places, not negative: "125000", "125000.5", Decimal("1.25")."""
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise field_error(field, _("Give the amount as a decimal string in euros, e.g. \"125000.00\"."), Code.INVALID)
    text = str(value).strip()
    if not MONEY.fullmatch(text):
        raise field_error(field, _("Give the amount as a decimal string in euros, e.g. \"125000.00\"."), Code.INVALID)
    try:
        amount = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise field_error(field, _("Give the amount as a decimal string in euros, e.g. \"125000.00\"."),
                          Code.INVALID) from None
    if amount < 0:
        raise field_error(field, _("The amount must not be negative."), Code.NEGATIVE_AMOUNT)
    if amount > MAX_MONEY:  # first: quantizing a 30-digit amount overflows the decimal context
        raise field_error(field, _("The amount is too large."), Code.INVALID)
    if amount != amount.quantize(Decimal("0.01")):
        raise field_error(field, _("The amount has more than two decimal places (cents)."), Code.INVALID)
    return amount.quantize(Decimal("0.01"))


def normalize_license(expression: str) -> str:
    """The SPDX expression in its canonical spelling ("mit or eupl-1.2" → "MIT OR EUPL-1.2"; the
    store's normaliser), with licensing's error codes."""
    codes = {"required": Code.REQUIRED, "max_length": Code.INVALID}
    try:
        return normalize_spdx_expression(expression, max_length=ReuseTerms._meta.get_field("license").max_length)
    except ValidationError as error:
        raise field_error("license", error.messages[0], codes.get(error.code, Code.INVALID_LICENSE)) from None


def _choice(value, choices, field: str, errors: dict):
    value = getattr(value, "value", value)
    if value not in choices.values:
        errors[field] = ValidationError(
            _("Unknown value %(value)s; one of: %(values)s."), code=Code.INVALID.value,
            params={"value": value, "values": ", ".join(choices.values)},
        )
    return value


@transaction.atomic
def set_reuse_terms(
    online_service,
    *,
    annual_cost=None,
    one_time_cost=None,
    allocation_key=None,
    license=None,
    operating_model=None,
    legal_bases=None,
    actor,
) -> ReuseTerms:
    """Create or change the reuse terms of an online service (Nachnutzungsbedingungen).

    A value not given (None or an empty string) keeps the current one; all are needed the first
    time. Amounts are euros with two decimal places; `license` is an SPDX expression, stored
    normalised; `legal_bases` at least one LegalBasis. A change that changes nothing writes no
    audit row.
    """
    terms = ReuseTerms.objects.select_for_update().filter(online_service=online_service).first()
    given = {
        "annual_cost": annual_cost, "one_time_cost": one_time_cost, "allocation_key": allocation_key,
        "license": license, "operating_model": operating_model, "legal_bases": legal_bases,
    }
    errors: dict[str, ValidationError] = {}
    values = {}
    for field, value in given.items():
        if not_given(value):
            if terms is None:
                errors[field] = ValidationError(_("This field is required."), code=Code.REQUIRED.value)
            continue
        try:
            if field in ("annual_cost", "one_time_cost"):
                values[field] = parse_money(value, field)
            elif field == "license":
                values[field] = normalize_license(str(value))
            elif field == "allocation_key":
                values[field] = _choice(value, AllocationKey, field, errors)
            elif field == "operating_model":
                values[field] = _choice(value, OperatingModel, field, errors)
            elif field == "legal_bases":
                bases = [getattr(basis, "value", basis) for basis in value]
                unknown = [basis for basis in bases if basis not in LegalBasis.values]
                if unknown or not bases:
                    errors[field] = ValidationError(
                        _("Name at least one legal basis: %(values)s."), code=Code.INVALID.value,
                        params={"values": ", ".join(legal_basis_word(basis) for basis in LegalBasis.values)},
                    )
                values[field] = [basis for basis in LegalBasis.values if basis in bases]  # canonical order, no repeats
        except ValidationError as error:
            errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)

    if terms is None:
        terms = ReuseTerms.objects.create(online_service=online_service, **values)
        audit.record("set_reuse_terms", terms, actor=actor, action=AuditAction.CREATED)
        return terms
    changed = {field: value for field, value in values.items() if getattr(terms, field) != value}
    if not changed:
        return terms
    before = audit.snapshot(terms)
    for field, value in changed.items():
        setattr(terms, field, value)
    terms.updated_at = timezone.now()
    terms.save()
    audit.record("set_reuse_terms", terms, actor=actor, before=before)
    return terms


# --- Subscriptions -----------------------------------------------------------------------------


def _open_subscription_exists(state: State, online_service) -> bool:
    return Subscription.objects.open().filter(state=state, online_service=online_service).exists()


def _already_subscribed(state: State, online_service) -> ValidationError:
    return field_error(
        "online_service",
        _("%(state)s already has an open request or reuse of %(service)s.") % {"state": state.name,
                                                                               "service": online_service.name},
        Code.ALREADY_SUBSCRIBED,
    )


def _has_signed(state: State) -> bool:
    return Accession.objects.filter(state=state, status=AccessionStatus.SIGNED).exists()


@transaction.atomic
def subscribe(state: State, online_service, *, legal_basis: str, actor, note: str = "") -> Subscription:
    """The state expresses its interest in reusing the online service (REQUESTED).

    FIT_STORE needs the state to have joined; the provider state does not subscribe to its own
    service; the terms, where set, must allow the legal basis; at most one open subscription per
    state and service (also under concurrency: the database's constraint decides). The
    service's maintainers get an e-mail once the request is committed.
    """
    legal_basis = getattr(legal_basis, "value", legal_basis)
    errors: dict[str, ValidationError] = {}
    if legal_basis not in LegalBasis.values:
        errors["legal_basis"] = ValidationError(
            _("Unknown legal basis %(value)s; one of: %(values)s."), code=Code.INVALID.value,
            params={"value": legal_basis, "values": ", ".join(LegalBasis.values)},
        )
    else:
        terms = ReuseTerms.objects.filter(online_service=online_service).first()
        if legal_basis == LegalBasis.FIT_STORE and not _has_signed(state):
            errors["legal_basis"] = ValidationError(
                _("%(state)s must join the FIT-Store before it can request reuse under the FIT-Store's framework "
                  "agreement. Join in the state's workspace first, or choose the administrative agreement."),
                code=Code.ACCESSION_REQUIRED.value, params={"state": state.name},
            )
        elif terms is not None and not terms.allows(legal_basis):
            errors["legal_basis"] = ValidationError(
                _("The reuse terms of this online service allow only: %(values)s."),
                code=Code.LEGAL_BASIS_NOT_ALLOWED.value,
                params={"values": ", ".join(legal_basis_word(basis) for basis in terms.legal_bases)},
            )
    if state.pk == online_service.provider_state_id:
        errors["state_code"] = ValidationError(
            _("%(state)s provides this online service itself."), code=Code.OWN_SERVICE.value, params={"state": state.name}
        )
    elif _open_subscription_exists(state, online_service):
        errors["online_service"] = _already_subscribed(state, online_service).error_dict["online_service"][0]
    if errors:
        raise ValidationError(errors)

    subscription = Subscription(state=state, online_service=online_service, legal_basis=legal_basis,
                                status=SubscriptionStatus.REQUESTED, requested_at=timezone.now())
    try:
        with transaction.atomic():  # a savepoint: the outer transaction survives the refusal
            subscription.save()
    except IntegrityError:
        # A concurrent request of the same state committed first (PostgreSQL waits for it on the
        # partial unique index, then refuses ours): the same answer as the check above.
        raise _already_subscribed(state, online_service) from None
    _record_event(subscription, "", SubscriptionStatus.REQUESTED, actor=actor, note=note)
    audit.record("subscribe", subscription, actor=actor, action=AuditAction.CREATED, note=note)
    subscription_id = subscription.pk
    transaction.on_commit(lambda: notify_maintainers_of_request(subscription_id), robust=True)
    return subscription


def _record_event(subscription, from_status: str, to_status: str, *, actor, note: str) -> SubscriptionEvent:
    user, label = audit.actor_of(actor)
    return SubscriptionEvent.objects.create(
        subscription=subscription, from_status=from_status, to_status=to_status, actor=user, actor_label=label,
        note=note or "",
    )


def _transition(subscription: Subscription, *, allowed_from, to_status, verb: str, actor, note: str = "",
                **timestamps) -> Subscription:
    """Move the subscription (locked) from one of `allowed_from` to `to_status`; one event, one audit row."""
    current = Subscription.objects.select_for_update().select_related("state", "online_service").get(pk=subscription.pk)
    if current.status not in allowed_from:
        raise field_error(
            "status",
            _("This step is possible only while the reuse is %(allowed)s; it is %(status)s now.") % {
                "allowed": _(" or ").join(status_word(status) for status in allowed_from),
                "status": status_word(current.status),
            },
            Code.INVALID_TRANSITION,
        )
    before = audit.snapshot(current)
    from_status = current.status
    current.status = to_status
    for field, value in timestamps.items():
        setattr(current, field, value)
    current.save(update_fields=["status", *timestamps])
    _record_event(current, from_status, to_status, actor=actor, note=note)
    audit.record(verb, current, actor=actor, before=before, note=note or "")
    return current


@transaction.atomic
def confirm_subscription(subscription: Subscription, *, accept: bool, note: str = "", actor) -> Subscription:
    """The providing side confirms the terms (ACTIVE: the reuse contract is concluded, cost
    sharing starts) or declines (DECLINED). Only from REQUESTED."""
    now = timezone.now()
    if accept:
        if subscription.legal_basis == LegalBasis.FIT_STORE and subscription.status == SubscriptionStatus.REQUESTED \
                and not _has_signed(subscription.state):
            raise field_error(
                "accept", _("%(state)s has withdrawn from the FIT-Store; it must join again first.")
                % {"state": subscription.state.name}, Code.ACCESSION_REQUIRED,
            )
        return _transition(subscription, allowed_from=[SubscriptionStatus.REQUESTED], to_status=SubscriptionStatus.ACTIVE,
                           verb="confirm_subscription", actor=actor, note=note, confirmed_at=now)
    return _transition(subscription, allowed_from=[SubscriptionStatus.REQUESTED], to_status=SubscriptionStatus.DECLINED,
                       verb="decline_subscription", actor=actor, note=note, confirmed_at=now, ended_at=now)


@transaction.atomic
def connect_subscription(subscription: Subscription, *, actor, note: str = "") -> Subscription:
    """The subscribing state's authorities are live (CONNECTED). Only from ACTIVE."""
    return _transition(subscription, allowed_from=[SubscriptionStatus.ACTIVE], to_status=SubscriptionStatus.CONNECTED,
                       verb="connect_subscription", actor=actor, note=note, connected_at=timezone.now())


@transaction.atomic
def terminate_subscription(subscription: Subscription, *, reason: str = "", actor) -> Subscription:
    """End the reuse (TERMINATED), from any open status; the state may subscribe again later."""
    return _transition(subscription, allowed_from=list(OPEN_STATUSES), to_status=SubscriptionStatus.TERMINATED,
                       verb="terminate_subscription", actor=actor, note=reason, ended_at=timezone.now())


# --- Notifications -----------------------------------------------------------------------------


def maintainer_addresses(online_service) -> list[str]:
    """E-mail addresses of the active users who maintain the online service."""
    User = get_user_model()
    return sorted(set(
        User.objects.filter(
            is_active=True, role_assignments__role=Role.MAINTAINER, role_assignments__online_service=online_service
        ).exclude(email="").values_list("email", flat=True)
    ))


def notify_maintainers_of_request(subscription_id: int) -> int:
    """Tell the service's maintainers of a new request (runs after commit). Returns mails sent."""
    subscription = Subscription.objects.select_related("state", "online_service").filter(pk=subscription_id).first()
    if subscription is None:
        return 0
    recipients = maintainer_addresses(subscription.online_service)
    if not recipients:
        logger.info("subscription %s: the online service has no maintainer with an e-mail address", subscription_id)
        return 0
    params = {
        "state": subscription.state.name, "code": subscription.state.code, "service": subscription.online_service.name,
        "slug": subscription.online_service.slug, "basis": subscription.get_legal_basis_display(),
    }
    subject = _("FIT-Store: %(state)s requests to reuse %(service)s") % params
    body = _(
        "%(state)s (%(code)s) has expressed its interest in reusing the online service %(service)s (%(slug)s) "
        "on the legal basis %(basis)s.\n\nPlease confirm the reuse terms or decline the request in the FIT-Store."
    ) % params
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
