from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_GET

from accounts.models import User
from accounts.permissions import can_monitor_city, is_home_affairs
from portal.pagination import IdsFirstPaginator
from proposals import actions, content, permissions, selectors, services, workflow
from proposals.errors import DomainError, Incomplete
from proposals.files import private_download
from proposals.forms import (
    InboxFilterForm,
    ProposalForm,
    RetaliationAdvanceForm,
    RetaliationReportForm,
    TransferForm,
    WithdrawForm,
)
from proposals.models import Attachment
from proposals.record_exports import record_pdf, record_xlsx

PAGE_SIZE = 25


def _page(request, queryset):
    return IdsFirstPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


class ProposalListView(View):
    def get(self, request):
        status = request.GET.get("status") or None
        if status not in workflow.Status.values:
            status = None
        text = request.GET.get("q", "")[:selectors.SEARCH_MAX_LENGTH]
        page = _page(request, selectors.proposal_list_for_author(user=request.user, status=status, text=text))
        return render(request, "proposals/list.html", {
            "page": page, "status": status, "statuses": workflow.Status.choices, "text": text,
            "query": urlencode({key: value for key, value in (("status", status), ("q", text)) if value}),
        })


class ProposalFormMixin:
    """The proposal plan's form, whole on one page or one section per page (the guided form)."""

    template_name = "proposals/form.html"

    def _save(self, request, form, proposal=None):
        """Save the draft (always) and its new files, then go where the pressed button leads. Returns a response."""
        data = {name: form.cleaned_data.get(name) for name in form.content_fields}
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
        if request.POST.get("action") == "draft":
            messages.success(request, _("Đã lưu bản nháp %(ref)s.") % {"ref": proposal.reference})
            return redirect(proposal)
        return self._onward(request, proposal)

    def _onward(self, request, proposal):
        """Going on from the whole form: a complete draft is checked on its own page before it is sent; an
        incomplete one comes back on its edit page (its address from now on) with each problem beside its field."""
        errors = content.completeness_errors(content.values_of(proposal))
        if errors:
            messages.warning(request, _("Bản nháp đã được lưu nhưng chưa gửi được: %(msg)s") % {
                "msg": Incomplete(errors).message})
            return redirect(reverse("proposals:edit", args=[proposal.pk]) + "?missing=1")
        return redirect("proposals:check", pk=proposal.pk)

    def _render(self, request, form, proposal=None, status=200):
        revision_request = selectors.revision_request_open(proposal=proposal) if proposal else None
        return render(request, self.template_name, {
            "form": form, "proposal": proposal, "revision_request": revision_request,
            "guided": self._guided_context(proposal, form.section)}, status=status)

    @staticmethod
    def _guided_context(proposal, step):
        """The progress indicator of the guided form: each section, whether it is filled, and which is shown."""
        if step is None:
            return None
        filled = content.sections_filled(content.values_of(proposal)) if proposal else [False] * len(content.SECTIONS)
        steps = [{"number": number, "title": title, "filled": filled[number - 1], "current": number == step,
                  "url": reverse("proposals:section", args=[proposal.pk, number]) if proposal else None}
                 for number, (title, _fields) in enumerate(content.SECTIONS, start=1)]
        return {"step": step, "total": len(steps), "steps": steps, "title": content.SECTIONS[step - 1][0],
                "last": step == len(steps), "has_attachments": "attachments" in content.section_fields(step),
                "all_filled": all(filled)}


def _editable(request, pk, action="edit"):
    proposal = selectors.proposal_get_visible(user=request.user, pk=pk)
    if not actions.allows(action, user=request.user, proposal=proposal):
        raise Http404
    return proposal


class ProposalCreateView(ProposalFormMixin, View):
    """A new proposal, guided: its first section; saving it creates the draft the other sections fill."""

    guided = True

    def _form(self, *args, **kwargs):
        return ProposalForm(*args, section=1 if self.guided else None, **kwargs)

    def get(self, request):
        return self._render(request, self._form(initial={"creation_token": uuid.uuid4()}))

    def post(self, request):
        form = self._form(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, form)
        return self._save(request, form)

    def _onward(self, request, proposal):
        if self.guided:
            return redirect("proposals:section", pk=proposal.pk, step=2)
        return super()._onward(request, proposal)


