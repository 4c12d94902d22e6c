"""The administrative agreement (Verwaltungsvereinbarung) for a subscription whose legal basis is
ADMINISTRATIVE_AGREEMENT: one function assembles its content, two render it.

`agreement_content(subscription)` gathers the parties (the providing and the reusing state), the
online service, its reuse terms, the cost shares (`licensing.costs`), an accession clause for
states that join later and a signature block, with every text translated and every number
formatted once. `render_pdf(content)` lays the same content out with ReportLab's platypus; the
HTML page (`licensing/agreement.html`) shows it for the screen and the printer. The document is
a draft for the parties' lawyers, not a signed contract, and says so.
"""
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from directory.models import State

from . import costs
from .choices import AllocationKey, LegalBasis
from .models import OPEN_STATUSES, ReuseTerms, Subscription


class NotAnAdministrativeAgreement(ValueError):
    """The subscription runs under another legal basis (the FIT-Store's framework agreement)."""


@dataclass(frozen=True)
class Party:
    role: str  # "provider" or "reusing"
    role_label: str
    state: State


@dataclass(frozen=True)
class Section:
    number: int
    heading: str
    paragraphs: list[str]


@dataclass(frozen=True)
class CostRow:
    party: str  # the state's (or the federation's) name
    code: str  # the state code or "BUND"
    share: str  # formatted percentage
    amount: str  # formatted euros
    is_party: bool  # one of the two parties of this agreement


@dataclass(frozen=True)
class Signature:
    party: Party
    caption: str  # "For the state of …"


@dataclass(frozen=True)
class AgreementContent:
    subscription: Subscription
    title: str
    subtitle: str
    reference: str
    draft_notice: str
    generated_on: str
    parties: list[Party]
    sections: list[Section]
    cost_caption: str
    cost_headers: tuple[str, str, str]
    cost_rows: list[CostRow]
    cost_total: str
    signature_heading: str
    signature_place_date: str
    signature_name: str
    signatures: list[Signature] = field(default_factory=list)

    @property
    def filename(self) -> str:
        return f"verwaltungsvereinbarung-{self.subscription.online_service.slug}-{self.subscription.state.code.lower()}.pdf"


def euros(amount: Decimal) -> str:
    return f"{number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)} €"


def percent(share: Decimal) -> str:
    return f"{number_format(share * 100, decimal_pos=4, use_l10n=True, force_grouping=True)} %"


def _prospective_shares(subscription: Subscription, terms: ReuseTerms, year: int | None) -> list[costs.CostShare]:
    """The shares once this agreement is concluded: among the states already paying plus the
    subscribing state while its subscription is open (a request shares no costs yet)."""
    online_service = subscription.online_service
    states = {state.pk: state for state in State.objects.prefetch_related("koenigstein_shares").order_by("ars")}
    paying = set(
        Subscription.objects.paying().filter(online_service=online_service).values_list("state_id", flat=True)
    )
    if subscription.status in OPEN_STATUSES:
        paying.add(subscription.state_id)
    reusing = sorted((states[pk] for pk in paying), key=lambda s: s.ars)
    provider = states[online_service.provider_state_id]
    return costs.split(terms.annual_cost, costs.exact_shares(terms, provider, reusing, list(states.values()), year))


