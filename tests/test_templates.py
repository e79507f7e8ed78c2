"""The templates themselves: a Django comment `{# … #}` ends on its own line, or its text is shown on the page (the
drill-down once showed a comment meant for developers above its filters)."""

from pathlib import Path

from django.conf import settings


def test_no_one_line_comment_runs_onto_the_next_line():
    broken = []
    for template in sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html")):
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), start=1):
            if line.count("{#") > line.count("#}"):
                broken.append(f"{template.relative_to(settings.BASE_DIR)}:{number}")
    assert broken == [], "use {% comment %} for a comment of several lines: " + ", ".join(broken)