class ProposalUpdateView(ProposalFormMixin, View):
    """The whole plan on one page, for those who prefer it to the guided sections."""

    action = "edit"

    def get(self, request, pk):
        proposal = _editable(request, pk)
        if request.GET.get("missing"):
            # Sent on from this form while incomplete: each problem is shown beside its field.
            form = ProposalForm.for_stored(proposal)
            form.add_completeness_errors(content.completeness_errors(content.values_of(proposal)))
        else:
            form = ProposalForm(instance=proposal)
        return self._render(request, form, proposal)

    def post(self, request, pk):
        proposal = _editable(request, pk)
        form = ProposalForm(request.POST, request.FILES, instance=proposal)
        if not form.is_valid():
            return self._render(request, form, proposal)
        return self._save(request, form, proposal)


class ProposalSectionView(ProposalFormMixin, View):
    """One section of the guided form. Each button saves the section first: "save and continue" goes to the next
    section (after the last, or when the person came from the check page, to the check page), "back" to the
    previous one, a step of the progress indicator to that step, "save draft" to the proposal's page."""

    def _step(self, step):
        if not 1 <= step <= len(content.SECTIONS):
            raise Http404
        return step

    def get(self, request, pk, step):
        proposal = _editable(request, pk)
        return self._render(request, ProposalForm(instance=proposal, section=self._step(step)), proposal)

    def post(self, request, pk, step):
        proposal = _editable(request, pk)
        self.step = self._step(step)
        form = ProposalForm(request.POST, request.FILES, instance=proposal, section=self.step)
        if not form.is_valid():
            return self._render(request, form, proposal)
        return self._save(request, form, proposal)

    def _onward(self, request, proposal):
        action, last = request.POST.get("action"), len(content.SECTIONS)
        if action == "back":
            return redirect("proposals:section", pk=proposal.pk, step=max(self.step - 1, 1))
        if action == "goto":
            try:
                target = int(request.POST.get("goto", ""))
            except ValueError:
                target = self.step
            return redirect("proposals:section", pk=proposal.pk, step=min(max(target, 1), last))
        if request.POST.get("next") == "check" or self.step == last:
            return redirect("proposals:check", pk=proposal.pk)
        return redirect("proposals:section", pk=proposal.pk, step=self.step + 1)


def _detail_context(request, proposal, bound: dict | None = None, unfold: str | None = None) -> dict:
    """The proposal page: what it shows and which actions the reader may take now (proposals.actions)."""
    user = request.user
    is_author = proposal.author_id == user.pk
    serves = permissions.serves_deciding_authority(user, proposal)
    data = selectors.proposal_page_data(proposal=proposal, internal=serves)
    bound = bound or {}
    facts = actions.Facts(proposal, page=data)
    offered = {action.name: action for action in actions.available(user=user, proposal=proposal, facts=facts)}
    # The folded actions' forms come when a fold is opened (ProposalActionFormView): rendering six of them cost a
    # head's page more than its queries did. The form just sent, or asked for by URL, is shown unfolded.
    forms = {name: bound.get(name) or action.form(proposal)
             for name, action in offered.items()
             if action.form_class and (action.place != "panel" or name in bound or name == unfold)}
    workflow_actions = [
        {"name": name, "action": action, "form": forms.get(name), "unmet": action.unmet(facts),
         "url": reverse(f"proposals:{name}", args=[proposal.pk]),
         "form_url": reverse(f"proposals:{name}_form", args=[proposal.pk])}
        for name, action in offered.items() if action.place == "panel"
    ]
    submitted_content = None
    if not is_author and proposal.status == workflow.Status.RETURNED:
        # While the author revises, others see the version they submitted, not the edits in progress.
        version = selectors.version_latest(proposal=proposal)
        submitted_content = {"number": version.number, "fields": [
            (content.field_label(name), content.as_text(version.content.get(name)))
            for name in content.CONTENT_FIELDS]}
        shown = {item["id"] for item in version.content.get("attachments", [])}
        data["attachments"] = [a for a in data["attachments"] if a.pk in shown]
    return {
        "proposal": proposal,
        **data,
        "submitted_content": submitted_content,
        "is_author": is_author,
        "serves": serves,
        "is_implementer": permissions.is_implementer(user, proposal),
        "can_edit": "edit" in offered,
        "can_submit": "submit" in offered,
        "can_withdraw": "withdraw" in offered,
        "can_delete": "delete" in offered,
        "can_transfer": "transfer" in offered,
        "can_remove_attachments": "attachment_remove" in offered,
        "can_report_retaliation": "retaliation_new" in offered,
        "can_read_protection": data["protection"] is not None and permissions.can_read_protection(user, proposal),
        "withdraw_form": WithdrawForm(),
        "offered_actions": set(offered),
        "action_forms": forms,
        "workflow_actions": workflow_actions,
        "open_action": next(iter(bound), unfold),
        "waiting_actions": actions.waiting(user=user, proposal=proposal, facts=facts),
        # Before its decision the plan is what the page is about; after, it no longer changes and folds away.
        "plan_open": proposal.status in workflow.EDITABLE | workflow.AWAITING_DECISION,
        "routing_explanation": (selectors.routing_explanation(proposal=proposal, routings=data["routings"])
                                if proposal.submitted_at else ""),
        "lifecycle": workflow.lifecycle_steps(proposal.status, was_submitted=proposal.submitted_at is not None),
        "expected_actions": [item for item in workflow_actions if item["name"] in actions.NEXT_STEP_ACTIONS][:2],
    }


