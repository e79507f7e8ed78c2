from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_GET

from proposals import content, permissions, selectors, services, workflow
from proposals.errors import DomainError, Incomplete
from proposals.forms import (
    InboxFilterForm,
    DecisionForm,
    MeetingForm,
    NoteForm,
    OverrideForm,
    PartyOpinionForm,
    ProposalForm,
    RejectForm,
    ReturnForm,
    TransferForm,
    WithdrawForm,
)
from proposals.models import Attachment, Note, Proposal

PAGE_SIZE = 25


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


class ProposalListView(View):
    def get(self, request):
        status = request.GET.get("status") or None
        if status not in workflow.Status.values:
            status = None
        page = _page(request, selectors.proposal_list_for_author(user=request.user, status=status))
        return render(request, "proposals/list.html", {
            "page": page, "status": status, "statuses": workflow.Status.choices,
            "query": urlencode({"status": status}) if status else "",
        })


class ProposalFormMixin:
    template_name = "proposals/form.html"

    def _save(self, request, form, proposal=None):
        """Save the draft (always), its new files, and submit it when asked. Returns a response."""
        data = {name: form.cleaned_data.get(name) for name in content.CONTENT_FIELDS}
        try:
            if proposal is None:
                proposal = services.proposal_create_draft(
                    actor=request.user, data=data, creation_token=form.cleaned_data.get("creation_token"))
            else:
                proposal = services.proposal_update_content(actor=request.user, proposal=proposal, data=data)
            for upload in form.cleaned_data.get("new_attachments") or []:
                services.attachment_add(actor=request.user, proposal=proposal, upload=upload)
        except ValidationError as error:
            form.add_error("new_attachments", error)
            return self._render(request, form, proposal)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(proposal or "proposals:list")
        if request.POST.get("action") != "submit":
            messages.success(request, _("Đã lưu bản nháp %(ref)s.") % {"ref": proposal.reference})
            return redirect(proposal)
        try:
            proposal = services.proposal_submit(actor=request.user, proposal=proposal)
        except Incomplete as error:
            form.add_completeness_errors(error.errors)
            messages.warning(request, _("Bản nháp đã được lưu nhưng chưa gửi: %(msg)s") % {"msg": error.message})
            return self._render(request, form, proposal, status=200)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(proposal)
        messages.success(request, _("Đã gửi đề xuất %(ref)s tới %(authority)s.") % {
            "ref": proposal.reference, "authority": proposal.deciding_authority})
        return redirect(proposal)

    def _render(self, request, form, proposal=None, status=200):
        return render(request, self.template_name, {"form": form, "proposal": proposal}, status=status)


class ProposalCreateView(ProposalFormMixin, View):
    def get(self, request):
        form = ProposalForm(initial={"creation_token": uuid.uuid4()})
        return self._render(request, form)

    def post(self, request):
        form = ProposalForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, form)
        return self._save(request, form)


class ProposalUpdateView(ProposalFormMixin, View):
    def _proposal(self, request, pk):
        proposal = selectors.proposal_get_visible(user=request.user, pk=pk)
        if not permissions.can_edit(request.user, proposal):
            raise Http404
        return proposal

    def get(self, request, pk):
        proposal = self._proposal(request, pk)
        form = ProposalForm(instance=proposal)
        return self._render(request, form, proposal)

    def post(self, request, pk):
        proposal = self._proposal(request, pk)
        form = ProposalForm(request.POST, request.FILES, instance=proposal)
        if not form.is_valid():
            return self._render(request, form, proposal)
        return self._save(request, form, proposal)


ACTION_FORMS = {
    "return": ReturnForm, "party_opinion": PartyOpinionForm, "meeting": MeetingForm, "approve": DecisionForm,
    "approve_by_head": OverrideForm, "reject": RejectForm, "internal_note": NoteForm, "comment": NoteForm,
}


def _detail_context(request, proposal, bound: dict | None = None) -> dict:
    """The proposal page: what it shows and which actions the reader may take now."""
    user = request.user
    is_author = proposal.author_id == user.pk
    serves = permissions.serves_deciding_authority(user, proposal)
    is_head = serves and permissions.heads_deciding_authority(user, proposal)
    data = selectors.proposal_page_data(proposal=proposal, internal=serves)
    deciding = proposal.status == workflow.Status.SUBMITTED
    latest = data["latest_meeting"]
    actions = {
        "return": serves and deciding,
        "party_opinion": serves and deciding,
        "meeting": serves and deciding,
        "approve": is_head and deciding and latest is not None and latest.passed,
        "approve_by_head": is_head and deciding and latest is not None and not latest.passed,
        "reject": is_head and deciding,
        "internal_note": serves,
        "comment": permissions.can_join_thread(user, proposal),
    }
    bound = bound or {}
    forms = {name: bound.get(name) or ACTION_FORMS[name](prefix=name) for name, open_ in actions.items() if open_}
    return {
        "proposal": proposal,
        **data,
        "is_author": is_author,
        "serves": serves,
        "is_head": is_head,
        "can_edit": permissions.can_edit(user, proposal),
        "can_submit": is_author and workflow.allowed(proposal.status, workflow.Status.SUBMITTED),
        "can_withdraw": is_author and workflow.allowed(proposal.status, workflow.Status.WITHDRAWN),
        "can_transfer": proposal.status in workflow.TRANSFERABLE and permissions.can_transfer(user, proposal),
        "withdraw_form": WithdrawForm(),
        "action_forms": forms,
        "open_action": next(iter(bound), None),
    }


