"""Numbers and symbols of issued documents (Decree 30/2020/NĐ-CP, Art. 15 and Appendix I).

"Số: 12/QĐ-SXD": the number runs from 01 each calendar year, one sequence per issuing body, and the symbol joins the
document type's abbreviation to the body's (`OrganisationUnit.document_abbreviation`). A number is taken inside the
transaction that issues the document, with one statement that increments the body's counter for the year and
holds its row until the commit: two documents issued at once get two numbers, and a document that is not issued
after all (its transaction rolls back) leaves no gap.
"""

from __future__ import annotations

import datetime

from django.db import connection

from accounts.models import OrganisationUnit
from proposals.models.numbering import DocumentCounter


class DocumentType:
    """Abbreviations of Decree 30/2020, Appendix III."""

    DECISION = "QĐ"
    CONCLUSION = "KL"
    REPORT = "BC"


def document_number_issue(*, issuer: OrganisationUnit, document_type: str, on: datetime.date) -> str:
    """The next number of `issuer` in `on`'s year, as printed: "12/QĐ-SXD"."""
    table = DocumentCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (issuer_id, year, last) VALUES (%s, %s, 1) "
            f"ON CONFLICT (issuer_id, year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [issuer.pk, on.year])
        number = cursor.fetchone()[0]
    return f"{number:02d}/{document_type}-{issuer.document_abbreviation}"
