from django.contrib import admin
from django.db.models import Q

from proposals.models import Proposal, ProposalEvent, ProposalRouting, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyInline):
    model = ProposalEvent
    fields = ["created_at", "kind", "actor", "from_status", "to_status", "details"]
    readonly_fields = fields


class RoutingInline(ReadOnlyInline):
    model = ProposalRouting
    fields = ["created_at", "kind", "authority", "rule", "reason", "actor", "is_current"]
    readonly_fields = fields


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    """Read-only: every change to a proposal goes through the services (and the portal's pages)."""

    list_display = ["reference", "title", "status", "author", "deciding_authority", "submitted_at", "review_due_date"]
    list_filter = ["status", "submitter_category", "deciding_authority__kind", "topic"]
    list_select_related = ["author", "deciding_authority"]
    search_fields = ["reference", "title", "author__full_name", "author__username"]
    date_hierarchy = "created_at"
    inlines = [RoutingInline, EventInline]
    show_full_result_count = False

    def get_queryset(self, request):
        # A draft that was never submitted belongs to its author alone, administrators included.
        return super().get_queryset(request).filter(Q(submitted_at__isnull=False) | Q(author=request.user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
