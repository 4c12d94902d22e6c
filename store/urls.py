"""Web UI URLs of this app."""
from django.urls import path

from . import views

app_name = __name__.split(".")[0]
urlpatterns = [
    path("katalog/", views.OnlineServiceListView.as_view(), name="online_service_list"),
    path("katalog/<slug:slug>/", views.OnlineServiceDetailView.as_view(), name="online_service_detail"),
]
