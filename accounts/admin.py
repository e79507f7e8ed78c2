"""Django admin for the organisation: people, units (a dated tree), posts and authority memberships.

Every changelist names its joins in `list_select_related` (or annotates what it shows), so a page runs
a fixed number of queries however many rows it lists; tests/accounts/test_views.py holds them to it.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Collate
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import AuthorityMembership, OrganisationUnit, Post, SingleSignOnAttempt, User, today
from portal.admin import AutocompleteFields


# --- list filters -----------------------------------------------------------------------------------


class ValidityListFilter(admin.SimpleListFilter):
    """Current / ended / not yet valid, for any model with `valid_from` and `valid_to`."""

    title = _("hiệu lực")
    parameter_name = "hieu_luc"

    def lookups(self, request, model_admin):
        return [
            ("current", _("Đang hiệu lực")),
            ("ended", _("Đã hết hiệu lực")),
            ("future", _("Chưa đến ngày hiệu lực")),
        ]

    def queryset(self, request, queryset):
        on = today()
        if self.value() == "current":
            return queryset.filter(Q(valid_from__lte=on), Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        if self.value() == "ended":
            return queryset.filter(valid_to__lt=on)
        if self.value() == "future":
            return queryset.filter(valid_from__gt=on)
        return queryset


class ManagingAuthorityKindFilter(admin.SimpleListFilter):
    title = _("loại cơ quan quản lý")
    parameter_name = "loai_co_quan_quan_ly"

    def lookups(self, request, model_admin):
        return [(kind.value, kind.label) for kind in OrganisationUnit.AUTHORITY_KINDS]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(managing_authority__kind=self.value())
        return queryset


class AuthorityKindFilter(ManagingAuthorityKindFilter):
    title = _("loại cơ quan có thẩm quyền")
    parameter_name = "loai_co_quan"

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(authority__kind=self.value())
        return queryset


class HasCurrentPostFilter(admin.SimpleListFilter):
    title = _("chức vụ hiện tại")
    parameter_name = "co_chuc_vu"

    def lookups(self, request, model_admin):
        return [("yes", _("Có chức vụ chính hiện tại")), ("no", _("Không có chức vụ chính hiện tại"))]

    def queryset(self, request, queryset):
        current = Post.objects.current().principal().values("user_id")
        if self.value() == "yes":
            return queryset.filter(pk__in=current)
        if self.value() == "no":
            return queryset.exclude(pk__in=current)
        return queryset


# --- posts: forms -----------------------------------------------------------------------------------


class PostInlineFormSet(forms.BaseInlineFormSet):
    """`Post.clean()` compares a row with the database only; rows sent together are compared here."""

    def clean(self):
        super().clean()
        periods = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("is_principal") or not data.get("valid_from"):
                continue
            start, end = data["valid_from"], data.get("valid_to")
            for other_start, other_end in periods:
                if (end is None or other_start <= end) and (other_end is None or start <= other_end):
                    form.add_error("is_principal", _("Người này đã có chức vụ chính trong khoảng thời gian này."))
                    break
            periods.append((start, end))


# --- users ------------------------------------------------------------------------------------------


class PostInline(AutocompleteFields, admin.TabularInline):
    model = Post
    formset = PostInlineFormSet
    fk_name = "user"
    extra = 0
    fields = ("title", "unit", "category", "managing_authority", "is_head", "is_principal", "valid_from", "valid_to")
    autocomplete_fields = ("unit", "managing_authority")
    verbose_name = _("chức vụ")
    verbose_name_plural = _("các chức vụ")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit", "managing_authority")


class MembershipInline(AutocompleteFields, admin.TabularInline):
    model = AuthorityMembership
    fk_name = "user"
    extra = 0
    fields = ("authority", "role", "valid_from", "valid_to")
    autocomplete_fields = ("authority",)
    verbose_name = _("thành viên cơ quan có thẩm quyền")
    verbose_name_plural = _("thành viên các cơ quan có thẩm quyền")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("authority")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cá nhân"), {"fields": ("full_name", "email", "employee_code")}),
        (_("Quyền"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Thời điểm"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {
            "classes": ("wide",),
            "fields": ("username", "full_name", "email", "employee_code", "usable_password", "password1", "password2"),
        }),
    )
    list_display = ("username", "full_name", "email", "employee_code", "current_post", "is_active", "is_staff")
    list_filter = (HasCurrentPostFilter, "is_active", "is_staff", "is_superuser", "groups")
    search_fields = ("username", "full_name", "email", "employee_code")
    ordering = ("username",)
    inlines = (PostInline, MembershipInline)

    def get_queryset(self, request):
        # The current principal post is annotated rather than fetched per row: one query per page.
        current = Post.objects.current().principal().filter(user=OuterRef("pk"))
        return super().get_queryset(request).annotate(
            current_post_title=Subquery(current.values("title")[:1]),
            current_post_unit=Subquery(current.values("unit__name")[:1]),
        )

    @admin.display(description=_("chức vụ hiện tại"))
    def current_post(self, obj):
        if not getattr(obj, "current_post_title", None):
            return "—"
        return f"{obj.current_post_title} — {obj.current_post_unit}"


# --- organisation units -----------------------------------------------------------------------------


class OrganisationUnitAdminForm(forms.ModelForm):
    """Every field that `OrganisationUnit.clean()` may name is on the form, so the model's own checks
    (no cycle in the tree, validity inside the parent's, a successor only for an ended unit) run on
    save through ModelForm's `_post_clean()` → `full_clean()` and come back as field errors."""

    class Meta:
        model = OrganisationUnit
        fields = ("name", "short_name", "abbreviation", "code", "kind", "local_level", "parent", "valid_from",
                  "valid_to", "successor")


@admin.register(OrganisationUnit)
class OrganisationUnitAdmin(AutocompleteFields, admin.ModelAdmin):
    form = OrganisationUnitAdminForm
    list_display = ("indented_name", "code", "kind", "local_level", "parent", "valid_from", "valid_to",
                    "is_current", "successor")
    list_display_links = ("indented_name",)
    list_filter = ("kind", "local_level", ValidityListFilter)
    list_select_related = ("parent", "successor")
    search_fields = ("name", "short_name", "code")
    autocomplete_fields = ("parent", "successor")
    readonly_fields = ("path",)
    # The materialised path sorts a subtree right after its root; "C" collation compares bytes, so
    # "/1/10/" < "/1/2/" on every server whatever its locale.
    ordering = (Collate(F("path"), "C").asc(),)
    list_per_page = 100
    fieldsets = (
        (None, {"fields": ("name", "short_name", "abbreviation", "code", "kind", "local_level", "parent")}),
        (_("Hiệu lực và kế thừa"), {"fields": ("valid_from", "valid_to", "successor")}),
        (_("Kỹ thuật"), {"classes": ("collapse",), "fields": ("path",)}),
    )

    @admin.display(description=_("tên"), ordering=Collate(F("path"), "C"))
    def indented_name(self, obj):
        return format_html(
            '<span style="padding-left: {}em">{}{}</span>',
            obj.depth * 1.5, "└ " if obj.depth else "", obj.name,
        )

    @admin.display(description=_("đang hiệu lực"), boolean=True)
    def is_current(self, obj):
        return obj.is_valid_on(today())


# --- posts and memberships --------------------------------------------------------------------------


@admin.register(Post)
class PostAdmin(AutocompleteFields, admin.ModelAdmin):
    list_display = ("user", "title", "unit", "category", "managing_authority", "is_head", "is_principal",
                    "valid_from", "valid_to")
    list_filter = ("category", "is_head", "is_principal", ManagingAuthorityKindFilter, ValidityListFilter)
    list_select_related = ("user", "unit", "managing_authority")
    search_fields = ("user__username", "user__full_name", "user__employee_code", "title", "unit__name",
                     "managing_authority__name")
    autocomplete_fields = ("user", "unit", "managing_authority")
    date_hierarchy = "valid_from"


@admin.register(AuthorityMembership)
class AuthorityMembershipAdmin(AutocompleteFields, admin.ModelAdmin):
    list_display = ("user", "authority", "role", "valid_from", "valid_to")
    list_filter = ("role", AuthorityKindFilter, ValidityListFilter)
    list_select_related = ("user", "authority")
    search_fields = ("user__username", "user__full_name", "user__employee_code", "authority__name",
                     "authority__code")
    autocomplete_fields = ("user", "authority")


@admin.register(SingleSignOnAttempt)
class SingleSignOnAttemptAdmin(admin.ModelAdmin):
    """The record of sign-ins through the identity provider: read, never written by hand."""

    list_display = ("at", "outcome", "staff_code", "email", "user", "client_address", "detail")
    list_filter = ("outcome",)
    search_fields = ("staff_code", "email", "subject", "client_address")
    date_hierarchy = "at"
    list_select_related = ("user",)
    show_full_result_count = False  # a count of every sign-in would scan the table on each page

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
