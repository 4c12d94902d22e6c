"""Web UI URLs of this app (German paths, as the states' staff read them)."""
from django.urls import path

from . import views

app_name = __name__.split(".")[0]
urlpatterns = [
    path("laender/", views.StateListView.as_view(), name="state_list"),
    path("regionen/<str:ars>/", views.RegionDetailView.as_view(), name="region_detail"),
    path("verzeichnis/behoerden/", views.AuthorityListView.as_view(), name="authority_list"),
    path("verzeichnis/behoerden/neu/", views.authority_create, name="authority_create"),
    path("verzeichnis/behoerden/<str:identifier>/", views.AuthorityDetailView.as_view(), name="authority_detail"),
    path("verzeichnis/behoerden/<str:identifier>/bearbeiten/", views.authority_update, name="authority_update"),
    path("verzeichnis/behoerden/<str:identifier>/deaktivieren/", views.authority_deactivate,
         name="authority_deactivate"),
    path("verzeichnis/behoerden/<str:identifier>/adressen/neu/", views.endpoint_create, name="endpoint_create"),
    path("verzeichnis/behoerden/<str:identifier>/zustaendigkeiten/neu/", views.responsibility_assign,
         name="responsibility_assign"),
    path("verzeichnis/behoerden/<str:identifier>/zustaendigkeiten/<str:leika_key>/entziehen/",
         views.responsibility_withdraw, name="responsibility_withdraw"),
    path("verzeichnis/adressen/<int:pk>/deaktivieren/", views.endpoint_deactivate, name="endpoint_deactivate"),
    path("verzeichnis/zustaendigkeit/", views.route_finder, name="route_finder"),
]
