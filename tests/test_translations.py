"""Translations: Vietnamese first, English second.

* the English catalogue (locale/en) translates every msgid, with no fuzzy entry and the same placeholders;
* the sign-in page, the proposal form and the review inbox render in English when the visitor chooses it,
  with no Vietnamese label of ours left;
* Django's own messages (form validation, password rules) read in proper Vietnamese: locale/vi overrides
  the ones Django leaves untranslated or translates badly.

The catalogues are compiled once per test session (`compilemessages` skips an up-to-date .mo), so a plain
`pytest` run works without `make messages` first. See docs/development.md, "Translations".
"""

import contextlib
import fcntl
import gettext as gettext_module
import html
import re
import tempfile
import unicodedata
from pathlib import Path

import pytest
from asgiref.local import Local
from django.conf import settings
from django.contrib.auth.password_validation import MinimumLengthValidator
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

from tests.helpers import client_for, deliver_all, draft, form_post, submitted

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
CATALOGUES = {code: LOCALE_DIR / code / "LC_MESSAGES" / "django.po" for code in ("en", "vi")}
FIX = "run `make messages` (it needs GNU gettext's msgfmt: apt-get install gettext)"

# Letters that only Vietnamese uses, and the combining accents of its tones once a text is decomposed (NFD).
VIETNAMESE = re.compile(r"[ăâđêôơư\u0300-\u036f]", re.IGNORECASE)
PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sdifr]|\{\w*\}")
# Texts in Vietnamese that an English page may show on purpose: the language's own name in the switcher.
ENDONYMS = ("Tiếng Việt",)


# --- a small reader of .po files (the standard library has none) --------------------------------------------