def agreement_content(subscription: Subscription, *, year: int | None = None) -> AgreementContent:
    """Everything the agreement says, translated and formatted, for both renderers."""
    if subscription.legal_basis != LegalBasis.ADMINISTRATIVE_AGREEMENT:
        raise NotAnAdministrativeAgreement(subscription.pk)
    online_service = subscription.online_service
    provider_state = online_service.provider_state
    reusing_state = subscription.state
    terms = ReuseTerms.objects.filter(online_service=online_service).first()
    year = costs.koenigstein_year(year)
    names = {"service": online_service.name, "provider": provider_state.name, "reusing": reusing_state.name}

    provider = Party("provider", _("Providing state"), provider_state)
    reusing = Party("reusing", _("Reusing state"), reusing_state)

    sections = [
        Section(1, _("Subject of the agreement"), [
            _("The state of %(provider)s (providing state) has developed the online service “%(service)s” "
              "according to the principle “Einer für Alle” (one for all) and offers it for reuse.") % names,
            _("By this agreement the state of %(reusing)s (reusing state) reuses the online service for the "
              "authorities responsible in its territory.") % names,
            *([online_service.summary] if online_service.summary else []),
        ]),
    ]
    if terms is None:
        sections.append(Section(2, _("Reuse terms"), [
            _("The providing state has not set the reuse terms yet. They must be agreed before signature."),
        ]))
    else:
        sections.append(Section(2, _("Reuse terms"), [
            _("Operating model: %(model)s.") % {"model": terms.get_operating_model_display()},
            _("Licence of the software (SPDX): %(license)s.") % {"license": terms.license},
            _("One-time cost: %(amount)s.") % {"amount": euros(terms.one_time_cost)},
            _("Annual cost of operation and maintenance: %(amount)s.") % {"amount": euros(terms.annual_cost)},
        ]))

    cost_rows: list[CostRow] = []
    cost_total = euros(Decimal("0.00"))
    try:
        shares = _prospective_shares(subscription, terms, year) if terms is not None else None
    except costs.MissingKoenigsteinShare:
        shares = None
    if shares is not None:
        party_codes = {provider_state.code, reusing_state.code}
        cost_rows = [
            CostRow(
                party=row.state.name if row.state else _("Federation"), code=row.party, share=percent(row.share),
                amount=euros(row.annual_amount), is_party=row.party in party_codes,
            )
            for row in shares
        ]
        cost_total = euros(sum((row.annual_amount for row in shares), Decimal("0.00")))
        if terms.allocation_key == AllocationKey.IT_PLR_2023_35:
            how = _("The annual cost is shared as the IT-Planungsrat decided for EfA reuse (decision 2023/35): half "
                    "among the reusing states by the Königsteiner Schlüssel, a quarter by the federation and a "
                    "quarter among all 16 states by the Königsteiner Schlüssel.")
        else:
            how = _("The annual cost is shared by the allocation key “%(key)s”, among the providing state and all "
                    "states that reuse the online service under a concluded agreement.") % {
                "key": terms.get_allocation_key_display()}
        cost_text = [
            how,
            _("The shares below count the reusing state as a party; they are computed with the Königsteiner "
              "Schlüssel of %(year)s and change when states join or leave.") % {"year": year or "–"},
        ]
    elif terms is not None:
        cost_text = [_("The Königsteiner Schlüssel needed for the cost shares is not loaded.")]
    else:
        cost_text = [_("The cost shares follow once the reuse terms are set.")]
    sections.append(Section(3, _("Cost sharing"), cost_text))

    sections += [
        Section(4, _("Duties of the parties"), [
            _("The providing state operates and maintains the online service, or provides it for operation by the "
              "reusing state, as the operating model says, and informs the reusing state of new releases."),
            _("The reusing state connects its responsible authorities and reports the connection in the FIT-Store; "
              "it pays its cost share each year."),
        ]),
        Section(5, _("Accession of further states"), [
            _("Further states may accede to this agreement by a written declaration to the providing state. The "
              "accession takes effect when the providing state confirms it in the FIT-Store."),
            _("From the accession on, the annual cost is shared anew by the allocation key among all parties; "
              "the shares of the parties already bound decrease accordingly."),
        ]),
        Section(6, _("Term and termination"), [
            _("The agreement takes effect on the day of the last signature and runs for an indefinite period."),
            _("Each party may terminate it in writing at the end of a calendar year; the termination is recorded "
              "in the FIT-Store."),
        ]),
    ]

    return AgreementContent(
        subscription=subscription,
        title=_("Administrative agreement on the reuse of the online service “%(service)s”") % names,
        subtitle=_("between the state of %(provider)s and the state of %(reusing)s") % names,
        reference=_("FIT-Store reuse no. %(id)s") % {"id": subscription.pk},
        draft_notice=_("Draft generated by the FIT-Store. It becomes binding only when signed by both parties."),
        generated_on=_("Generated on %(date)s") % {"date": date_format(timezone.localdate(), "DATE_FORMAT")},
        parties=[provider, reusing],
        sections=sections,
        cost_caption=_("Annual cost shares (allocation key: %(key)s)") % {
            "key": terms.get_allocation_key_display() if terms else "–"},
        cost_headers=(_("Party"), _("Share"), _("Annual amount")),
        cost_rows=cost_rows,
        cost_total=cost_total,
        signature_heading=_("Signatures"),
        signature_place_date=_("Place, date"),
        signature_name=_("Name, office"),
        signatures=[
            Signature(provider, _("For the state of %(state)s") % {"state": provider_state.name}),
            Signature(reusing, _("For the state of %(state)s") % {"state": reusing_state.name}),
        ],
    )


