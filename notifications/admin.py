from django.contrib import admin

from notifications.models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: notifications are written by delivery and changed only by their recipient."""

    list_display = ["created_at", "recipient", "category", "title", "read_at", "email_handed_off_at", "emailed_at"]
    list_filter = ["category", ("read_at", admin.EmptyFieldListFilter), ("emailed_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "recipient__username", "recipient__full_name"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "category", "email"]
    list_filter = ["category", "email"]
    search_fields = ["user__username", "user__full_name"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
