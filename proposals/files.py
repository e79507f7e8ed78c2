"""Files in and out: checks on uploads (size, type read from the content, a safe name) and the response
that sends a private file."""

from __future__ import annotations

import dataclasses
import os
import unicodedata
import uuid

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db.models import Sum
from django.http import FileResponse, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.http import content_disposition_header
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from proposals.models import Attachment

#: What the content says the file is → the extensions such a file may carry.
ALLOWED = {
    "application/pdf": {"pdf"},
    "image/jpeg": {"jpg", "jpeg"},
    "image/png": {"png"},
    "image/gif": {"gif"},
    "image/webp": {"webp"},
    "image/tiff": {"tif", "tiff"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {"docx"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"xlsx"},
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": {"pptx"},
    "application/msword": {"doc"},
    "application/vnd.ms-excel": {"xls"},
    "application/vnd.ms-powerpoint": {"ppt"},
    "application/vnd.oasis.opendocument.text": {"odt"},
    "application/vnd.oasis.opendocument.spreadsheet": {"ods"},
    "application/vnd.oasis.opendocument.presentation": {"odp"},
}
# Old Office files share one container format (OLE2); filetype may name any of them for any.
OLE_FAMILY = {"application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint"}


@dataclasses.dataclass(frozen=True)
class CheckedUpload:
    name: str
    storage_name: str
    content_type: str


def safe_name(name: str) -> str:
    """Keep a readable Vietnamese name without path parts or characters a file system would mind."""
    name = unicodedata.normalize("NFC", os.path.basename(name.replace("\\", "/"))).strip()
    stem, ext = os.path.splitext(name)
    stem = "".join(ch for ch in stem if ch.isalnum() or ch in " ._-()").strip(" .") or "tep"
    return f"{stem[:150]}{ext.lower()[:10]}"


def checked_upload(upload) -> CheckedUpload:
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("Tệp “%(name)s” quá lớn (%(size)s); giới hạn là %(limit)s một tệp.")
            % {"name": upload.name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("Tệp “%(name)s” rỗng.") % {"name": upload.name}, code="empty")
    name = safe_name(upload.name)
    extension = os.path.splitext(name)[1].lstrip(".")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime in OLE_FAMILY and extension in {"doc", "xls", "ppt"}:
        mime = next(m for m in OLE_FAMILY if extension in ALLOWED[m])
    if mime not in ALLOWED or extension not in ALLOWED[mime]:
        raise ValidationError(
            _("Tệp “%(name)s” không phải PDF, văn bản Office hoặc hình ảnh, hoặc phần mở rộng không khớp nội dung.")
            % {"name": upload.name},
            code="bad_type",
        )
    storage_name = get_valid_filename(f"{uuid.uuid4().hex}.{extension}")
    return CheckedUpload(name=name, storage_name=storage_name, content_type=mime)


def private_download(content, *, filename: str, content_type: str | None = None) -> HttpResponseBase:
    """A private file sent as a download, the one way every download view answers: never kept by the browser
    or a proxy (`no-store`), never content-sniffed. `content` is a stored file (streamed from storage), the
    bytes of a document built for this request, or an iterator of chunks (streamed as they are produced)."""
    if isinstance(content, bytes | bytearray):
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, filename)
    elif isinstance(content, File):
        response = FileResponse(content.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    else:
        response = StreamingHttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def attachments_within_limit(proposal, *, adding: int) -> None:
    """Refuse files that would take a proposal's attachments, over all its saves, past
    ATTACHMENT_MAX_TOTAL_BYTES. The form checks it before anything is saved; attachment_add again, under the
    proposal's row lock."""
    limit = settings.ATTACHMENT_MAX_TOTAL_BYTES
    used = 0
    if proposal is not None and proposal.pk:
        used = Attachment.objects.filter(proposal=proposal).aggregate(total=Sum("size"))["total"] or 0
    if used + adding > limit:
        raise ValidationError(
            _("Các tệp đính kèm của đề xuất (đã có %(used)s) sẽ vượt quá tổng dung lượng cho phép %(limit)s.")
            % {"used": filesizeformat(used), "limit": filesizeformat(limit)}, code="attachments_total")
