"""Web UI URLs of this app."""
from django.urls import path

from . import views

app_name = __name__.split(".")[0]
urlpatterns = [
    path("laender/", views.StateListView.as_view(), name="state_list"),
    path("regionen/<str:ars>/", views.RegionDetailView.as_view(), name="region_detail"),
]
