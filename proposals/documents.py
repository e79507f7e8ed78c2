"""Official documents as PDF, rendered in Vietnamese from templates with WeasyPrint.

Issued documents follow Decree 30/2020/NĐ-CP (công tác văn thư), Appendix I: the issuing body (with its superior
body above where there is one) on the left and the national name and motto on the right, each on one line; the
number and symbol ("Số: 12/QĐ-SXD", proposals.numbering); the place and date in italics; the title and summary; the
legal bases; the articles; the recipients ("Nơi nhận") beside the signing authority line, which follows who signs
("TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", "GIÁM ĐỐC", "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"), and the signer's
name. A4, the decree's margins, a Times-compatible serif (Liberation Serif); the signature block never leaves
the last article (templates/proposals/documents/base.html).
"""

from __future__ import annotations

import dataclasses
import datetime

from django.template.loader import render_to_string
from django.utils import translation

from accounts import selectors as org
from accounts.models import OrganisationUnit, User
from proposals import signing

#: The place in the date line of the City's bodies (Decree 30: where the issuing body sits).
CITY_PLACE = "Thành phố Hồ Chí Minh"
COMMITTEE_KINDS = (OrganisationUnit.Kind.CITY_COMMITTEE, OrganisationUnit.Kind.LOCAL_COMMITTEE)


PREVIEW_BASE = "proposals/documents/preview.html"


def _preview(template: str, context: dict) -> str:
    """The document as HTML inside a page, before it is issued: the number is left for the issue to give."""
    with translation.override("vi"):
        return render_to_string(template, {**context, "base": PREVIEW_BASE})


def unnumbered(issuer: OrganisationUnit, document_type: str) -> str:
    """The number line of a document not issued yet: "…/QĐ-SXD" (proposals.numbering gives the number)."""
    return f"…/{document_type}-{issuer.document_abbreviation}"


def _pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML  # imported lazily: loading Pango costs time at start-up

    with translation.override("vi"):
        html = render_to_string(template, context)
    return HTML(string=html).write_pdf()


def full_name(unit: OrganisationUnit) -> str:
    """A body's name as a heading writes it: in full ("UBND" spelled out)."""
    name = unit.name
    if name.startswith("UBND "):
        name = "Ủy ban nhân dân " + name.removeprefix("UBND ")
    return name


def date_line(day: datetime.date) -> str:
    """"ngày 05 tháng 3 năm 2026": a day below 10 and the months 1 and 2 take a leading zero (Decree 30)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


@dataclasses.dataclass(frozen=True)
class Letterhead:
    superior: str
    body: str
    number: str
    place: str
    date: str


def place_of(authority: OrganisationUnit) -> str:
    """Where the body sits, as its date line names it: the ward or commune for a local committee."""
    if authority.kind != OrganisationUnit.Kind.LOCAL_COMMITTEE:
        return CITY_PLACE
    place = (authority.short_name or authority.name.removeprefix("UBND ")).strip()
    return place[0].upper() + place[1:]


def letterhead(*, authority: OrganisationUnit, number: str, day: datetime.date) -> Letterhead:
    committee = authority.kind in COMMITTEE_KINDS
    superior = "" if committee or authority.parent is None else full_name(authority.parent)
    return Letterhead(superior=superior.upper(), body=full_name(authority).upper(), number=number,
                      place=place_of(authority), date=date_line(day))


@dataclasses.dataclass(frozen=True)
class Signature:
    #: Whose power the document is issued under, as the line below the title names it ("GIÁM ĐỐC").
    head_title: str
    lines: tuple[str, ...]
    name: str


def signature(*, authority: OrganisationUnit, signer: User, day: datetime.date) -> Signature:
    """The signing authority line: on behalf of the committee (TM.) for a people's committee, and signed for the head
    (KT.) when the signer is a deputy — read from the signer's post on the day of signing."""
    post = org.post_current_principal(user=signer, on=day)
    title = post.title if post else ""
    committee = authority.kind in COMMITTEE_KINDS
    head = "CHỦ TỊCH" if committee else "GIÁM ĐỐC"
    lines = ["TM. ỦY BAN NHÂN DÂN"] if committee else []
    if title.lower().startswith("phó"):
        lines += [f"KT. {head}", f"PHÓ {head}"]
    else:
        lines.append(head)
    return Signature(head_title=head, lines=tuple(lines), name=signer.get_full_name())


def recipients(*, proposal, authority: OrganisationUnit) -> list[str]:
    """"Nơi nhận": the proposer, the authority above (which follows the protection of officials it oversees) and
    the Department of Home Affairs, which monitors the whole city; the archive line is the template's."""
    names = [f"{proposal.author.get_full_name()} (người đề xuất)"]
    above = authority.authority_above()
    if above is not None:
        names.append(full_name(above))
    names.append("Sở Nội vụ (để theo dõi)")
    return names


def _issued(*, proposal, authority: OrganisationUnit, number: str, day: datetime.date, signer: User) -> dict:
    return {"letterhead": letterhead(authority=authority, number=number, day=day),
            "signature": signature(authority=authority, signer=signer, day=day),
            "recipients": recipients(proposal=proposal, authority=authority),
            "digitally_signed": signing.credentials(authority) is not None}


def _signed(pdf: bytes, *, authority: OrganisationUnit, number: str) -> bytes:
    """Signed with the issuing body's certificate (PAdES), when it has one (proposals.signing)."""
    return signing.document_sign(pdf, authority=authority, reason=f"Ban hành văn bản số {number}",
                                 location=place_of(authority))


def _decision(decision) -> tuple[str, dict]:
    proposal = decision.proposal
    return "proposals/documents/decision.html", {
        "decision": decision, "proposal": proposal, "authority": decision.authority, "meeting": decision.meeting,
        **_issued(proposal=proposal, authority=decision.authority, number=decision.number,
                  day=decision.decision_date, signer=decision.signed_by)}


def _conclusion(conclusion) -> tuple[str, dict]:
    return "proposals/documents/conclusion.html", {
        "conclusion": conclusion, "proposal": conclusion.proposal, "authority": conclusion.authority,
        "evaluation": conclusion.evaluation, "meeting": conclusion.evaluation.meeting,
        **_issued(proposal=conclusion.proposal, authority=conclusion.authority, number=conclusion.number,
                  day=conclusion.conclusion_date, signer=conclusion.signed_by)}


def _protection(protection) -> tuple[str, dict]:
    return "proposals/documents/protection.html", {
        "protection": protection, "proposal": protection.proposal, "authority": protection.authority,
        "evaluation": protection.evaluation,
        **_issued(proposal=protection.proposal, authority=protection.authority, number=protection.number,
                  day=protection.decision_date, signer=protection.signed_by)}


def decision_pdf(decision) -> bytes:
    return _signed(_pdf(*_decision(decision)), authority=decision.authority, number=decision.number)


def conclusion_pdf(conclusion) -> bytes:
    return _signed(_pdf(*_conclusion(conclusion)), authority=conclusion.authority, number=conclusion.number)


def protection_pdf(protection) -> bytes:
    return _signed(_pdf(*_protection(protection)), authority=protection.authority, number=protection.number)


# — the documents as the person about to sign them sees them (actions' confirmation step): the same templates and
# context as their PDFs, on an unsaved record whose number is `unnumbered`. ————————————————————————————————


def decision_preview(decision) -> str:
    return _preview(*_decision(decision))


def conclusion_preview(conclusion) -> str:
    return _preview(*_conclusion(conclusion))


def protection_preview(protection) -> str:
    return _preview(*_protection(protection))
