"""Admin pages of licensing."""
from django.contrib import admin

from fitstore.admin import ReadOnlyAdmin

from .models import Accession, FrameworkAgreement


@admin.register(FrameworkAgreement)
class FrameworkAgreementAdmin(ReadOnlyAdmin):
    list_display = ("version", "title", "effective_from", "sha256")


@admin.register(Accession)
class AccessionAdmin(ReadOnlyAdmin):
    list_display = ("state", "status", "signatory", "signed_at", "withdrawn_at", "agreement")
    list_filter = ("status",)
