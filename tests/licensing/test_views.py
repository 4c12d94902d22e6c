"""The licensing web UI through the test client: the coordinator's workspace, requesting reuse,
the provider's inbox, connecting and terminating — each role, the wrong state, errors that name
the field and write nothing, one audit row per action."""
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from fitstore.models import AuditEntry
from licensing.choices import AccessionStatus, AllocationKey, LegalBasis, SubscriptionStatus
from licensing.models import Accession, Subscription, SubscriptionEvent
from licensing.words import STATUS_WORDS

from .support import joined, online_service, subscription, terms

PASSWORD = "korrekt-Pferd-Batterie-42"


def counts():
    return Subscription.objects.count(), SubscriptionEvent.objects.count(), AuditEntry.objects.count(), \
        Accession.objects.count()


@pytest.fixture
def coordinator_by(make_user, client):
    user = make_user("koordination-by", role="coordinator", state="BY")
    user.email = "by@example.org"
    user.save()
    return user


@pytest.fixture
def maintainer_wohngeld(make_user):
    user = make_user("pflege-wohngeld", role="maintainer", online_service="wohngeld")
    user.email = "wohngeld@example.org"
    user.save()
    return user


def text_of(response) -> str:
    """The page's visible text, whitespace collapsed (good enough to find words)."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- The workspace -------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/land/BY/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/land/BY/")


@pytest.mark.parametrize("who", ["no role", "coordinator of HE", "maintainer", "directory maintainer of BY"])
def test_the_workspace_is_only_for_the_states_coordinators(client, make_user, who):
    user = {
        "no role": lambda: make_user("nobody"),
        "coordinator of HE": lambda: make_user("k-he", role="coordinator", state="HE"),
        "maintainer": lambda: make_user("m", role="maintainer", online_service="wohngeld"),
        "directory maintainer of BY": lambda: make_user("d-by", role="directory-maintainer", state="BY"),
    }[who]()
    client.force_login(user)
    assert client.get("/land/BY/").status_code == 403
    # An unknown state gets the same answer as a state one may not see.
    assert client.get("/land/XX/").status_code == 403


def test_the_workspace_shows_accession_subscriptions_with_history_and_the_bill(client, coordinator_by):
    terms("wohngeld", annual_cost="100000.00", allocation_key=AllocationKey.EQUAL)
    terms("elterngeld", annual_cost="50000.00", allocation_key=AllocationKey.KOENIGSTEIN)
    subscription("BY", "wohngeld", SubscriptionStatus.CONNECTED)
    subscription("BY", "elterngeld", SubscriptionStatus.REQUESTED)
    subscription("BY", "bafoeg", SubscriptionStatus.DECLINED)
    client.force_login(coordinator_by)

    response = client.get("/land/by/")

    assert response.status_code == 200
    text = text_of(response)
    assert "Bayern" in text
    assert 'status-badge--NONE' in response.content.decode()
    # Status badges in words (beantragt, angeschlossen, abgelehnt), one per subscription, with history.
    with translation.override("de"):
        for status in (SubscriptionStatus.CONNECTED, SubscriptionStatus.REQUESTED, SubscriptionStatus.DECLINED):
            assert re.search(rf'status-badge--{status}">{STATUS_WORDS[status]}<', response.content.decode())
    items = re.findall(r'data-subscription="(\d+)"', response.content.decode())
    assert len(items) == 3
    assert response.content.decode().count('class="history"') == 3
    # The bill: half of 100,000 € for Wohngeld (EQUAL between MV and BY); Elterngeld is only requested.
    assert "50.000,00 €" in text
    assert "Elterngeld" in text and "Wohngeld" in text


def test_the_workspace_says_what_to_do_when_empty(client, coordinator_by):
    client.force_login(coordinator_by)
    response = client.get("/land/BY/")
    assert response.status_code == 200
    assert reverse("store:online_service_list") in response.content.decode()


def test_the_workspace_runs_a_bounded_number_of_queries(client, coordinator_by, django_assert_max_num_queries):
    terms("wohngeld")
    terms("elterngeld")
    for slug in ("wohngeld", "elterngeld", "bafoeg", "baugenehmigung", "geburtsurkunde", "wohnsitzanmeldung"):
        subscription("BY", slug, SubscriptionStatus.ACTIVE)
    client.force_login(coordinator_by)
    with django_assert_max_num_queries(22):
        response = client.get("/land/BY/")
    assert response.status_code == 200


# --- Joining and withdrawing -----------------------------------------------------------------------


def test_a_coordinator_joins_the_store(client, coordinator_by):
    client.force_login(coordinator_by)
    before = AuditEntry.objects.count()

    response = client.post("/land/BY/beitritt/", {"signatory": "Dr. Anna Schmidt, Staatssekretärin"}, follow=True)

    assert response.status_code == 200
    accession = Accession.objects.get(state__code="BY")
    assert accession.status == AccessionStatus.SIGNED
    assert accession.signatory == "Dr. Anna Schmidt, Staatssekretärin"
    assert AuditEntry.objects.count() == before + 1
    assert AuditEntry.objects.latest("id").actor == coordinator_by
    assert [str(m) for m in response.context["messages"]]


def test_joining_without_a_signatory_names_the_field_and_writes_nothing(client, coordinator_by):
    client.force_login(coordinator_by)
    before = counts()

    response = client.post("/land/BY/beitritt/", {"signatory": "   "})

    assert response.status_code == 400
    assert counts() == before
    form = response.context["form"]
    assert "signatory" in form.errors
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_signatory_helptext id_signatory_error"' in html
    assert 'id="id_signatory_error"' in html


def test_joining_twice_is_refused_without_a_write(client, coordinator_by):
    joined("BY")
    client.force_login(coordinator_by)
    before = counts()
    response = client.post("/land/BY/beitritt/", {"signatory": "Someone"})
    assert response.status_code == 400
    assert counts() == before
    assert response.context["form"].non_field_errors()
    assert "Bayern" in response.context["form"].non_field_errors()[0] and "wohngeld" not in text_of(response).lower().split("katalog")[0]


def test_a_coordinator_of_another_state_cannot_join_for_bayern(client, make_user):
    client.force_login(make_user("k-he", role="coordinator", state="HE"))
    before = counts()
    assert client.post("/land/BY/beitritt/", {"signatory": "Mallory"}).status_code == 403
    assert counts() == before


def test_withdrawing_asks_for_confirmation_then_withdraws(client, coordinator_by):
    joined("BY")
    client.force_login(coordinator_by)

    page = client.get("/land/BY/austritt/")
    assert page.status_code == 200
    assert Accession.objects.get(state__code="BY").status == AccessionStatus.SIGNED  # a GET changes nothing

    before = AuditEntry.objects.count()
    response = client.post("/land/BY/austritt/", {"reason": "Haushalt"})
    assert response.status_code == 302
    assert Accession.objects.get(state__code="BY").status == AccessionStatus.WITHDRAWN
    assert AuditEntry.objects.count() == before + 1


def test_withdrawing_without_having_joined_writes_nothing(client, coordinator_by):
    client.force_login(coordinator_by)
    before = counts()
    response = client.post("/land/BY/austritt/", {"reason": ""})
    assert response.status_code == 400
    assert counts() == before


# --- Requesting reuse ------------------------------------------------------------------------------


def test_a_coordinator_requests_reuse_and_the_maintainers_are_told(client, coordinator_by, maintainer_wohngeld,
                                                                   django_capture_on_commit_callbacks):
    terms("wohngeld")
    client.force_login(coordinator_by)
    form_page = client.get("/katalog/wohngeld/nachnutzung/")
    assert form_page.status_code == 200
    before = AuditEntry.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/katalog/wohngeld/nachnutzung/", {
            "state": "BY", "legal_basis": LegalBasis.ADMINISTRATIVE_AGREEMENT, "note": "Start im Mai",
        })

    assert response.status_code == 302
    assert response["Location"] == "/land/BY/"
    created = Subscription.objects.get(state__code="BY", online_service__slug="wohngeld")
    assert created.status == SubscriptionStatus.REQUESTED
    assert created.legal_basis == LegalBasis.ADMINISTRATIVE_AGREEMENT
    assert created.events.get().note == "Start im Mai"
    assert AuditEntry.objects.count() == before + 1
    assert [message.to for message in mail.outbox] == [["wohngeld@example.org"]]


def test_the_form_offers_the_legal_bases_the_terms_allow_and_suggests_one(client, coordinator_by):
    terms("elterngeld", legal_bases=[LegalBasis.ADMINISTRATIVE_AGREEMENT])
    client.force_login(coordinator_by)
    form = client.get("/katalog/elterngeld/nachnutzung/").context["form"]
    assert [value for value, _label in form.fields["legal_basis"].choices] == [LegalBasis.ADMINISTRATIVE_AGREEMENT]
    assert form.initial["legal_basis"] == LegalBasis.ADMINISTRATIVE_AGREEMENT

    joined("BY")
    form = client.get("/katalog/wohngeld/nachnutzung/").context["form"]
    assert [value for value, _label in form.fields["legal_basis"].choices] == list(LegalBasis.values)
    assert form.initial == {"state": "BY", "legal_basis": LegalBasis.FIT_STORE}


def test_fit_store_without_accession_names_the_legal_basis_and_writes_nothing(client, coordinator_by):
    client.force_login(coordinator_by)
    before = counts()

    response = client.post("/katalog/wohngeld/nachnutzung/", {"state": "BY", "legal_basis": LegalBasis.FIT_STORE})

    assert response.status_code == 400
    assert counts() == before
    assert list(response.context["form"].errors) == ["legal_basis"]
    assert 'id="id_legal_basis_error"' in response.content.decode()
    # in plain German, with the state's name and the next step as a link; no codes
    message = response.context["form"].errors["legal_basis"][0]
    assert message.startswith("Bayern muss dem FIT-Store beitreten") and "Verwaltungsvereinbarung" in message
    assert "FIT_STORE" not in text_of(response) and " BY " not in text_of(response)
    assert 'href="/land/BY/#accession-heading"' in response.content.decode()
    assert "Dem FIT-Store für Bayern beitreten" in text_of(response)


def test_a_second_open_request_is_refused(client, coordinator_by):
    subscription("BY", "wohngeld")
    client.force_login(coordinator_by)
    before = counts()
    response = client.post("/katalog/wohngeld/nachnutzung/",
                           {"state": "BY", "legal_basis": LegalBasis.ADMINISTRATIVE_AGREEMENT})
    assert response.status_code == 400
    assert counts() == before
    assert response.context["form"].non_field_errors()


def test_a_missing_legal_basis_names_the_field(client, coordinator_by):
    client.force_login(coordinator_by)
    before = counts()
    response = client.post("/katalog/wohngeld/nachnutzung/", {"state": "BY"})
    assert response.status_code == 400
    assert "legal_basis" in response.context["form"].errors
    assert counts() == before


def test_a_coordinator_cannot_request_for_a_state_they_do_not_coordinate(client, coordinator_by):
    client.force_login(coordinator_by)
    before = counts()
    response = client.post("/katalog/wohngeld/nachnutzung/",
                           {"state": "HE", "legal_basis": LegalBasis.ADMINISTRATIVE_AGREEMENT})
    assert response.status_code == 400
    assert "state" in response.context["form"].errors
    assert counts() == before


@pytest.mark.parametrize("who", ["no role", "maintainer", "coordinator of the provider"])
def test_only_coordinators_of_other_states_may_request(client, make_user, who):
    user = {
        "no role": lambda: make_user("nobody"),
        "maintainer": lambda: make_user("m", role="maintainer", online_service="wohngeld"),
        "coordinator of the provider": lambda: make_user("k-mv", role="coordinator", state="MV"),
    }[who]()
    client.force_login(user)
    before = counts()
    assert client.get("/katalog/wohngeld/nachnutzung/").status_code == 403
    assert client.post("/katalog/wohngeld/nachnutzung/",
                       {"state": "MV", "legal_basis": LegalBasis.ADMINISTRATIVE_AGREEMENT}).status_code == 403
    assert counts() == before


# --- The inbox -------------------------------------------------------------------------------------


def test_the_inbox_lists_requests_to_the_maintainers_services_only(client, maintainer_wohngeld):
    subscription("BY", "wohngeld")
    subscription("HE", "wohngeld", SubscriptionStatus.ACTIVE)
    subscription("NW", "elterngeld")
    client.force_login(maintainer_wohngeld)

    response = client.get("/posteingang/")

    assert response.status_code == 200
    pending = re.findall(r'<li class="subscription" data-subscription="(\d+)"', response.content.decode())
    assert pending == [str(Subscription.objects.get(state__code="BY").pk)]
    assert "Nordrhein-Westfalen" not in text_of(response)


def test_the_inbox_is_for_maintainers(client, coordinator_by):
    client.force_login(coordinator_by)
    assert client.get("/posteingang/").status_code == 403


def test_the_inbox_says_what_happens_when_it_is_empty(client, maintainer_wohngeld):
    client.force_login(maintainer_wohngeld)
    response = client.get("/posteingang/")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0


def test_a_maintainer_confirms_after_a_confirmation_page(client, maintainer_wohngeld):
    requested = subscription("BY", "wohngeld")
    client.force_login(maintainer_wohngeld)

    page = client.get(f"/posteingang/{requested.pk}/?entscheidung=accept")
    assert page.status_code == 200
    assert Subscription.objects.get(pk=requested.pk).status == SubscriptionStatus.REQUESTED

    before = AuditEntry.objects.count()
    response = client.post(f"/posteingang/{requested.pk}/", {"decision": "accept", "note": "Willkommen"})

    assert response.status_code == 302
    assert response["Location"] == "/posteingang/"
    requested.refresh_from_db()
    assert requested.status == SubscriptionStatus.ACTIVE
    assert requested.events.last().note == "Willkommen"
    assert AuditEntry.objects.count() == before + 1


def test_declining_needs_a_reason(client, maintainer_wohngeld):
    requested = subscription("BY", "wohngeld")
    client.force_login(maintainer_wohngeld)
    before = counts()

    response = client.post(f"/posteingang/{requested.pk}/", {"decision": "decline", "note": ""})

    assert response.status_code == 400
    assert "note" in response.context["form"].errors
    assert counts() == before

    response = client.post(f"/posteingang/{requested.pk}/", {"decision": "decline", "note": "Kein Betrieb"})
    assert response.status_code == 302
    requested.refresh_from_db()
    assert requested.status == SubscriptionStatus.DECLINED


def test_deciding_twice_is_a_wrong_step_that_writes_nothing(client, maintainer_wohngeld):
    active = subscription("BY", "wohngeld", SubscriptionStatus.ACTIVE)
    client.force_login(maintainer_wohngeld)
    before = counts()
    response = client.post(f"/posteingang/{active.pk}/", {"decision": "accept"})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert counts() == before


def test_a_maintainer_of_another_service_cannot_decide(client, make_user):
    requested = subscription("BY", "wohngeld")
    client.force_login(make_user("m-eg", role="maintainer", online_service="elterngeld"))
    before = counts()
    assert client.post(f"/posteingang/{requested.pk}/", {"decision": "accept"}).status_code == 403
    assert client.get("/posteingang/999999/").status_code == 403
    assert counts() == before


def test_the_inbox_runs_a_bounded_number_of_queries(client, maintainer_wohngeld, django_assert_max_num_queries):
    for code in ("BY", "HE", "NW", "SN", "TH", "BE"):
        subscription(code, "wohngeld")
    client.force_login(maintainer_wohngeld)
    with django_assert_max_num_queries(14):
        assert client.get("/posteingang/").status_code == 200


# --- Connecting and terminating --------------------------------------------------------------------


def test_a_coordinator_reports_the_reuse_as_connected(client, coordinator_by):
    active = subscription("BY", "wohngeld", SubscriptionStatus.ACTIVE)
    client.force_login(coordinator_by)
    assert client.get(f"/nachnutzungen/{active.pk}/anschliessen/").status_code == 200
    before = AuditEntry.objects.count()

    response = client.post(f"/nachnutzungen/{active.pk}/anschliessen/", {"note": "Alle Wohngeldstellen"})

    assert response.status_code == 302
    active.refresh_from_db()
    assert active.status == SubscriptionStatus.CONNECTED
    assert AuditEntry.objects.count() == before + 1


def test_connecting_a_request_not_yet_confirmed_writes_nothing(client, coordinator_by):
    requested = subscription("BY", "wohngeld")
    client.force_login(coordinator_by)
    before = counts()
    response = client.post(f"/nachnutzungen/{requested.pk}/anschliessen/", {})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert counts() == before


def test_terminating_needs_a_reason_and_then_ends_the_reuse(client, coordinator_by):
    connected = subscription("BY", "wohngeld", SubscriptionStatus.CONNECTED)
    client.force_login(coordinator_by)
    before = counts()
    response = client.post(f"/nachnutzungen/{connected.pk}/beenden/", {"reason": " "})
    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    assert counts() == before

    response = client.post(f"/nachnutzungen/{connected.pk}/beenden/", {"reason": "Eigenentwicklung"})
    assert response.status_code == 302
    connected.refresh_from_db()
    assert connected.status == SubscriptionStatus.TERMINATED
    assert AuditEntry.objects.count() == before[2] + 1


def test_the_coordinator_of_another_state_cannot_connect_or_terminate(client, make_user):
    active = subscription("BY", "wohngeld", SubscriptionStatus.ACTIVE)
    client.force_login(make_user("k-he", role="coordinator", state="HE"))
    before = counts()
    assert client.post(f"/nachnutzungen/{active.pk}/anschliessen/", {}).status_code == 403
    assert client.post(f"/nachnutzungen/{active.pk}/beenden/", {"reason": "x"}).status_code == 403
    assert counts() == before


# --- The reuse panel on the service page -----------------------------------------------------------


def render_panel(user=None, slug="wohngeld"):
    from django.contrib.auth.models import AnonymousUser
    from django.template import Context, Template
    from django.test import RequestFactory

    from licensing import panels

    request = RequestFactory().get(f"/katalog/{slug}/")
    request.user = user or AnonymousUser()
    section = panels.reuse_panel(request, online_service(slug))
    template = Template("{% load sections %}{% render_section section %}")
    return template.render(Context({"section": section, "request": request, "user": request.user}))


def map_status(html, code):
    return re.search(rf'<path class="[^"]*" data-state="{code}" data-status="(\w+)"', html).group(1)


def test_the_panel_shows_terms_cost_shares_and_the_map(coordinator_by, make_user):
    terms("wohngeld", annual_cost="120000.00", one_time_cost="5000.00", allocation_key=AllocationKey.EQUAL,
          license="EUPL-1.2")
    subscription("HE", "wohngeld", SubscriptionStatus.CONNECTED)
    subscription("NW", "wohngeld", SubscriptionStatus.ACTIVE)
    subscription("SN", "wohngeld", SubscriptionStatus.REQUESTED)

    html = render_panel()

    assert "EUPL-1.2" in html
    assert "120.000,00 €" in html and "5.000,00 €" in html
    # EQUAL among MV (provider), HE and NW: 40,000 € each; SN's request shares no costs.
    assert html.count("40.000,00 €") >= 3
    assert map_status(html, "MV") == "provider"
    assert map_status(html, "HE") == "connected"
    assert map_status(html, "NW") == "active"
    # Anonymous visitors see no request that is not yet confirmed.
    assert map_status(html, "SN") == "none"
    assert html.count("<path class=\"map-state") == 16
    # The table beside the map says the same in words.
    with translation.override("de"):
        connected = str(STATUS_WORDS[SubscriptionStatus.CONNECTED])
    assert f'<tr data-state="HE"><th scope="row">Hessen</th><td><span class="status-badge status-badge--connected">{connected}<' in html
    # Every allocation key is compared.
    for key in ("Königsteiner Schlüssel", "IT-Planungsrat"):
        assert key in html

    # A request is the parties' matter: another state's coordinator does not see it on the map,
    # the requesting state's coordinators and the service's maintainers do.
    signed_in = render_panel(coordinator_by)
    assert map_status(signed_in, "SN") == "none"
    assert "/katalog/wohngeld/nachnutzung/?land=BY" in signed_in
    for party in (make_user("k-sn", role="coordinator", state="SN"),
                  make_user("pflege", role="maintainer", online_service="wohngeld")):
        assert map_status(render_panel(party), "SN") == "requested"


def test_the_panel_without_terms_says_what_follows():
    html = render_panel()
    assert map_status(html, "MV") == "provider"
    assert "/nachnutzung/" not in html  # nobody signed in: no request button, a sign-in hint instead
    assert "/accounts/login/?next=" in html


def test_the_panel_shows_the_coordinators_open_request_instead_of_the_button(coordinator_by):
    subscription("BY", "wohngeld")
    html = render_panel(coordinator_by)
    assert "/katalog/wohngeld/nachnutzung/" not in html
    assert "/land/BY/" in html


def test_the_panel_runs_a_fixed_number_of_queries(django_assert_max_num_queries, coordinator_by):
    terms("wohngeld", allocation_key=AllocationKey.IT_PLR_2023_35)
    for code in ("BY", "HE", "NW", "SN", "TH"):
        subscription(code, "wohngeld", SubscriptionStatus.CONNECTED)
    with django_assert_max_num_queries(7):
        render_panel(coordinator_by)


# --- Navigation ------------------------------------------------------------------------------------


def test_the_navigation_leads_coordinators_and_maintainers_to_their_pages(client, make_user):
    client.force_login(make_user("k-by", role="coordinator", state="BY"))
    html = client.get("/land/BY/").content.decode()
    assert '<a href="/land/BY/" aria-current="page">' in html
    assert 'href="/posteingang/"' not in html

    client.force_login(make_user("m", role="maintainer", online_service="wohngeld"))
    html = client.get("/posteingang/").content.decode()
    assert '<a href="/posteingang/" aria-current="page">' in html
    assert 'href="/land/' not in html

    client.force_login(make_user("nobody"))
    html = client.get("/katalog/").content.decode()
    assert 'href="/posteingang/"' not in html and 'href="/land/' not in html


def test_a_coordinator_of_two_states_sees_both_workspaces_by_name(client, make_user):
    user = make_user("k2", role="coordinator", state="BY")
    make_user("k2", role="coordinator", state="HE")
    client.force_login(user)
    html = client.get("/katalog/").content.decode()
    assert re.search(r'<a href="/land/BY/">[^<]*Bayern</a>', html)
    assert re.search(r'<a href="/land/HE/">[^<]*Hessen</a>', html)


# --- Reuse terms -----------------------------------------------------------------------------------

TERMS = {"annual_cost": "120.000,00 €", "one_time_cost": "0", "allocation_key": AllocationKey.IT_PLR_2023_35,
         "license": "eupl-1.2 or mit", "operating_model": "CENTRAL", "legal_bases": [LegalBasis.FIT_STORE]}


def test_a_maintainer_publishes_the_reuse_terms(client, maintainer_wohngeld):
    from licensing.models import ReuseTerms

    client.force_login(maintainer_wohngeld)
    assert client.get("/katalog/wohngeld/nachnutzungsbedingungen/").status_code == 200
    before = AuditEntry.objects.count()

    response = client.post("/katalog/wohngeld/nachnutzungsbedingungen/", TERMS)

    assert response.status_code == 302 and response["Location"] == "/katalog/wohngeld/"
    published = ReuseTerms.objects.get(online_service__slug="wohngeld")
    assert str(published.annual_cost) == "120000.00"
    assert published.license == "EUPL-1.2 OR MIT"  # normalised by the service
    assert published.legal_bases == [LegalBasis.FIT_STORE]
    assert AuditEntry.objects.count() == before + 1
    # The form shows them when opened again.
    form = client.get("/katalog/wohngeld/nachnutzungsbedingungen/").context["form"]
    assert form.initial["license"] == "EUPL-1.2 OR MIT"
    assert form.initial["annual_cost"] == "120.000,00"
    # … and saving them unchanged changes nothing.
    again = client.post("/katalog/wohngeld/nachnutzungsbedingungen/", {**TERMS, **{
        key: form.initial[key] for key in ("annual_cost", "one_time_cost", "license")}})
    assert again.status_code == 302
    assert AuditEntry.objects.count() == before + 1


@pytest.mark.parametrize("field, value", [
    ("annual_cost", "-5"), ("annual_cost", "12 Euro"), ("one_time_cost", "1,234"), ("license", "not-a-licence (x"),
    ("allocation_key", "BY_MOOD"), ("legal_bases", ["NONE"]),
])
def test_bad_terms_name_the_field_and_write_nothing(client, maintainer_wohngeld, field, value):
    client.force_login(maintainer_wohngeld)
    before = counts()
    audit = AuditEntry.objects.count()

    response = client.post("/katalog/wohngeld/nachnutzungsbedingungen/", {**TERMS, field: value})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert counts() == before and AuditEntry.objects.count() == audit
    assert f'id="id_{field}_error"' in response.content.decode()


def test_only_the_services_maintainers_set_its_terms(client, make_user, coordinator_by):
    for user in (coordinator_by, make_user("m-eg", role="maintainer", online_service="elterngeld")):
        client.force_login(user)
        assert client.get("/katalog/wohngeld/nachnutzungsbedingungen/").status_code == 403
        assert client.post("/katalog/wohngeld/nachnutzungsbedingungen/", TERMS).status_code == 403
    from licensing.models import ReuseTerms

    assert not ReuseTerms.objects.filter(online_service__slug="wohngeld").exists()


@pytest.mark.parametrize("language, typed, stored", [
    ("de", "1.234,50 €", "1234.50"), ("de", "1234.5", "1234.50"), ("en", "1,234.50", "1234.50"), ("en", "99", "99.00"),
])
def test_amounts_are_read_in_the_users_language(client, maintainer_wohngeld, language, typed, stored):
    from licensing.models import ReuseTerms

    client.force_login(maintainer_wohngeld)
    response = client.post("/katalog/wohngeld/nachnutzungsbedingungen/", {**TERMS, "annual_cost": typed},
                           HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 302
    assert str(ReuseTerms.objects.get(online_service__slug="wohngeld").annual_cost) == stored