class ProposalDetailView(View):
    def get(self, request, pk):
        proposal = selectors.proposal_get_visible(user=request.user, pk=pk)
        return render(request, "proposals/detail.html", _detail_context(request, proposal))


class ProposalActionFormView(View):
    """An action's form, as the proposal page's fold loads it (htmx) when opened; to a request without htmx (a link,
    a browser without scripts), the proposal page with that action unfolded. Only while the reader may take the
    action; its form posts to ProposalActionView."""

    action = ""

    def get(self, request, pk):
        proposal = selectors.proposal_get_visible(user=request.user, pk=pk)
        action = actions.FORM_ACTIONS[self.action]
        if not actions.allows(self.action, user=request.user, proposal=proposal):
            raise Http404
        if request.headers.get("HX-Request") != "true":
            return render(request, "proposals/detail.html", _detail_context(request, proposal, unfold=self.action))
        return render(request, "proposals/includes/action_form.html", {"item": {
            "name": self.action, "action": action, "form": action.form(proposal),
            "url": reverse(f"proposals:{self.action}", args=[proposal.pk])}})


class ProposalActionView(View):
    """One action posted from the proposal page (proposals.actions); problems are shown in the action's own form.
    An action that issues a document first shows it (`selectors.documents_to_issue`); "sign and issue" sends the
    form again with `confirmed`, "back to the form" with `revise`, which shows the form filled as it was."""

    action = ""

    def _confirming(self, request, proposal) -> bool:
        return (actions.FORM_ACTIONS[self.action].issues_document and not request.POST.get("confirmed")
                and not request.POST.get("revise")
                and actions.allows(self.action, user=request.user, proposal=proposal))

    def post(self, request, pk):
        proposal = selectors.proposal_get_visible(user=request.user, pk=pk)
        action = actions.FORM_ACTIONS[self.action]
        form = action.form(proposal, request.POST, request.FILES)
        if form.is_valid() and self._confirming(request, proposal):
            # A document to be issued is shown before it is signed: its confirmation posts the same form again.
            try:
                issued = selectors.documents_to_issue(action=self.action, actor=request.user, proposal=proposal,
                                                      data=form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                return render(request, "proposals/confirm_document.html", {
                    "proposal": proposal, "action": action, "form": form, "documents": issued,
                    "url": reverse(f"proposals:{self.action}", args=[proposal.pk])})
        elif form.is_valid() and not request.POST.get("revise"):
            try:
                action.perform(request.user, proposal, form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                proposal.refresh_from_db()
                messages.success(request, action.success % {
                    "ref": proposal.reference,
                    "report_due": proposal.report_due_date.strftime("%d/%m/%Y") if proposal.report_due_date else ""})
                return redirect(proposal)
        proposal = selectors.proposal_get_visible(user=request.user, pk=pk)
        context = _detail_context(request, proposal, bound={self.action: form})
        if self.action not in context["offered_actions"]:
            messages.error(request, "; ".join(form.non_field_errors()) or _("Không thể thực hiện thao tác này."))
            return redirect(proposal)
        return render(request, "proposals/detail.html", context, status=200)


class ProtectionDetailView(View):
    """The protection decision; each opening is logged, and Home Affairs sees the log."""

    def get(self, request, pk):
        proposal = selectors.proposal_get_visible(user=request.user, pk=pk)
        protection = services.protection_open(user=request.user, proposal=proposal, what="page")
        log = selectors.confidential_access_log(protection=protection) if is_home_affairs(request.user) else None
        return render(request, "proposals/protection.html", {
            "proposal": proposal, "protection": protection, "evaluation": protection.evaluation, "log": log,
            "signature": selectors.signature_status_of(protection.document) if protection.document else None,
        })


class ProtectionDocumentView(View):
    def get(self, request, pk):
        proposal = selectors.proposal_get_visible(user=request.user, pk=pk)
        protection = services.protection_open(user=request.user, proposal=proposal, what="pdf")
        return private_download(protection.document, filename=f"{proposal.reference}-quyet-dinh-bao-ve.pdf")


class RetaliationReportCreateView(View):
    action = "retaliation_new"

    def _proposal(self, request, pk):
        proposal = selectors.proposal_get_visible(user=request.user, pk=pk)
        if not actions.allows(self.action, user=request.user, proposal=proposal):
            raise Http404
        return proposal

    def get(self, request, pk):
        proposal = self._proposal(request, pk)
        return render(request, "proposals/retaliation_form.html", {"proposal": proposal,
                                                                    "form": RetaliationReportForm()})

    def post(self, request, pk):
        proposal = self._proposal(request, pk)
        form = RetaliationReportForm(request.POST)
        if form.is_valid():
            try:
                report = services.retaliation_report_file(actor=request.user, proposal=proposal, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Phản ánh đã được gửi bảo mật tới Sở Nội vụ và %(authority)s.") % {
                    "authority": report.receiving_authority})
                return redirect("proposals:retaliation_detail", report.pk)
        return render(request, "proposals/retaliation_form.html", {"proposal": proposal, "form": form})


class RetaliationReportListView(View):
    def get(self, request):
        page = _page(request, selectors.retaliation_report_list(user=request.user))
        return render(request, "proposals/retaliation_list.html", {"page": page})


class RetaliationReportDetailView(View):
    def get(self, request, report_id, form=None):
        report = services.retaliation_report_open(user=request.user, report_id=report_id)
        can_handle = permissions.can_handle_retaliation_report(request.user, report)
        return render(request, "proposals/retaliation_detail.html", {
            "report": report, "steps": list(report.steps.select_related("actor")),
            "form": (form or RetaliationAdvanceForm()) if can_handle and report.status != "concluded" else None,
            "is_reporter": report.reporter_id == request.user.pk,
        })

    def post(self, request, report_id):
        report = get_object_or_404(permissions.retaliation_reports_visible_to(request.user), pk=report_id)
        form = RetaliationAdvanceForm(request.POST)
        if form.is_valid():
            try:
                services.retaliation_report_advance(actor=request.user, report=report, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Đã cập nhật tình trạng xử lý."))
                return redirect("proposals:retaliation_detail", report.pk)
        return self.get(request, report_id, form=form)


class DocumentSignatureView(View):
    """Who signed one of the proposal's issued documents, when, and whether the signature holds: a fragment the
    proposal page loads beside the document's link."""

    def get(self, request, pk, kind, document_id):
        proposal = selectors.proposal_get_visible(user=request.user, pk=pk)
        status = selectors.issued_document_signature(proposal=proposal, kind=kind, document_id=document_id)
        return render(request, "proposals/includes/signature_status.html", {"status": status})


class DocumentDownloadView(View):
    """Decision PDFs, Party opinions and meeting minutes, to anyone who may see the proposal."""

    def get(self, request, pk, kind, document_id):
        proposal = selectors.proposal_get_visible(user=request.user, pk=pk)
        file, name = selectors.proposal_document(proposal=proposal, kind=kind, document_id=document_id)
        return private_download(file, filename=name)


class ProposalSubmitView(View):
    action = "submit"

    def post(self, request, pk):
        proposal = selectors.proposal_get_visible(user=request.user, pk=pk)
        try:
            proposal = services.proposal_submit(actor=request.user, proposal=proposal)
        except Incomplete as error:
            # The check page lists what is missing, with a link to each answer.
            messages.error(request, error.message)
            return redirect("proposals:check", pk=proposal.pk)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(proposal)
        return redirect("proposals:sent", pk=proposal.pk)


class ProposalCheckView(View):
    """Check your answers: the whole plan with links back to each answer, who will decide it and why (routing
    computed now), and the one button that sends it."""

    def get(self, request, pk):
        proposal = selectors.proposal_get_visible(user=request.user, pk=pk)
        if not actions.allows("submit", user=request.user, proposal=proposal):
            raise Http404
        return render(request, "proposals/check.html", {
            "proposal": proposal,
            "sections": selectors.proposal_answers(proposal=proposal),
            "routing": selectors.proposal_routing_preview(proposal=proposal, user=request.user),
            "missing": content.completeness_problems(content.values_of(proposal)),
            "last_section": len(content.SECTIONS),
            "units_section": content.section_of("involved_units"),
        })


class ProposalSentView(View):
    """The confirmation after sending: the reference, who decides and by when, and what happens next."""

    def get(self, request, pk):
        proposal = selectors.proposal_get_visible(user=request.user, pk=pk)
        if proposal.author_id != request.user.pk or proposal.submitted_at is None:
            raise Http404
        return render(request, "proposals/sent.html", {
            "proposal": proposal, "routing_explanation": selectors.routing_explanation(proposal=proposal)})


class ProposalDeleteView(View):
    """Deleting a draft never sent: a page that says what will be lost and asks to confirm, then the deletion."""

    action = "delete"

    def get(self, request, pk):
        proposal = _editable(request, pk, self.action)
        return render(request, "proposals/delete.html", {
            "proposal": proposal, "attachments": list(proposal.attachments.all())})

    def post(self, request, pk):
        proposal = _editable(request, pk, self.action)
        try:
            services.proposal_delete_draft(actor=request.user, proposal=proposal)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(proposal)
        messages.success(request, _("Đã xóa bản nháp %(ref)s.") % {"ref": proposal.reference})
        return redirect("proposals:list")


class ProposalWithdrawView(View):
    action = "withdraw"

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


#: The transfer's refusals that are about one field, shown beside it.
TRANSFER_ERROR_FIELDS = {
    "same_authority": "authority", "not_an_authority": "authority", "authority_without_members": "authority",
    "authority_led_by_author": "authority", "reason_missing": "reason",
}


class ProposalTransferView(View):
    action = "transfer"

    def _proposal(self, request, pk, *, posted=False):
        proposal = selectors.proposal_get_visible(user=request.user, pk=pk)
        action = actions.ACTIONS[self.action]
        # A form sent just after a decision is answered by the service, which says why; the page opens only
        # where the transfer is possible.
        allowed = action.who.allows(request.user, proposal) if posted else action.allows(request.user, proposal)
        if not allowed:
            raise Http404
        return proposal

    def get(self, request, pk):
        proposal = self._proposal(request, pk)
        return render(request, "proposals/transfer.html", {"proposal": proposal, "form": TransferForm()})

    def post(self, request, pk):
        proposal = self._proposal(request, pk, posted=True)
        form = TransferForm(request.POST)
        if form.is_valid():
            try:
                proposal = services.proposal_transfer(
                    actor=request.user, proposal=proposal, authority=form.cleaned_data["authority"],
                    reason=form.cleaned_data["reason"])
            except DomainError as error:
                form.add_error(TRANSFER_ERROR_FIELDS.get(error.code), error.message)
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
        if proposal.author_id != request.user.pk and proposal.status == workflow.Status.RETURNED:
            version = selectors.version_latest(proposal=proposal)
            if attachment.pk not in {item["id"] for item in version.content.get("attachments", [])}:
                raise Http404
        return private_download(attachment.file, filename=attachment.original_name,
                                content_type=attachment.content_type)


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
    """Units whose name holds the words typed, for the search pickers' combobox (proposals.widgets)."""
    units = selectors.unit_search(
        query=request.GET.get("q", ""), authorities_only=request.GET.get("authorities") == "1")
    return JsonResponse({"results": [
        {"id": unit.pk, "name": unit.name,
         "context": ", ".join(str(part) for part in (unit.get_kind_display(), unit.parent) if part)}
        for unit in units]})


@require_GET
def people_search(request):
    """Officials whose name holds the words typed, each with their post, for the person picker: found by name,
    never by username or staff code, neither of which it shows."""
    return JsonResponse({"results": [
        {"id": person.user.pk, "name": person.user.get_full_name(), "context": person.post}
        for person in selectors.people_search(query=request.GET.get("q", ""))]})


class OfficialRecordView(View):
    """One's own record; Home Affairs and administrators may open anyone's (?user=<id>)."""

    def get(self, request):
        official = request.user
        wanted = request.GET.get("user")
        if wanted and wanted != str(request.user.pk):
            if not can_monitor_city(request.user) or not wanted.isdigit():
                raise Http404
            official = get_object_or_404(User, pk=int(wanted))
        record = selectors.official_record(official=official, reader=request.user)
        services.protections_shown(user=request.user, protections=record["protections"], what="record")
        name = f"ho-so-doi-moi-{official.username}"
        if request.GET.get("format") == "pdf":
            return private_download(record_pdf(record), filename=f"{name}.pdf", content_type="application/pdf")
        if request.GET.get("format") == "xlsx":
            return private_download(
                record_xlsx(record), filename=f"{name}.xlsx",
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        return render(request, "proposals/record.html", {**record, "other": official != request.user})


class ReviewInboxView(View):
    def get(self, request):
        form = InboxFilterForm(request.GET or None, user=request.user)
        filters = form.filters() if form.is_valid() else selectors.InboxFilters()
        page = _page(request, selectors.proposal_inbox_for_reviewer(user=request.user, filters=filters))
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, "proposals/inbox.html", {"page": page, "form": form, "query": query.urlencode()})
