"""Admin pages of the shared mechanisms. Writes go through fitstore.services (audited)."""
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .models import ApiToken, AuditEntry, RoleAssignment


class ReadOnlyAdmin(admin.ModelAdmin):
    """Reference data and logs: browsable, not editable through the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "state", "online_service", "granted_at")
    list_filter = ("role", "state")
    search_fields = ("user__username", "online_service__slug")
    autocomplete_fields = ("user",)
    fields = ("user", "role", "state", "online_service")

    def has_change_permission(self, request, obj=None):
        return obj is None  # a role is granted or revoked, never edited

    def save_model(self, request, obj, form, change):
        try:
            assignment, _created = services.grant_role(
                obj.user, obj.role, state=obj.state, online_service=obj.online_service, actor=request.user
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        obj.pk = assignment.pk

    def delete_model(self, request, obj):
        services.revoke_role(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for assignment in queryset:
            services.revoke_role(assignment, actor=request.user)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "name", "user", "created_at", "last_used_at", "expires_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("prefix", "name", "user__username")
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at")
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # `manage.py issue_token` shows the token once

    def has_delete_permission(self, request, obj=None):
        return False  # revoked tokens stay for the audit trail

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True):
            services.revoke_token(token, actor=request.user)
            revoked += 1
        self.message_user(request, _("%(count)d tokens revoked.") % {"count": revoked}, messages.SUCCESS)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_label", "verb", "action", "object_type", "object_repr", "request_id")
    list_filter = ("action", "verb", "object_type")
    search_fields = ("actor_label", "object_repr", "object_id", "request_id")
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
