"""Admin pages of licensing: browsable, not editable (writes go through licensing.services)."""
from django.contrib import admin

from fitstore.admin import ReadOnlyAdmin

from .models import Accession, FrameworkAgreement, ReuseTerms, Subscription, SubscriptionEvent


@admin.register(FrameworkAgreement)
class FrameworkAgreementAdmin(ReadOnlyAdmin):
    list_display = ("version", "title", "effective_from", "sha256")


@admin.register(Accession)
class AccessionAdmin(ReadOnlyAdmin):
    list_display = ("state", "status", "signatory", "signed_at", "withdrawn_at", "agreement")
    list_filter = ("status",)


@admin.register(ReuseTerms)
class ReuseTermsAdmin(ReadOnlyAdmin):
    list_display = ("online_service", "annual_cost", "one_time_cost", "allocation_key", "license", "operating_model")
    list_filter = ("allocation_key", "operating_model")


class SubscriptionEventInline(admin.TabularInline):
    model = SubscriptionEvent
    fields = ("at", "from_status", "to_status", "actor_label", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = ("state", "online_service", "status", "legal_basis", "requested_at", "confirmed_at", "connected_at",
                    "ended_at")
    list_filter = ("status", "legal_basis", "state")
    list_select_related = ("state", "online_service")
    inlines = [SubscriptionEventInline]
