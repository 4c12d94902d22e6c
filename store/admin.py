"""Admin pages of the store. The OZG catalogue is reference data (read-only here); online
services are written through store.services, so every admin change is audited."""
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from fitstore.admin import ReadOnlyAdmin

from . import services
from .models import LeikaService, LifeSituation, OnlineService, OzgService, Topic


@admin.register(Topic)
class TopicAdmin(ReadOnlyAdmin):
    list_display = ("code", "name")
    search_fields = ("name",)


@admin.register(LifeSituation)
class LifeSituationAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "topic")
    list_filter = ("topic",)
    search_fields = ("name",)


@admin.register(OzgService)
class OzgServiceAdmin(ReadOnlyAdmin):
    list_display = ("ozg_id", "name", "life_situation", "topic")
    list_filter = ("topic",)
    search_fields = ("ozg_id", "name")


@admin.register(LeikaService)
class LeikaServiceAdmin(ReadOnlyAdmin):
    list_display = ("leika_key", "name", "leika_type", "ozg_service")
    list_filter = ("leika_type", "sdg_relevant")
    search_fields = ("leika_key", "name", "ozg_service__name")
    list_select_related = ("ozg_service",)


@admin.register(OnlineService)
class OnlineServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "provider_state", "lifecycle", "maturity_level", "is_demo")
    list_filter = ("lifecycle", "provider_state", "is_demo", "topic")
    search_fields = ("name", "slug", "summary")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("services",)
    filter_horizontal = ("life_situations",)
    list_select_related = ("provider_state",)

    def get_readonly_fields(self, request, obj=None):
        return ("slug",) if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False  # online services are retired (lifecycle), not deleted

    def save_model(self, request, obj, form, change):
        # The form's many-to-many values are passed to the service; save_related must not redo it.
        data = {name: form.cleaned_data[name] for name in services.SCALAR_FIELDS if name in form.cleaned_data}
        many = {name: form.cleaned_data[name] for name in services.MANY_FIELDS if name in form.cleaned_data}
        try:
            if change:
                services.update_online_service(obj, actor=request.user, **data, **many)
            else:
                created = services.register_online_service(slug=obj.slug, actor=request.user, **data, **many)
                obj.pk = created.pk
        except ValidationError as error:
            self.message_user(request, "; ".join(error.messages), messages.ERROR)

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
