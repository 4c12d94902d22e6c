"""Admin pages of the directory. States and regions are reference data: read-only here;
authorities, endpoints and responsibilities are written through directory.services (audited)."""
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fitstore.admin import ReadOnlyAdmin

from . import services
from .models import (
    Authority, Endpoint, KoenigsteinShare, MirroredConnection, MirrorState, Region, Responsibility, State,
    TrustedKeySet, WebhookDelivery, WebhookSubscription,
)


class WriteThroughServicesAdmin(admin.ModelAdmin):
    """save_model calls the page's services (`write`); when one refuses, the object was not saved:
    back to the form with the service's message instead of a page of an object that does not exist."""

    def write(self, request, obj, data: dict, change: bool) -> None:
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        try:
            self.write(request, obj, form.cleaned_data, change)
        except ValidationError as error:
            self.message_user(request, "; ".join(error.messages), messages.ERROR)

    def response_add(self, request, obj, post_url_continue=None):
        if obj.pk is None:
            return HttpResponseRedirect(request.path)
        return super().response_add(request, obj, post_url_continue)


def deactivate_action(service, description):
    """An admin action that deactivates the selected active objects through `service`."""
    @admin.action(description=description)
    def deactivate(modeladmin, request, queryset):
        for obj in queryset.filter(active=True):
            service(obj, actor=request.user)

    return deactivate


class KoenigsteinShareInline(admin.TabularInline):
    model = KoenigsteinShare
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(State)
class StateAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "ars", "population", "is_city_state")
    search_fields = ("code", "name")
    inlines = [KoenigsteinShareInline]


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ("ars", "name", "level", "state", "population", "postcode")
    list_filter = ("level", "state")
    search_fields = ("ars", "name", "postcode")
    list_select_related = ("state",)
    show_full_result_count = False


class EndpointInline(admin.TabularInline):
    model = Endpoint
    extra = 0
    can_delete = False
    fields = ("kind", "address", "destination_id", "certificate_not_after", "active")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Authority)
class AuthorityAdmin(WriteThroughServicesAdmin):
    list_display = ("identifier", "name", "kind", "state", "region", "active", "origin")
    list_filter = ("active", "kind", "state")
    search_fields = ("identifier", "name")
    list_select_related = ("state", "region")
    raw_id_fields = ("region",)
    fields = ("identifier", "name", "kind", "state", "region", "active", "origin")
    readonly_fields = ("active", "origin")
    inlines = [EndpointInline]
    actions = [deactivate_action(services.deactivate_authority, _("Deactivate the selected authorities"))]

    def get_readonly_fields(self, request, obj=None):
        return (*self.readonly_fields, "identifier", "state") if obj else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False  # authorities are deactivated: the change feed and mirrors keep them

    def write(self, request, obj, data, change):
        if change:
            services.update_authority(obj, name=data["name"], ars=data["region"].ars, kind=data["kind"],
                                      actor=request.user)
        else:
            obj.pk = services.register_authority(
                identifier=data["identifier"], name=data["name"], state_code=data["state"].code,
                ars=data["region"].ars, kind=data["kind"], actor=request.user,
            ).pk

    def save_related(self, request, form, formsets, change):
        for formset in formsets:  # the endpoints inline is read-only: registered on their own page
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


@admin.register(Endpoint)
class EndpointAdmin(WriteThroughServicesAdmin):
    list_display = ("authority", "kind", "address", "destination_id", "certificate_not_after", "active")
    list_filter = ("active", "kind")
    search_fields = ("authority__identifier", "authority__name", "address", "certificate_fingerprint_sha256")
    list_select_related = ("authority",)
    raw_id_fields = ("authority",)
    fields = ("authority", "kind", "address", "destination_id", "service_uri", "certificate_pem", "valid_from",
              "valid_until")
    actions = [deactivate_action(services.deactivate_endpoint, _("Deactivate the selected endpoints"))]

    def has_change_permission(self, request, obj=None):
        return obj is None  # an endpoint is registered or deactivated, never edited

    def has_delete_permission(self, request, obj=None):
        return False

    def write(self, request, obj, data, change):
        obj.pk = services.register_endpoint(
            data["authority"], kind=data["kind"], address=data["address"], destination_id=data["destination_id"],
            service_uri=data["service_uri"], certificate_pem=data["certificate_pem"],
            valid_from=data["valid_from"], valid_until=data["valid_until"], actor=request.user,
        ).pk


@admin.register(Responsibility)
class ResponsibilityAdmin(WriteThroughServicesAdmin):
    list_display = ("authority", "service", "nationwide")
    list_filter = ("nationwide", "authority__state")
    search_fields = ("authority__identifier", "authority__name", "service__leika_key", "service__name")
    list_select_related = ("authority", "service")
    raw_id_fields = ("authority", "service", "regions")
    fields = ("authority", "service", "regions", "nationwide")

    def get_readonly_fields(self, request, obj=None):
        return ("authority", "service") if obj else ()

    def write(self, request, obj, data, change):
        wanted = {region.ars for region in data["regions"]}
        if change:
            assigned = set(obj.regions.values_list("ars", flat=True))
            if wanted - assigned or (data["nationwide"] and not obj.nationwide):
                services.assign_responsibility(obj.authority, leika_key=obj.service.leika_key,
                                               ars=sorted(wanted - assigned), nationwide=data["nationwide"],
                                               actor=request.user)
            if assigned - wanted:
                services.withdraw_responsibility(obj.authority, leika_key=obj.service.leika_key,
                                                 ars=sorted(assigned - wanted), actor=request.user)
        else:
            obj.pk = services.assign_responsibility(
                data["authority"], leika_key=data["service"].leika_key, ars=sorted(wanted),
                nationwide=data["nationwide"], actor=request.user,
            ).pk

    def save_related(self, request, form, formsets, change):
        pass  # the regions were written by the service

    def delete_model(self, request, obj):
        services.withdraw_responsibility(obj.authority, leika_key=obj.service.leika_key, actor=request.user)

    def delete_queryset(self, request, queryset):
        for responsibility in queryset.select_related("authority", "service"):
            self.delete_model(request, responsibility)


# --- federation: read-only views of the mirror's state and the webhook queue ----------------------

@admin.register(MirrorState)
class MirrorStateAdmin(ReadOnlyAdmin):
    list_display = ("source", "state_code", "cursor", "changes_applied", "last_synced_at", "last_refused_at")


@admin.register(TrustedKeySet)
class TrustedKeySetAdmin(ReadOnlyAdmin):
    """Whom this node trusts as a mirror: changed by sync_directory (trust anchor, confirmation, rotation)."""

    list_display = ("source", "basis", "updated_at")


@admin.register(MirroredConnection)
class MirroredConnectionAdmin(ReadOnlyAdmin):
    list_display = ("origin", "state", "online_service")
    list_select_related = ("state", "online_service")


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(ReadOnlyAdmin):
    """Subscriptions are made and ended through the API (audited); the secret is never shown."""

    list_display = ("callback_url", "owner", "state", "status", "last_delivered_at", "last_error")
    list_filter = ("status", "state")
    exclude = ("secret",)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("delivery_id", "subscription", "change_id", "status", "attempts", "last_status_code",
                    "next_attempt_at")
    list_filter = ("status",)
    list_select_related = ("subscription",)