def render_pdf(content: AgreementContent) -> bytes:
    """The agreement as a PDF (A4). Written uncompressed and invariant (no timestamps or random
    ids): the same content gives the same bytes, and its text can be found in the file."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    from xml.sax.saxutils import escape

    sheet = getSampleStyleSheet()
    body = ParagraphStyle("Body", parent=sheet["BodyText"], fontName="Helvetica", fontSize=10.5, leading=14)
    small = ParagraphStyle("Small", parent=body, fontSize=9, leading=12, textColor=colors.HexColor("#4a5360"))
    title = ParagraphStyle("AgreementTitle", parent=sheet["Title"], fontName="Helvetica-Bold", fontSize=16, leading=20)
    subtitle = ParagraphStyle("Subtitle", parent=body, alignment=TA_CENTER, fontSize=12, leading=16)
    heading = ParagraphStyle("Heading", parent=sheet["Heading2"], fontName="Helvetica-Bold", fontSize=12, leading=15)
    cell = ParagraphStyle("Cell", parent=body, fontSize=9.5, leading=12)
    number = ParagraphStyle("Number", parent=cell, alignment=TA_RIGHT)

    def p(text, style=body):
        return Paragraph(escape(text), style)

    story = [
        p(content.draft_notice, small),
        Spacer(1, 4 * mm),
        p(content.title, title),
        p(content.subtitle, subtitle),
        Spacer(1, 3 * mm),
        p(f"{content.reference} · {content.generated_on}", small),
        Spacer(1, 4 * mm),
    ]
    party_rows = [[p(party.role_label, cell), p(party.state.name, cell)] for party in content.parties]
    parties = Table(party_rows, colWidths=[55 * mm, None])
    parties.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor("#c5cbd3")),
                                 ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(parties)

    for section in content.sections:
        story.append(p(f"§ {section.number} {section.heading}", heading))
        story.extend(p(text) for text in section.paragraphs)
        if section.number == 3 and content.cost_rows:
            party_header, share_header, amount_header = content.cost_headers
            rows = [[p(party_header, cell), p(share_header, number), p(amount_header, number)]]
            rows += [[p(row.party, cell), p(row.share, number), p(row.amount, number)] for row in content.cost_rows]
            rows.append([p(_("Total"), cell), p("", cell), p(content.cost_total, number)])
            table = Table(rows, colWidths=[80 * mm, 35 * mm, None], repeatRows=1)
            style = [
                ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
                ("LINEBELOW", (0, 1), (-1, -2), 0.5, colors.HexColor("#c5cbd3")),
                ("LINEABOVE", (0, -1), (-1, -1), 1, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
            for index, row in enumerate(content.cost_rows, start=1):
                if row.is_party:
                    style.append(("BACKGROUND", (0, index), (-1, index), colors.HexColor("#f3f5f8")))
            table.setStyle(TableStyle(style))
            story += [Spacer(1, 2 * mm), p(content.cost_caption, small), table]

    signature_cells = []
    for signature in content.signatures:
        signature_cells.append([
            p(signature.caption, cell), Spacer(1, 14 * mm),
            p("_" * 34, cell), p(content.signature_place_date, small), Spacer(1, 12 * mm),
            p("_" * 34, cell), p(content.signature_name, small),
        ])
    signatures = Table([signature_cells], colWidths=["50%", "50%"])
    signatures.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(KeepTogether([p(content.signature_heading, heading), signatures]))

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(colors.HexColor("#4a5360"))
        canvas.drawString(20 * mm, 12 * mm, content.reference)
        canvas.drawRightString(A4[0] - 20 * mm, 12 * mm, str(doc.page))
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm, bottomMargin=22 * mm,
        title=content.title, author="FIT-Store", subject=content.subtitle, invariant=1, pageCompression=0,
        lang="de",
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
