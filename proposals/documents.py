"""Official documents as PDF, rendered in Vietnamese from templates with WeasyPrint."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation


def _pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML  # imported lazily: loading Pango costs time at start-up

    with translation.override("vi"):
        html = render_to_string(template, context)
    return HTML(string=html).write_pdf()


def decision_pdf(decision) -> bytes:
    proposal = decision.proposal
    return _pdf("proposals/documents/decision.html", {
        "decision": decision, "proposal": proposal, "authority": decision.authority,
        "meeting": decision.meeting,
    })


def conclusion_pdf(conclusion) -> bytes:
    return _pdf("proposals/documents/conclusion.html", {
        "conclusion": conclusion, "proposal": conclusion.proposal, "authority": conclusion.authority,
        "evaluation": conclusion.evaluation, "meeting": conclusion.evaluation.meeting,
    })


def protection_pdf(protection) -> bytes:
    return _pdf("proposals/documents/protection.html", {
        "protection": protection, "proposal": protection.proposal, "authority": protection.authority,
        "evaluation": protection.evaluation,
    })
