"""App configuration of the shared mechanisms."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FitstoreConfig(AppConfig):
    name = "fitstore"
    verbose_name = _("FIT-Store platform")

    def ready(self):
        from . import checks  # noqa: F401  (registers the deploy checks)
        from . import auth  # noqa: F401  (records sign-in, sign-out and failed sign-ins in the audit log)
        from .search import analysis

        analysis.load_dictionaries()  # once, before any thread searches
