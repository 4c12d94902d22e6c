"""Admin pages of the directory. States and regions are reference data: read-only here."""
from django.contrib import admin

from fitstore.admin import ReadOnlyAdmin

from .models import KoenigsteinShare, Region, State


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