class ProposalDetailView(View):
    def get(self, request, pk):
        proposal = selectors.proposal_get_visible(user=request.user, pk=pk)
        return render(request, "proposals/detail.html", _detail_context(request, proposal))


class ProposalActionView(View):
    """One decision-workflow action posted from the proposal page; problems are shown in the action's form."""

    #: The key of ACTION_FORMS; subclasses also define perform(request, proposal, data) calling one service.
    action = ""

    def success_message(self, proposal) -> str:
        return _("Đã ghi nhận.")

    def post(self, request, pk):
        proposal = selectors.proposal_get_visible(user=request.user, pk=pk)
        form = ACTION_FORMS[self.action](request.POST, request.FILES, prefix=self.action)
        if form.is_valid():
            try:
                result = self.perform(request, proposal, form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, self.success_message(result if isinstance(result, Proposal) else proposal))
                return redirect(proposal)
        proposal = selectors.proposal_get_visible(user=request.user, pk=pk)
        context = _detail_context(request, proposal, bound={self.action: form})
        if self.action not in context["action_forms"]:
            messages.error(request, "; ".join(form.non_field_errors()) or _("Không thể thực hiện thao tác này."))
            return redirect(proposal)
        return render(request, "proposals/detail.html", context, status=200)


class ProposalReturnView(ProposalActionView):
    action = "return"

    def perform(self, request, proposal, data):
        return services.proposal_return_for_revision(actor=request.user, proposal=proposal, message=data["message"])

    def success_message(self, proposal):
        return _("Đã trả lại đề xuất để người đề xuất bổ sung; thời hạn xem xét tạm dừng.")


class PartyOpinionRecordView(ProposalActionView):
    action = "party_opinion"

    def perform(self, request, proposal, data):
        return services.party_opinion_record(actor=request.user, proposal=proposal, **data)

    def success_message(self, proposal):
        return _("Đã ghi nhận ý kiến của cấp ủy.")


class MeetingRecordView(ProposalActionView):
    action = "meeting"

    def perform(self, request, proposal, data):
        return services.meeting_record(actor=request.user, proposal=proposal, **data)

    def success_message(self, proposal):
        return _("Đã ghi nhận kết quả họp tập thể lãnh đạo.")


class ProposalApproveView(ProposalActionView):
    action = "approve"

    def perform(self, request, proposal, data):
        return services.proposal_approve(actor=request.user, proposal=proposal, **data)

    def success_message(self, proposal):
        return _("Đã phê duyệt đề xuất %(ref)s.") % {"ref": proposal.reference}


class ProposalApproveByHeadView(ProposalActionView):
    action = "approve_by_head"

    def perform(self, request, proposal, data):
        return services.proposal_approve_by_head(actor=request.user, proposal=proposal, **data)

    def success_message(self, proposal):
        return _("Người đứng đầu đã quyết định phê duyệt đề xuất %(ref)s.") % {"ref": proposal.reference}


class ProposalRejectView(ProposalActionView):
    action = "reject"

    def perform(self, request, proposal, data):
        return services.proposal_reject(actor=request.user, proposal=proposal, **data)

    def success_message(self, proposal):
        return _("Đã quyết định không phê duyệt đề xuất %(ref)s.") % {"ref": proposal.reference}


class InternalNoteAddView(ProposalActionView):
    action = "internal_note"

    def perform(self, request, proposal, data):
        return services.note_add(actor=request.user, proposal=proposal, text=data["text"],
                                 visibility=Note.Visibility.INTERNAL)


class CommentAddView(ProposalActionView):
    action = "comment"

    def perform(self, request, proposal, data):
        return services.note_add(actor=request.user, proposal=proposal, text=data["text"],
                                 visibility=Note.Visibility.THREAD)


