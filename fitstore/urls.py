"""URL configuration of the FIT-Store: the project's composition root, which wires every app's
views in. The import contract (.importlinter) allows it, by name, to import the apps above fitstore."""
from django.contrib import admin
from django.urls import include, path

from api.views import GraphQLView
from directory import fitconnect
from store import views as store_views
from store import views_search

from . import views

handler500 = "fitstore.views.server_error"

urlpatterns = [
    path("", store_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("suche/vorschlaege", views_search.suggestions, name="search_suggestions"),
    path(".well-known/jwks.json", views.jwks, name="jwks"),
    path("graphql/", GraphQLView.as_view(), name="graphql"),
    path("fit-connect/v1/routes", fitconnect.routes_view, name="fitconnect_routes"),
    path("fit-connect/v1/areas", fitconnect.areas_view, name="fitconnect_areas"),
    path("fit-connect/v1/info", fitconnect.info_view, name="fitconnect_info"),
    path("fit-connect/v1/openapi.yaml", fitconnect.openapi_view, name="fitconnect_openapi"),
    path("accounts/login/", views.ThrottledLoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("store.urls")),
    path("", include("directory.urls")),
    path("", include("licensing.urls")),
]
