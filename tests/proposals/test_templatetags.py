"""The list cells drawn by tags: a status badge in the reader's language, the open deadline marked when past."""

import datetime

from django.utils import translation

from proposals.models import Proposal
from proposals.templatetags.proposal_tags import open_deadline, status_badge


def test_the_status_badge_speaks_the_readers_language_and_is_coloured_by_status():
    approved, odd = Proposal(status="approved"), Proposal(status="unknown")
    with translation.override("vi"):
        assert status_badge(approved) == '<span class="badge status-badge text-bg-success">Đã phê duyệt</span>'
    with translation.override("en"):
        assert ">Approved<" in status_badge(approved)
    assert status_badge(odd) == '<span class="badge status-badge text-bg-light border">unknown</span>'


def test_the_open_deadline_is_marked_once_past():
    proposal = Proposal(status="submitted", review_due_date=datetime.date(2026, 3, 2))
    with translation.override("vi"):
        due = open_deadline({"today": datetime.date(2026, 3, 2)}, proposal)
        late = open_deadline({"today": datetime.date(2026, 3, 3)}, proposal)
    assert "02/03/2026" in due and "quá hạn" not in due
    assert late.startswith('<span class="overdue">') and "quá hạn" in late
    assert "—" in open_deadline({}, Proposal(status="approved"))
