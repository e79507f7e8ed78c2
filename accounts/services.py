"""Changes to the organisation and its roles."""

from __future__ import annotations

import datetime
import functools
import io
import logging
import math
import zipfile
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import imports
from accounts.errors import DomainError, PasswordResetThrottled
from accounts.models import (
    ADMINISTRATORS_GROUP,
    HOME_AFFAIRS_GROUP,
    AuthorityMembership,
    OrganisationImport,
    OrganisationUnit,
    PasswordResetRequest,
    Post,
    SingleSignOnAttempt,
    User,
)


def roles_ensure() -> None:
    """Create the role groups and give Home Affairs its city-wide view permission (idempotent).

    Runs after every migrate, because permissions only exist once all apps have migrated.
    """
    home_affairs, _ = Group.objects.get_or_create(name=HOME_AFFAIRS_GROUP)
    Group.objects.get_or_create(name=ADMINISTRATORS_GROUP)
    view = Permission.objects.filter(content_type__app_label="proposals", codename="view_proposal").first()
    if view is not None:
        home_affairs.permissions.add(view)


#: How long a password-reset request counts against its address and its client.
PASSWORD_RESET_WINDOW = datetime.timedelta(hours=1)


@transaction.atomic
def password_reset_request_record(*, email: str, client_address: str) -> None:
    """Count a password-reset request, or refuse it when its e-mail address or its client has had
    PASSWORD_RESET_LIMIT_PER_ADDRESS or PASSWORD_RESET_LIMIT_PER_CLIENT requests in the last hour.

    Counted whether or not an account has the address, so a refusal tells nothing about who has an account."""
    email = email.strip().lower()
    now = timezone.now()
    since = now - PASSWORD_RESET_WINDOW
    with connection.cursor() as cursor:
        # Two requests for one address at once are counted one after the other.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"password-reset:{email}"])
    recent = PasswordResetRequest.objects.filter(requested_at__gte=since)
    for limit, mine in ((settings.PASSWORD_RESET_LIMIT_PER_ADDRESS, recent.filter(email=email)),
                        (settings.PASSWORD_RESET_LIMIT_PER_CLIENT, recent.filter(client_address=client_address))):
        oldest = list(mine.order_by("-requested_at").values_list("requested_at", flat=True)[:limit])
        if len(oldest) >= limit:
            wait = oldest[-1] + PASSWORD_RESET_WINDOW - now
            raise PasswordResetThrottled(minutes=max(1, math.ceil(wait.total_seconds() / 60)))
    PasswordResetRequest.objects.filter(requested_at__lt=now - datetime.timedelta(days=1)).delete()
    PasswordResetRequest.objects.create(email=email, client_address=client_address, requested_at=now)


def single_sign_on_record(*, outcome: str, claims: dict, user: User | None, client_address: str,
                          detail: str = "") -> SingleSignOnAttempt:
    """Keep a sign-in through the identity provider, let in or refused, with what its claims said."""
    return SingleSignOnAttempt.objects.create(
        outcome=outcome, user=user, client_address=client_address[:64], detail=detail[:255],
        subject=str(claims.get("sub", ""))[:255],
        staff_code=str(claims.get(settings.OIDC_STAFF_CODE_CLAIM, ""))[:64],
        email=str(claims.get(settings.OIDC_EMAIL_CLAIM, ""))[:254],
    )


# — importing the organisation from HR files (accounts.imports, docs/organisation.md) ——————————————————————


def _import_files(organisation_import: OrganisationImport) -> list[tuple[str, bytes]]:
    """The import's file as (name, content) pairs: an XLSX or CSV file as it is, a ZIP archive member by member."""
    with organisation_import.file.open("rb") as stored:
        content = stored.read()
    name = organisation_import.original_name
    if not name.lower().endswith(".zip"):
        return [(name, content)]
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            # macOS adds "__MACOSX/" and "._" resource files to the archives it makes; they hold no table.
            members = [member for member in archive.infolist() if not member.is_dir()
                       and not member.filename.startswith("__MACOSX/")
                       and not PurePosixPath(member.filename).name.startswith("._")]
            if sum(member.file_size for member in members) > IMPORT_UNPACKED_MAX_BYTES:
                raise imports.Unreadable(_("Tệp nén %(name)s giải nén ra quá lớn.") % {"name": name})
            return [(PurePosixPath(member.filename).name, archive.read(member)) for member in members]
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError) as error:  # damaged, encrypted, unknown method
        raise imports.Unreadable(_("Không đọc được tệp nén %(name)s.") % {"name": name}) from error


