"""URL configuration of the FIT-Store."""
from django.contrib import admin
from django.urls import include, path

from api.views import GraphQLView

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(".well-known/jwks.json", views.jwks, name="jwks"),
    path("graphql/", GraphQLView.as_view(), name="graphql"),
    path("accounts/login/", views.ThrottledLoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("store.urls")),
    path("", include("directory.urls")),
]
