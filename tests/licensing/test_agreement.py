"""The administrative agreement's draft: its content, the printable page, the PDF, who may read it."""
import re
from decimal import Decimal

import pytest

from licensing import agreement
from licensing.choices import AllocationKey, LegalBasis, SubscriptionStatus

from .support import subscription, terms


@pytest.fixture
def reuse_by_bayern():
    """Bayern reuses Wohngeld (provided by Mecklenburg-Vorpommern) under an administrative agreement;
    Hessen already reuses it, so three parties share the cost."""
    terms("wohngeld", annual_cost="90000.00", one_time_cost="12000.00", allocation_key=AllocationKey.EQUAL,
          license="EUPL-1.2 OR MIT")
    subscription("HE", "wohngeld", SubscriptionStatus.ACTIVE)
    return subscription("BY", "wohngeld", SubscriptionStatus.REQUESTED, legal_basis=LegalBasis.ADMINISTRATIVE_AGREEMENT)


def test_the_content_names_parties_service_terms_and_prospective_shares(reuse_by_bayern):
    content = agreement.agreement_content(reuse_by_bayern)

    assert [(party.role, party.state.code) for party in content.parties] == [("provider", "MV"), ("reusing", "BY")]
    assert "Wohngeld" in content.title
    assert "Mecklenburg-Vorpommern" in content.subtitle and "Bayern" in content.subtitle
    assert [section.number for section in content.sections] == [1, 2, 3, 4, 5, 6]
    terms_text = " ".join(content.sections[1].paragraphs)
    assert "EUPL-1.2 OR MIT" in terms_text and "12.000,00 €" in terms_text and "90.000,00 €" in terms_text
    # Bayern's request shares no costs yet; the agreement shows the shares once it is concluded:
    # EQUAL among MV, HE and BY, 30,000 € each, in the order of the states' ARS.
    assert [(row.code, row.amount, row.is_party) for row in content.cost_rows] == [
        ("HE", "30.000,00 €", False), ("BY", "30.000,00 €", True), ("MV", "30.000,00 €", True),
    ]
    assert content.cost_total == "90.000,00 €"
    assert len(content.signatures) == 2


def test_the_accession_clause_is_there(reuse_by_bayern):
    content = agreement.agreement_content(reuse_by_bayern)
    accession = content.sections[4]
    assert accession.number == 5 and len(accession.paragraphs) == 2


def test_without_terms_the_draft_says_they_must_be_agreed():
    requested = subscription("BY", "elterngeld")
    content = agreement.agreement_content(requested)
    assert content.cost_rows == []
    assert len(content.sections[1].paragraphs) == 1


def test_a_fit_store_reuse_has_no_administrative_agreement():
    from .support import joined

    joined("BY")
    under_the_framework = subscription("BY", "wohngeld", legal_basis=LegalBasis.FIT_STORE)
    with pytest.raises(agreement.NotAnAdministrativeAgreement):
        agreement.agreement_content(under_the_framework)


def test_the_pdf_is_a_pdf_with_the_parties_and_the_same_text(reuse_by_bayern):
    content = agreement.agreement_content(reuse_by_bayern)
    pdf = agreement.render_pdf(content)

    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    # Uncompressed: the text stands in the content streams (Latin-1 in the standard fonts).
    assert b"Mecklenburg-Vorpommern" in pdf
    assert b"Bayern" in pdf
    assert b"Wohngeld" in pdf
    assert b"30.000,00" in pdf
    # Invariant: the same content gives the same bytes.
    assert agreement.render_pdf(content) == pdf


# --- The pages -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role, scope", [
    ("coordinator", {"state": "BY"}), ("coordinator", {"state": "MV"}),
    ("maintainer", {"online_service": "wohngeld"}), ("operator", {}),
])
def test_the_parties_the_maintainers_and_operators_may_read_it(client, make_user, reuse_by_bayern, role, scope):
    client.force_login(make_user("reader", role=role, **scope))

    page = client.get(f"/nachnutzungen/{reuse_by_bayern.pk}/vereinbarung/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Mecklenburg-Vorpommern" in html and "Bayern" in html
    assert html.count('class="signature"') == 2
    assert re.search(r"<h2 id=\"section-5\">", html)
    assert f"/nachnutzungen/{reuse_by_bayern.pk}/vereinbarung.pdf" in html

    pdf = client.get(f"/nachnutzungen/{reuse_by_bayern.pk}/vereinbarung.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'attachment; filename="verwaltungsvereinbarung-wohngeld-by.pdf"'
    assert pdf.content.startswith(b"%PDF-") and b"Bayern" in pdf.content


@pytest.mark.parametrize("role, scope", [
    ("coordinator", {"state": "HE"}), ("maintainer", {"online_service": "elterngeld"}),
    ("directory-maintainer", {"state": "BY"}), (None, {}),
])
def test_others_may_not(client, make_user, reuse_by_bayern, role, scope):
    client.force_login(make_user("other", role=role, **scope))
    assert client.get(f"/nachnutzungen/{reuse_by_bayern.pk}/vereinbarung/").status_code == 403
    assert client.get(f"/nachnutzungen/{reuse_by_bayern.pk}/vereinbarung.pdf").status_code == 403


def test_anonymous_visitors_sign_in_first(client, reuse_by_bayern):
    response = client.get(f"/nachnutzungen/{reuse_by_bayern.pk}/vereinbarung.pdf")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_fit_store_reuse_has_no_agreement_page(client, make_user):
    from .support import joined

    joined("BY")
    under_the_framework = subscription("BY", "wohngeld", legal_basis=LegalBasis.FIT_STORE)
    client.force_login(make_user("k", role="coordinator", state="BY"))
    assert client.get(f"/nachnutzungen/{under_the_framework.pk}/vereinbarung/").status_code == 404


def test_the_page_prints_without_navigation(client, make_user, reuse_by_bayern):
    client.force_login(make_user("k", role="coordinator", state="BY"))
    html = client.get(f"/nachnutzungen/{reuse_by_bayern.pk}/vereinbarung/").content.decode()
    assert "licensing/licensing.css" in html
    assert 'class="breadcrumbs no-print"' in html


def test_the_agreement_runs_a_bounded_number_of_queries(client, make_user, reuse_by_bayern,
                                                        django_assert_max_num_queries):
    client.force_login(make_user("k", role="coordinator", state="BY"))
    with django_assert_max_num_queries(14):
        assert client.get(f"/nachnutzungen/{reuse_by_bayern.pk}/vereinbarung.pdf").status_code == 200


def test_amounts_are_formatted_in_german():
    from django.utils import translation

    with translation.override("de"):
        assert agreement.euros(Decimal("1234567.5")) == "1.234.567,50 €"
        assert agreement.percent(Decimal("0.208900")) == "20,8900 %"


def test_under_the_it_planungsrat_key_the_federation_pays_a_quarter():
    terms("wohngeld", annual_cost="100000.00", allocation_key=AllocationKey.IT_PLR_2023_35)
    requested = subscription("BY", "wohngeld", legal_basis=LegalBasis.ADMINISTRATIVE_AGREEMENT)
    content = agreement.agreement_content(requested)
    assert content.cost_rows[0].code == "BUND"
    assert content.cost_rows[0].amount == "25.000,00 €"
    assert len(content.cost_rows) == 17  # the federation and all 16 states
    assert content.cost_total == "100.000,00 €"
    assert "2023/35" in content.sections[2].paragraphs[0]
