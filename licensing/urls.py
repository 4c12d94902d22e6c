"""Web UI URLs of this app."""
from django.urls import path  # noqa: F401

from . import views  # noqa: F401

app_name = __name__.split(".")[0]
urlpatterns = []
