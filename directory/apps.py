from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Directory")

    def ready(self):
        from fitstore import audit
        from store.models import OnlineService

        from . import routing, search  # noqa: F401  (search: registers the app's index, once, before any request)

        # Routing answers are cached under the change counter: each committed write to what they
        # are made of (the directory, the online services they name) moves it.
        audit.on_commit_of(routing.bump_change_counter, apps=[self.label], models=[OnlineService])