logger = logging.getLogger(__name__)

#: How much an archive of CSV files may hold once unpacked (an archive that unpacks to gigabytes is refused).
IMPORT_UNPACKED_MAX_BYTES = 500 * 1024 * 1024
#: What a person reads when an import fails for a reason that is no fault of the file.
IMPORT_FAILED = gettext_lazy("Không xử lý được lượt nhập này do lỗi hệ thống; hãy thử lại hoặc báo quản trị hệ thống.")


def _failed(import_id: int, error: Exception) -> None:
    """Record why an import failed: the file's fault in words for the person, anything else logged."""
    if isinstance(error, imports.Unreadable):
        message = str(error)
    else:
        logger.error("Organisation import %s failed", import_id, exc_info=error)
        message = str(IMPORT_FAILED)
    OrganisationImport.objects.filter(pk=import_id).update(status=OrganisationImport.Status.FAILED, error=message)


def _plan(organisation_import: OrganisationImport, *, progress=None) -> imports.Plan:
    problems: list[imports.Problem] = []
    rows = imports.read(_import_files(organisation_import), problems)
    total = sum(len(sheet_rows) for sheet_rows in rows.values())
    OrganisationImport.objects.filter(pk=organisation_import.pk).update(rows_total=total, rows_done=0)
    return imports.plan(rows, mode=organisation_import.mode, as_of=organisation_import.as_of, progress=progress,
                        problems=problems)


def _record(organisation_import: OrganisationImport, plan: imports.Plan, *, was: str, **fields) -> None:
    """Store what `plan` found, if the import is still in the state `was` (a task run twice changes nothing)."""
    OrganisationImport.objects.filter(pk=organisation_import.pk, status=was).update(
        summary=plan.summary(), problems=[problem.as_dict() for problem in plan.problems[:imports.SHOWN]],
        changes=[change.as_dict() for change in plan.changes[:imports.SHOWN]], rows_done=plan.rows, **fields)


def organisation_import_upload(*, actor: User, files: list[UploadedFile], mode: str,
                               as_of: datetime.date) -> OrganisationImport:
    """Keep the uploaded files (several CSV files in one ZIP archive) and record the import, to be checked."""
    if len(files) == 1:
        name, content = files[0].name, files[0]
    else:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for upload in files:
                archive.writestr(PurePosixPath(upload.name).name, upload.read())
        name, content = f"to-chuc-{timezone.localdate():%Y%m%d}.zip", ContentFile(buffer.getvalue())
    organisation_import = OrganisationImport(original_name=PurePosixPath(name).name[:255], mode=mode, as_of=as_of,
                                             uploaded_by=actor)
    organisation_import.file.save(PurePosixPath(name).name, content, save=False)
    organisation_import.save()
    return organisation_import


def organisation_import_check(*, import_id: int) -> OrganisationImport:
    """The dry run: what the import would create, change and end, and every row in error. Changes nothing else."""
    organisation_import = OrganisationImport.objects.get(pk=import_id)

    def progress(done: int) -> None:
        OrganisationImport.objects.filter(pk=import_id).update(rows_done=done)

    if organisation_import.status != OrganisationImport.Status.CHECKING:
        return organisation_import  # checked already: a task delivered twice
    try:
        plan = _plan(organisation_import, progress=progress)
    except Exception as error:  # noqa: BLE001 — whatever stops it, the import must not stay "being checked"
        _failed(import_id, error)
    else:
        _record(organisation_import, plan, was=OrganisationImport.Status.CHECKING,
                status=OrganisationImport.Status.CHECKED)
    organisation_import.refresh_from_db()
    return organisation_import


