from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.admin import AutocompleteFields
from routing.models import CalendarDay, RoutingFailure, RoutingRule


@admin.register(RoutingRule)
class RoutingRuleAdmin(AutocompleteFields, admin.ModelAdmin):
    list_display = ["priority", "name", "submitter_category", "decree73_subject", "authority_kind",
                    "submitter_heads_authority", "spans_several_units", "target", "target_unit", "valid_from", "valid_to"]
    list_display_links = ["name"]
    list_filter = ["target", "authority_kind", "submitter_category"]
    list_select_related = ["target_unit"]
    search_fields = ["name", "reason"]
    autocomplete_fields = ["target_unit"]
    fieldsets = [
        (None, {"fields": ["name", "priority", ("valid_from", "valid_to")]}),
        (_("Điều kiện áp dụng"), {"fields": ["submitter_category", "decree73_subject", "authority_kind",
                                              "submitter_heads_authority", "spans_several_units"]}),
        (_("Cơ quan quyết định"), {"fields": ["target", "target_unit", "reason"]}),
    ]


@admin.register(RoutingFailure)
class RoutingFailureAdmin(admin.ModelAdmin):
    list_display = ["created_at", "proposal_reference", "submitter", "message", "resolved"]
    list_filter = ["resolved"]
    list_select_related = ["submitter"]
    search_fields = ["proposal_reference", "submitter__username", "submitter__full_name"]
    readonly_fields = ["created_at", "proposal_reference", "submitter", "profile", "message"]
    fields = ["created_at", "proposal_reference", "submitter", "profile", "message", "resolved"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    search_fields = ["name"]
    date_hierarchy = "date"