class DocumentDownloadView(View):
    """Decision PDFs, Party opinions and meeting minutes, to anyone who may see the proposal."""

    def get(self, request, pk, kind, document_id):
        proposal = selectors.proposal_get_visible(user=request.user, pk=pk)
        file, name = selectors.proposal_document(proposal=proposal, kind=kind, document_id=document_id)
        response = FileResponse(file.open("rb"), as_attachment=True, filename=name)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class ProposalSubmitView(View):
    def post(self, request, pk):
        proposal = selectors.proposal_get_visible(user=request.user, pk=pk)
        try:
            proposal = services.proposal_submit(actor=request.user, proposal=proposal)
        except Incomplete as error:
            messages.error(request, error.message)
            form = ProposalForm.for_stored(proposal)
            form.add_completeness_errors(error.errors)
            return render(request, "proposals/form.html", {"form": form, "proposal": proposal})
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(proposal)
        messages.success(request, _("Đã gửi đề xuất %(ref)s tới %(authority)s.") % {
            "ref": proposal.reference, "authority": proposal.deciding_authority})
        return redirect(proposal)


class ProposalWithdrawView(View):
    def post(self, request, pk):
        proposal = selectors.proposal_get_visible(user=request.user, pk=pk)
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                services.proposal_withdraw(actor=request.user, proposal=proposal, reason=form.cleaned_data["reason"])
                messages.success(request, _("Đã rút đề xuất %(ref)s.") % {"ref": proposal.reference})
            except DomainError as error:
                messages.error(request, error.message)
        return redirect(proposal)


class ProposalTransferView(View):
    def _proposal(self, request, pk):
        proposal = selectors.proposal_get_visible(user=request.user, pk=pk)
        if not permissions.can_transfer(request.user, proposal):
            raise Http404
        return proposal

    def get(self, request, pk):
        proposal = self._proposal(request, pk)
        return render(request, "proposals/transfer.html", {"proposal": proposal, "form": TransferForm()})

    def post(self, request, pk):
        proposal = self._proposal(request, pk)
        form = TransferForm(request.POST)
        if form.is_valid():
            try:
                proposal = services.proposal_transfer(
                    actor=request.user, proposal=proposal, authority=form.cleaned_data["authority"],
                    reason=form.cleaned_data["reason"])
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Đã chuyển đề xuất tới %(authority)s.") % {
                    "authority": proposal.deciding_authority})
                if permissions.can_view(request.user, proposal):
                    return redirect(proposal)
                return redirect("review:inbox")
        return render(request, "proposals/transfer.html", {"proposal": proposal, "form": form}, status=200)


class VersionCompareView(View):
    def get(self, request, pk):
        proposal = selectors.proposal_get_visible(user=request.user, pk=pk)
        if proposal.current_version == 0:
            raise Http404
        try:
            newer = int(request.GET.get("to", proposal.current_version))
            older = int(request.GET.get("from", max(newer - 1, 1)))
        except ValueError:
            raise Http404 from None
        old, new = selectors.version_pair(proposal=proposal, older=older, newer=newer)
        return render(request, "proposals/versions.html", {
            "proposal": proposal, "old": old, "new": new,
            "changes": content.compare(old.content, new.content),
            "numbers": range(1, proposal.current_version + 1),
        })


class VersionDetailView(View):
    def get(self, request, pk, number):
        proposal = selectors.proposal_get_visible(user=request.user, pk=pk)
        version, _same = selectors.version_pair(proposal=proposal, older=number, newer=number)
        fields = [(content.field_label(name), content.as_text(version.content.get(name))) for name in
                  [*content.CONTENT_FIELDS, "attachments"]]
        return render(request, "proposals/version.html", {"proposal": proposal, "version": version, "fields": fields})


class AttachmentDownloadView(View):
    def get(self, request, pk, attachment_id):
        proposal = selectors.proposal_get_visible(user=request.user, pk=pk)
        attachment = get_object_or_404(Attachment, pk=attachment_id, proposal=proposal)
        response = FileResponse(
            attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
            content_type=attachment.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class AttachmentRemoveView(View):
    def post(self, request, pk, attachment_id):
        proposal = selectors.proposal_get_visible(user=request.user, pk=pk)
        attachment = get_object_or_404(Attachment, pk=attachment_id, proposal=proposal)
        try:
            services.attachment_remove(actor=request.user, proposal=proposal, attachment=attachment)
            messages.success(request, _("Đã gỡ tệp %(name)s.") % {"name": attachment.original_name})
        except DomainError as error:
            messages.error(request, error.message)
        return redirect(proposal)


@require_GET
def unit_search(request):
    units = selectors.unit_search(
        query=request.GET.get("q", "")[:100], authorities_only=request.GET.get("authorities") == "1")
    return render(request, "proposals/widgets/unit_results.html", {
        "units": units, "target": request.GET.get("target", ""),
    })


class ReviewInboxView(View):
    def get(self, request):
        form = InboxFilterForm(request.GET or None, user=request.user)
        filters = form.filters() if form.is_valid() else selectors.InboxFilters()
        page = _page(request, selectors.proposal_inbox_for_reviewer(user=request.user, filters=filters))
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, "proposals/inbox.html", {"page": page, "form": form, "query": query.urlencode()})
