from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LicensingConfig(AppConfig):
    name = "licensing"
    verbose_name = _("Licensing")

    def ready(self):
        # Licensing fills the extension points of the apps below it, which never import it.
        from directory import routing
        from fitstore import audit
        from store import extensions

        from . import panels, reuse
        from .models import Subscription

        extensions.register_reuse(reuse)
        extensions.online_service_page.register(panels.reuse_panel)
        # A route names the online service its region's state is connected to (reuse.online_service_for).
        audit.on_commit_of(routing.bump_change_counter, models=[Subscription])
