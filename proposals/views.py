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
from proposals.forms import ProposalForm, TransferForm, WithdrawForm
from proposals.models import Attachment

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


class ProposalDetailView(View):
    def get(self, request, pk):
        proposal = selectors.proposal_get_visible(user=request.user, pk=pk)
        user = request.user
        is_author = proposal.author_id == user.pk
        can_transfer = proposal.status in workflow.TRANSFERABLE and permissions.can_transfer(user, proposal)
        context = {
            "proposal": proposal,
            **selectors.proposal_page_data(proposal=proposal),
            "is_author": is_author,
            "can_edit": permissions.can_edit(user, proposal),
            "can_submit": is_author and workflow.allowed(proposal.status, workflow.Status.SUBMITTED),
            "can_withdraw": is_author and workflow.allowed(proposal.status, workflow.Status.WITHDRAWN),
            "can_transfer": can_transfer,
            "withdraw_form": WithdrawForm(),
            "transfer_form": TransferForm() if can_transfer else None,
        }
        return render(request, "proposals/detail.html", context)


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
        scope = "all" if request.GET.get("scope") == "all" else "open"
        page = _page(request, selectors.proposal_inbox_for_reviewer(user=request.user, scope=scope))
        return render(request, "proposals/inbox.html", {
            "page": page, "scope": scope, "query": "scope=all" if scope == "all" else "",
        })