def organisation_import_request_apply(*, actor: User,
                                     organisation_import: OrganisationImport) -> tuple[OrganisationImport, bool]:
    """Ask for a checked import without problems to be applied (in the background); twice is once: the answer says
    whether this call asked (and the caller should hand it to a worker)."""
    with transaction.atomic():
        organisation_import = OrganisationImport.objects.select_for_update().get(pk=organisation_import.pk)
        if organisation_import.status == OrganisationImport.Status.APPLYING:
            return organisation_import, False
        if not organisation_import.can_apply:
            raise DomainError(_("Chỉ áp dụng được lượt nhập đã kiểm tra và không còn dòng lỗi."),
                              code="import_not_applicable")
        organisation_import.status = OrganisationImport.Status.APPLYING
        organisation_import.applied_by = actor
        organisation_import.save(update_fields=["status", "applied_by"])
    return organisation_import, True


def organisation_import_apply(*, import_id: int) -> OrganisationImport:
    """Apply an import asked for: checked again against the organisation as it is now (it may have changed since
    the preview), then written in one transaction — nothing is half applied. Access rights follow the new
    memberships when it commits."""
    from proposals.permissions import sync_authority_grants  # proposals builds on accounts, not the reverse

    applying = OrganisationImport.Status.APPLYING
    try:
        with transaction.atomic():
            # Claimed for the whole application: a second delivery of the task waits, then finds it done.
            organisation_import = OrganisationImport.objects.select_for_update().filter(pk=import_id).first()
            if organisation_import is None or organisation_import.status != applying:
                return organisation_import
            plan = _plan(organisation_import)
            if plan.problems:
                # The organisation changed since the preview: show the new problems, apply nothing.
                _record(organisation_import, plan, was=applying, status=OrganisationImport.Status.CHECKED,
                        applied_by=None)
            else:
                authorities = organisation_import_write(plan)
                _record(organisation_import, plan, was=applying, status=OrganisationImport.Status.APPLIED,
                        applied_at=timezone.now())
                for authority_id in authorities:
                    transaction.on_commit(functools.partial(sync_authority_grants, authority_id))
    except Exception as error:  # noqa: BLE001 — rolled back whole; the import must not stay "being applied"
        _failed(import_id, error)
    return OrganisationImport.objects.get(pk=import_id)


def organisation_import_write(plan: imports.Plan) -> set[int]:
    """Write what a plan without problems staged, inside the caller's transaction; returns the authorities whose
    memberships changed. Bulk statements throughout: a hundred thousand officials in a few statements each."""
    units = [unit for unit, _new in plan.writes["units"]]
    staged = {id(unit) for unit in units}

    def depth(unit) -> int:
        level, parent = 0, unit._import_parent
        while parent is not None and id(parent) in staged:
            level, parent = level + 1, parent._import_parent
        return level

    for unit in sorted(units, key=depth):  # parents before their units, so each has its path
        unit.parent = unit._import_parent
        # Paths as the database has them now: a unit moved above may have re-rooted this one and its parent since
        # the plan read them (OrganisationUnit.save() rewrites the paths below a unit that moves).
        fresh = dict(OrganisationUnit.objects.filter(pk__in=[pk for pk in (unit.pk, unit.parent_id) if pk])
                     .values_list("pk", "path"))
        if unit.pk:
            unit.path = fresh[unit.pk]
        if unit.parent_id:
            unit.parent.path = fresh[unit.parent_id]
        unit.save()
    officials = plan.writes["officials"]
    User.objects.bulk_create([user for user, new in officials if new], batch_size=2000)
    User.objects.bulk_update([user for user, new in officials if not new], ["full_name", "email", "phone"],
                             batch_size=2000)
    posts = plan.writes["posts"]
    Post.objects.bulk_create([post for post, new in posts if new], batch_size=2000)
    Post.objects.bulk_update([post for post, new in posts if not new],
                             ["category", "managing_authority", "is_principal", "is_head", "valid_to"], batch_size=2000)
    memberships = plan.writes["memberships"]
    AuthorityMembership.objects.bulk_create([m for m, new in memberships if new], batch_size=2000)
    AuthorityMembership.objects.bulk_update([m for m, new in memberships if not new], ["valid_to"], batch_size=2000)
    ended = plan.as_of - datetime.timedelta(days=1)
    Post.objects.filter(pk__in=[post.pk for post in plan.ends["posts"]]).update(valid_to=ended)
    AuthorityMembership.objects.filter(pk__in=[m.pk for m in plan.ends["memberships"]]).update(valid_to=ended)
    return {m.authority_id for m, _new in memberships} | {m.authority_id for m in plan.ends["memberships"]}
