"""Admin pages of the shared mechanisms. Writes go through fitstore.services (audited)."""
import json

from django.apps import apps
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, gettext_lazy as _

from . import services
from .models import ApiToken, AuditEntry, RoleAssignment, SigningKey


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


class AppListFilter(admin.SimpleListFilter):
    """The app whose object changed (store, directory, licensing, accounts…)."""

    title = _("app")
    parameter_name = "app"

    def lookups(self, request, model_admin):
        labels = AuditEntry.objects.order_by().values_list("object_type__app_label", flat=True).distinct()
        return [(label, apps.get_app_config(label).verbose_name if label in _app_labels() else label)
                for label in sorted(labels)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(object_type__app_label=self.value())
        return queryset


def _app_labels() -> set[str]:
    return {config.label for config in apps.get_app_configs()}


def _shown(value) -> str:
    if value is None:
        return "—"
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if isinstance(value, (dict, list)) else str(value)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The audit log for operators: filter by app, model, action, actor and date; search by object,
    request id, token or session; each entry shows what changed, field by field. Read-only."""

    list_display = ("at", "actor_label", "action", "verb", "object_type", "object_repr", "attributed_to",
                    "request_id")
    list_filter = (AppListFilter, "object_type", "action", "verb", ("actor", admin.RelatedOnlyFieldListFilter),
                   "at")
    list_select_related = ("object_type", "actor", "token")
    search_fields = ("=object_id", "object_repr", "=request_id", "actor_label", "token_label", "=session_hash")
    search_help_text = _("Object (id or name), request id, actor, API token or session hash.")
    date_hierarchy = "at"
    show_full_result_count = False
    fieldsets = (
        (None, {"fields": ("at", "action", "verb", "object_type", "object_id", "object_repr", "note")}),
        (_("Who"), {"fields": ("actor", "actor_label", "token", "token_label", "session_hash", "client_address",
                                "request_id")}),
        (_("What changed"), {"fields": ("changes", "before", "after")}),
    )
    readonly_fields = [f.name for f in AuditEntry._meta.fields] + ["changes"]

    @admin.display(description=_("through"))
    def attributed_to(self, entry: AuditEntry) -> str:
        if entry.token_label:
            return gettext("token %(token)s") % {"token": entry.token_label}
        if entry.session_hash:
            return gettext("session %(session)s") % {"session": entry.session_hash[:12]}
        if entry.request_id.startswith("cmd-"):
            return gettext("command")
        return "—"

    @admin.display(description=_("changes"))
    def changes(self, entry: AuditEntry):
        before = entry.before if isinstance(entry.before, dict) else {}
        after = entry.after if isinstance(entry.after, dict) else {}
        keys = sorted(key for key in {*before, *after} if before.get(key, None) != after.get(key, None)
                      or (key in before) != (key in after))
        if not keys:
            return gettext("No field changed.")
        rows = format_html_join(
            "", "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>",
            ((key, _shown(before.get(key)) if key in before else "—",
              _shown(after.get(key)) if key in after else "—") for key in keys),
        )
        return format_html(
            "<table><caption>{}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th>"
            "<th scope=\"col\">{}</th></tr></thead><tbody>{}</tbody></table>",
            gettext("Fields that changed"), gettext("Field"), gettext("Before"), gettext("After"), rows,
        )


@admin.register(SigningKey)
class SigningKeyAdmin(ReadOnlyAdmin):
    """The directory's key set: rotated with `manage.py signing_keys` (audited); no private key here."""

    list_display = ("kid", "state", "created_at", "activated_at", "deactivated_at", "retired_at")
    list_filter = ("state",)
