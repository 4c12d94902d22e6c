"""Web UI views of licensing: the coordinator's workspace, the provider's inbox, agreements.

- `/land/<code>/`: the state's workspace for its coordinators: accession (join, withdraw), the
  state's subscriptions with their history (connect, terminate) and its yearly bill;
- `/katalog/<slug>/nachnutzung/`: "Nachnutzung beantragen" for a coordinator of another state;
- `/posteingang/`: the requests that the maintainers of the providing side confirm or decline;
- `/nachnutzungen/<id>/vereinbarung/` (and `.pdf`): the administrative agreement's draft.

Every write goes through a form that calls one service; permissions come from
`licensing.access` and `fitstore.access`. Refusals are one answer (403) for "not there" and
"not allowed"; irreversible steps (withdraw, terminate, decide) ask for confirmation first.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from directory.models import State
from fitstore.access import has_role, online_services_with_role, states_with_role
from fitstore.choices import Role
from store.models import OnlineService

from . import access, costs
from .agreement import NotAnAdministrativeAgreement, agreement_content, render_pdf
from .choices import AccessionStatus, LegalBasis, SubscriptionStatus
from .error_codes import LicensingErrorCode
from .forms import ConnectForm, DecisionForm, JoinStoreForm, ReuseTermsForm, SubscribeForm, TerminateForm, WithdrawForm
from .models import Accession, FrameworkAgreement, ReuseTerms, Subscription, SubscriptionEvent
from .words import STATUS_WORDS

PAGE_SIZE = 20


def _posted(request):
    """The submitted data, or None for a GET (an empty POST is still a submission)."""
    return request.POST if request.method == "POST" else None


def _subscriptions_with_history(user):
    """The subscriptions whose history `user` may read (their parties'), with it."""
    return access.restrict_subscription_details(Subscription.objects, user).select_related(
        "state", "online_service__provider_state"
    ).prefetch_related(Prefetch("events", queryset=SubscriptionEvent.objects.order_by("at", "id")))


# --- The state's workspace -----------------------------------------------------------------


@login_required
def state_workspace(request, code):
    """The coordinator's workspace: accession, the state's subscriptions, its yearly bill."""
    state = access.state_for_coordinator(request.user, code)
    accession = Accession.objects.select_related("agreement").filter(state=state).first()
    subscriptions = _subscriptions_with_history(request.user).filter(state=state).order_by("-requested_at", "-id")
    page = Paginator(subscriptions, PAGE_SIZE).get_page(request.GET.get("seite"))
    try:
        bill = costs.state_bill(state)
    except costs.MissingKoenigsteinShare:
        bill = None
    return render(request, "licensing/state_workspace.html", {
        "state": state,
        "accession": accession,
        "accession_status": accession.status if accession else AccessionStatus.NONE,
        "agreement": FrameworkAgreement.current(),
        "join_form": JoinStoreForm(),
        "page": page,
        "bill": bill,
        "ADMINISTRATIVE_AGREEMENT": LegalBasis.ADMINISTRATIVE_AGREEMENT,
    })


@login_required
@require_POST
def join_store(request, code):
    state = access.state_for_coordinator(request.user, code)
    form = JoinStoreForm(request.POST)
    if form.is_valid() and form.save(state=state, actor=request.user):
        messages.success(request, _("%(state)s has joined the FIT-Store.") % {"state": state.name})
        return redirect("licensing:state_workspace", state.code)
    accession = Accession.objects.select_related("agreement").filter(state=state).first()
    return render(request, "licensing/join_store.html", {
        "state": state, "form": form, "agreement": FrameworkAgreement.current(), "accession": accession,
    }, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def withdraw_from_store(request, code):
    """Confirm, then withdraw the state from the FIT-Store."""
    state = access.state_for_coordinator(request.user, code)
    accession = Accession.objects.filter(state=state, status=AccessionStatus.SIGNED).first()
    form = WithdrawForm(_posted(request))
    if request.method == "POST" and form.is_valid() and form.save(state=state, actor=request.user):
        messages.success(request, _("%(state)s has withdrawn from the FIT-Store.") % {"state": state.name})
        return redirect("licensing:state_workspace", state.code)
    open_fit_store = Subscription.objects.open().filter(state=state, legal_basis=LegalBasis.FIT_STORE).count()
    return render(request, "licensing/withdraw_confirm.html", {
        "state": state, "form": form, "accession": accession, "open_fit_store": open_fit_store,
    }, status=400 if request.method == "POST" else 200)


# --- Requesting reuse --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def subscribe(request, slug):
    """"Nachnutzung beantragen": a coordinator requests reuse for a state other than the provider."""
    online_service = get_object_or_404(OnlineService.objects.select_related("provider_state"), slug=slug)
    codes = states_with_role(request.user, Role.COORDINATOR)
    states = list(State.objects.filter(code__in=codes).exclude(pk=online_service.provider_state_id).order_by("name"))
    if not states:
        raise PermissionDenied(_("Only coordinators of a state other than the providing state may request reuse."))
    terms = ReuseTerms.objects.filter(online_service=online_service).first()
    allowed = terms.legal_bases if terms else list(LegalBasis.values)
    signed = set(Accession.objects.filter(state__in=states, status=AccessionStatus.SIGNED)
                 .values_list("state__code", flat=True))
    initial = {}
    wanted = (request.GET.get("land") or "").upper()
    if wanted in {state.code for state in states}:
        initial["state"] = wanted
    if len(states) == 1:
        initial["state"] = states[0].code
    # Suggest the framework agreement where the state has joined and the terms allow it.
    if LegalBasis.FIT_STORE in allowed and initial.get("state") in signed:
        initial["legal_basis"] = LegalBasis.FIT_STORE
    elif LegalBasis.ADMINISTRATIVE_AGREEMENT in allowed:
        initial["legal_basis"] = LegalBasis.ADMINISTRATIVE_AGREEMENT
    form = SubscribeForm(_posted(request), states=states, online_service=online_service, legal_bases=allowed,
                         initial=initial)
    if request.method == "POST" and form.is_valid():
        subscription = form.save(actor=request.user)
        if subscription is not None:
            messages.success(request, _("The reuse of %(service)s by %(state)s is requested. The providing state's "
                                        "maintainers have been notified.") % {
                "service": online_service.name, "state": subscription.state.name})
            return redirect("licensing:state_workspace", subscription.state.code)
    join_state = None  # the next step where the state must join first: its workspace, where it joins
    if form.has_service_error("legal_basis", LicensingErrorCode.ACCESSION_REQUIRED):
        join_state = next((state for state in states if state.code == form.cleaned_data.get("state")), None)
    return render(request, "licensing/subscribe.html", {
        "online_service": online_service, "form": form, "states": states, "signed": signed, "terms": terms,
        "join_state": join_state,
    }, status=400 if request.method == "POST" else 200)


# --- Connect and terminate (the subscribing state's coordinator) ------------------------------


def _subscription_step(request, pk, form_class, action: str, done: str):
    """The subscribing state's coordinator confirms a step (connect, terminate) on the
    confirmation page; `done` is the message after it, with %(service)s and %(state)s."""
    subscription = access.subscription_for_coordinator(request.user, pk)
    form = form_class(_posted(request))
    if request.method == "POST" and form.is_valid() and form.save(subscription=subscription, actor=request.user):
        messages.success(request, done % {"service": subscription.online_service.name,
                                          "state": subscription.state.name})
        return redirect("licensing:state_workspace", subscription.state.code)
    return render(request, "licensing/subscription_confirm.html", {
        "subscription": subscription, "form": form, "action": action,
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def connect_subscription(request, pk):
    """"Angeschlossen melden": the state's authorities are live (from ACTIVE)."""
    return _subscription_step(request, pk, ConnectForm, "connect",
                              _("%(service)s is reported as connected in %(state)s."))


@login_required
@require_http_methods(["GET", "POST"])
def terminate_subscription(request, pk):
    """Confirm, then end the reuse (from any open status)."""
    return _subscription_step(request, pk, TerminateForm, "terminate",
                              _("The reuse of %(service)s by %(state)s has ended."))


# --- Reuse terms (the providing side's maintainers) --------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def set_reuse_terms(request, slug):
    """The maintainers publish or change the online service's reuse terms."""
    online_service = access.online_service_for_maintainer(request.user, slug)
    terms = ReuseTerms.objects.filter(online_service=online_service).first()
    initial = {}
    if terms is not None:
        initial = {
            # In the German spelling users type (the form reads both).
            "annual_cost": number_format(terms.annual_cost, 2, use_l10n=True, force_grouping=True),
            "one_time_cost": number_format(terms.one_time_cost, 2, use_l10n=True, force_grouping=True),
            "allocation_key": terms.allocation_key, "license": terms.license,
            "operating_model": terms.operating_model, "legal_bases": terms.legal_bases,
        }
    form = ReuseTermsForm(_posted(request), online_service=online_service, initial=initial)
    if request.method == "POST" and form.is_valid() and form.save(actor=request.user):
        messages.success(request, _("The reuse terms of %(service)s are published.") % {"service": online_service.name})
        return redirect("store:online_service_detail", online_service.slug)
    return render(request, "licensing/reuse_terms_form.html", {
        "online_service": online_service, "form": form, "terms": terms,
    }, status=400 if request.method == "POST" else 200)


# --- The providing side's inbox ----------------------------------------------------------


@login_required
def inbox(request):
    """Requests to the online services the user maintains, to confirm or decline."""
    slugs = online_services_with_role(request.user, Role.MAINTAINER)
    if not slugs:
        raise PermissionDenied(_("The inbox is for maintainers of online services."))
    mine = _subscriptions_with_history(request.user).filter(online_service__slug__in=slugs)
    pending = mine.filter(status=SubscriptionStatus.REQUESTED).order_by("requested_at", "id")
    page = Paginator(pending, PAGE_SIZE).get_page(request.GET.get("seite"))
    decided = (SubscriptionEvent.objects.select_related("subscription__state", "subscription__online_service")
               .filter(subscription__online_service__slug__in=slugs)
               .exclude(to_status=SubscriptionStatus.REQUESTED).order_by("-at", "-id")[:10])
    services = OnlineService.objects.filter(slug__in=slugs).order_by("name")
    return render(request, "licensing/inbox.html", {"page": page, "decided": decided, "services": services})


@login_required
@require_http_methods(["GET", "POST"])
def decide_subscription(request, pk):
    """Confirm the terms or decline one request, after a confirmation page."""
    subscription = access.subscription_for_maintainer(request.user, pk)
    initial = {"decision": request.GET.get("entscheidung")} if request.GET.get("entscheidung") in ("accept", "decline") else {}
    form = DecisionForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        result = form.save(subscription=subscription, actor=request.user)
        if result is not None:
            if result.status == SubscriptionStatus.ACTIVE:
                text = _("You confirmed the reuse of %(service)s by %(state)s: the reuse is agreed.")
            else:
                text = _("You declined the request of %(state)s to reuse %(service)s.")
            messages.success(request, text % {"service": result.online_service.name, "state": result.state.name})
            return redirect("licensing:inbox")
    subscription = _subscriptions_with_history(request.user).get(pk=subscription.pk)
    return render(request, "licensing/decide.html", {"subscription": subscription, "form": form},
                  status=400 if request.method == "POST" else 200)


# --- The administrative agreement ----------------------------------------------------------


def _agreement(request, pk):
    subscription = access.subscription_for_agreement(request.user, pk)
    try:
        return agreement_content(subscription)
    except NotAnAdministrativeAgreement:
        raise Http404(_("This reuse runs under the FIT-Store's framework agreement; it has no administrative agreement.")) from None


@login_required
def agreement(request, pk):
    """The agreement's draft as a page that prints well."""
    content = _agreement(request, pk)
    back = None
    if has_role(request.user, Role.COORDINATOR, state=content.subscription.state.code):
        back = reverse("licensing:state_workspace", args=[content.subscription.state.code])
    return render(request, "licensing/agreement.html", {"content": content, "back": back,
                                                        "status_word": STATUS_WORDS[content.subscription.status]})


@login_required
def agreement_pdf(request, pk):
    """The same draft as a PDF download, generated on the server."""
    content = _agreement(request, pk)
    response = HttpResponse(render_pdf(content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{content.filename}"'
    return response