def _unquote(literal: str) -> str:
    body = literal.strip()[1:-1]
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), body)


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (a list: one per plural form), flags,
    obsolete. The header (empty msgid) is left out."""
    entries, entry, key = [], None, None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        starts_entry = line.startswith(("#", "msgctxt", "msgid ")) and entry is not None and entry["msgstr"]
        if not line or starts_entry:
            if entry is not None and entry["msgid"] is not None:
                entries.append(entry)
            entry, key = None, None
            if not line:
                continue
        if entry is None:
            entry = {"msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": [], "flags": set(),
                     "obsolete": False}
        entry["obsolete"] |= obsolete
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif match := re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$', line):
            key, value = match.group(1), _unquote(match.group(2))
            if key.startswith("msgstr"):
                entry["msgstr"].append(value)
            else:
                entry[key] = value
        elif line.startswith('"') and key:
            if key.startswith("msgstr"):
                entry["msgstr"][-1] += _unquote(line)
            else:
                entry[key] += _unquote(line)
    return [e for e in entries if e["msgid"] != ""]


def describe(entry: dict) -> str:
    return repr(entry["msgid"] if not entry["msgctxt"] else f"{entry['msgctxt']} | {entry['msgid']}")


# --- compiled catalogues ------------------------------------------------------------------------------------

def forget_loaded_translations():
    """Django loads the default language's catalogue while it starts (before this module's fixture), maybe
    from a .mo that another pytest-xdist worker has compiled since: drop what this process has read so far."""
    for key in [key for key in gettext_module._translations if str(key[1]).startswith(str(LOCALE_DIR))]:
        del gettext_module._translations[key]
    trans_real._translations = {}
    trans_real._default = None
    trans_real._active = Local()


def is_stale(po: Path) -> bool:
    mo = po.with_suffix(".mo")
    return not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues():
    """Compile the project's catalogues when a .mo is missing or older than its .po (make messages does the
    same before `make test`). A lock keeps pytest-xdist workers from writing the same .mo at once."""
    missing_po = [str(po) for po in CATALOGUES.values() if not po.exists()]
    if missing_po:
        pytest.fail(f"Translation catalogue missing: {', '.join(missing_po)}")
    with open(Path(tempfile.gettempdir()) / "portal-compilemessages.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if any(is_stale(po) for po in CATALOGUES.values()):
            try:
                with contextlib.chdir(settings.BASE_DIR):
                    call_command("compilemessages", locale=list(CATALOGUES), verbosity=0,
                                 ignore_patterns=[".venv", "node_modules", "staticfiles", "var"])
            except CommandError as exc:
                pytest.fail(f"Could not compile the translation catalogues ({exc}); {FIX}.")
    forget_loaded_translations()
    not_compiled = [str(po.with_suffix(".mo")) for po in CATALOGUES.values() if is_stale(po)]
    if not_compiled:
        pytest.fail(f"Compiled catalogue missing: {', '.join(not_compiled)}; {FIX}.")


# --- the English catalogue ----------------------------------------------------------------------------------

def test_every_msgid_has_an_english_translation_and_none_is_fuzzy():
    entries = [e for e in read_po(CATALOGUES["en"]) if not e["obsolete"]]

    assert len(entries) > 500, "the English catalogue looks truncated"
    untranslated = [describe(e) for e in entries if not e["msgstr"] or not all(e["msgstr"])]
    fuzzy = [describe(e) for e in entries if "fuzzy" in e["flags"]]
    assert not untranslated, (
        f"{len(untranslated)} msgid(s) of locale/en/LC_MESSAGES/django.po have no English translation "
        f"(translate them, then {FIX}): " + "; ".join(untranslated[:20]))
    assert not fuzzy, (
        f"{len(fuzzy)} fuzzy entr(y/ies) in locale/en/LC_MESSAGES/django.po: check each translation and "
        f"remove its '#, fuzzy' flag (a fuzzy entry is not used): " + "; ".join(fuzzy[:20]))


def test_english_translations_keep_every_placeholder():
    wrong = []
    for entry in read_po(CATALOGUES["en"]):
        expected = sorted(PLACEHOLDER.findall(entry["msgid"]))
        for msgstr in entry["msgstr"]:
            if msgstr and sorted(PLACEHOLDER.findall(msgstr)) != expected:
                wrong.append(f"{describe(entry)} -> {msgstr!r}")
    assert not wrong, "placeholders differ between msgid and msgstr: " + "; ".join(wrong)


# --- pages in English ---------------------------------------------------------------------------------------

def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def visible_texts(page: str) -> list[str]:
    """The texts a person reads or hears: text nodes and the attributes shown or read aloud."""
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    texts = [html.unescape(value) for value in
             re.findall(r'\b(?:placeholder|aria-label|title|alt|value|data-confirm)="([^"]*)"', page)]
    texts += [html.unescape(text) for text in re.split(r"<[^>]*>", page)]
    return [" ".join(text.split()) for text in texts if text.strip()]


def untranslated_vietnamese(page: str, data: set[str]) -> list[str]:
    """Texts still in Vietnamese once the records' own data (names of units and people, what proposers wrote)
    are taken out."""
    left = []
    for text in visible_texts(page):
        rest = text
        for value in sorted(data, key=len, reverse=True):
            rest = rest.replace(value, " ")
        for name in ENDONYMS:
            rest = rest.replace(name, " ")
        if VIETNAMESE.search(unicodedata.normalize("NFD", rest)):
            left.append(text)
    return list(dict.fromkeys(left))


def records_data() -> set[str]:
    from accounts.models import OrganisationUnit, Post, User
    from proposals.models import Proposal, Topic

    data = set(OrganisationUnit.objects.values_list("name", flat=True))
    data |= set(Post.objects.values_list("title", flat=True))
    # Topics without an English name (the default ones have one: proposals.defaults).
    data |= set(Topic.objects.filter(name_en="").values_list("name", flat=True))
    # What proposers wrote. Not why the authority was chosen: that is worded in the reader's language
    # (routing.policy.explain); the Vietnamese sentence kept with the proposal is the record, never shown in English.
    texts = [field.name for field in Proposal._meta.concrete_fields
             if isinstance(field, (models.CharField, models.TextField)) and field.name != "routing_reason"]
    for row in Proposal.objects.values_list(*texts):
        data |= {line.strip() for value in row if value for line in value.splitlines()}
    data |= {user.get_full_name() for user in User.objects.all()}
    return {value for value in data if value}


def test_the_sign_in_page_in_english(db):
    response = english(Client()).get(reverse("login"))

    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in page
    for text in ("Sign in", "For cadres, civil servants, public employees and workers of Ho Chi Minh City.",
                 "Forgotten your password?", "Username", "Password", "Innovation Proposals Portal"):
        assert text in page
    for text in ("Đăng nhập", "Quên mật khẩu?", "Cổng đề xuất đổi mới, sáng tạo", "Tên đăng nhập"):
        assert text not in page
    assert untranslated_vietnamese(page, set()) == []


def test_the_proposal_form_in_english(org):
    response = english(client_for(org.proposer_dept)).get(reverse("proposals:create_all"))

    page = response.content.decode()
    assert response.status_code == 200
    for text in ("New innovation proposal", "1. General information", "8. Self-assessment of the conditions",
                 "10. Commitment", "Save draft", "Submit proposal", "My proposals",
                 "Attachments", "Related agencies and units"):
        assert text in page
    for text in ("Gửi đề xuất", "Lưu nháp", "Thông tin chung", "Cam kết", "Đề xuất của tôi", "Tệp đính kèm"):
        assert text not in page
    assert untranslated_vietnamese(page, records_data()) == []


def test_the_guided_proposal_form_in_english(org):
    proposal = draft(org.proposer_dept)
    client = english(client_for(org.proposer_dept))

    for url in (reverse("proposals:create"), reverse("proposals:section", args=[proposal.pk, 4])):
        page = client.get(url).content.decode()
        for text in ("Save and continue", "Save draft and leave", "Sections of the proposal", "complete)",
                     "1. General information"):
            assert text in page, (url, text)
        assert "Step 1 of 10" in page or "Step 4 of 10" in page
        assert untranslated_vietnamese(page, records_data()) == []


def test_stored_texts_are_shown_in_the_readers_language(org):
    """Topic names, why the authority was chosen and the notifications are stored as what is needed to word them,
    and worded for each reader (issue 14)."""
    proposal = submitted(org.proposer_dept)
    deliver_all()
    client = english(client_for(org.proposer_dept))

    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Sent to the Director of Sở Xây dựng because Sở Xây dựng manages the proposer" in page
    assert "Administrative reform" in page and "Cải cách hành chính" not in page
    assert "Gửi Giám đốc Sở Xây dựng" not in page
    sent = client.get(reverse("proposals:sent", args=[proposal.pk])).content.decode()
    assert "Sent to the Director of Sở Xây dựng because Sở Xây dựng manages the proposer" in sent
    notifications = client.get(reverse("notifications:list")).content.decode()
    assert f"Proposal {proposal.reference} sent" in notifications
    assert untranslated_vietnamese(notifications, records_data()) == []
    # the same pages in Vietnamese, and the stored record unchanged
    vietnamese = client_for(org.proposer_dept).get(proposal.get_absolute_url()).content.decode()
    assert "Gửi Giám đốc Sở Xây dựng vì người đề xuất thuộc diện Sở Xây dựng quản lý" in vietnamese
    assert "Cải cách hành chính" in vietnamese
    proposal.refresh_from_db()
    assert proposal.routing_reason == "Gửi Giám đốc Sở Xây dựng vì người đề xuất thuộc diện Sở Xây dựng quản lý"


def test_the_review_inbox_in_english(org):
    proposal = submitted(org.proposer_dept)

    response = english(client_for(org.head_dept)).get("/review/")

    page = response.content.decode()
    assert response.status_code == 200
    assert proposal.title in page
    for text in ("Review and decision inbox", "Reference number", "Proposal title", "Proposer",
                 "Submission date", "Running deadline", "Submitted, awaiting review", "Filter"):
        assert text in page
    for text in ("Hộp xem xét", "Số hiệu", "Người đề xuất", "Đã gửi, chờ xem xét", "Hạn xem xét"):
        assert text not in page
    assert untranslated_vietnamese(page, records_data()) == []


def test_the_proposal_page_of_the_deciding_authority_in_english(org):
    proposal = submitted(org.proposer_dept)

    response = english(client_for(org.head_dept)).get(proposal.get_absolute_url())

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Request more information" in page
    assert untranslated_vietnamese(page, records_data()) == []
    # the folded actions' forms, as the page loads them when opened
    for action, button in (("party_opinion", "Save the Party committee's opinion"),
                           ("reject", "See the document before signing")):
        fragment = english(client_for(org.head_dept)).get(
            reverse(f"proposals:{action}_form", args=[proposal.pk]), headers={"HX-Request": "true"})
        form = html.unescape(fragment.content.decode())
        assert button in form
        assert untranslated_vietnamese(form, records_data()) == []


# --- Django's messages in Vietnamese ------------------------------------------------------------------------

def test_django_validation_messages_read_in_vietnamese(org):
    client = client_for(org.proposer_dept)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"

    response = client.post(reverse("proposals:create_all"),
                           form_post(start_date="31/02/2027", budget_amount="abc"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Hãy nhập ngày hợp lệ." in page
    assert "Hãy nhập một số." in page
    assert "Enter a valid date." not in page
    assert "Enter a number." not in page


def test_the_same_validation_messages_in_english(org):
    response = english(client_for(org.proposer_dept)).post(
        reverse("proposals:create_all"), form_post(start_date="31/02/2027", budget_amount="abc"))

    page = response.content.decode()
    assert "Enter a valid date." in page
    assert "Enter a number." in page


def test_password_rules_read_in_vietnamese():
    with translation.override("vi"), pytest.raises(ValidationError) as raised:
        MinimumLengthValidator(min_length=8).validate("abc")

    assert raised.value.messages == ["Mật khẩu này quá ngắn. Mật khẩu phải có ít nhất 8 ký tự."]


def test_every_vietnamese_override_of_django_is_in_force():
    """locale/vi holds only Django's msgids. `makemessages -l vi` (or `-a`) would turn each of them into an
    obsolete `#~` entry, which is not compiled, and Django's poor or missing translation would come back."""
    entries = read_po(CATALOGUES["vi"])

    obsolete = [describe(e) for e in entries if e["obsolete"]]
    assert not obsolete, (
        "locale/vi/LC_MESSAGES/django.po has obsolete (#~) entries: was `makemessages -l vi` run on it? "
        "Restore the file from git (`git checkout locale/vi`). " + "; ".join(obsolete[:10]))
    assert entries
    wrong = []
    with translation.override("vi"):
        for entry in entries:
            if entry["msgid_plural"] is not None:
                shown = translation.ngettext(entry["msgid"], entry["msgid_plural"], 2)
            else:
                shown = translation.gettext(entry["msgid"])
            if shown != entry["msgstr"][0] or not shown or "fuzzy" in entry["flags"]:
                wrong.append(f"{describe(entry)} -> {shown!r}")
    assert not wrong, "Vietnamese overrides not in force: " + "; ".join(wrong)


def test_the_language_switch_is_one_button_named_in_the_other_language(org):
    client = client_for(org.proposer_dept)
    page = client.get("/proposals/").content.decode()
    assert '<button type="submit" name="language" value="en" lang="en"' in page and ">English</button>" in page

    # one click: the button's own value switches, and the page comes back in English with the way back
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/proposals/"}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/proposals/" and 'lang="en"' in page
    assert '<button type="submit" name="language" value="vi" lang="vi"' in page and ">Tiếng Việt</button>" in page
