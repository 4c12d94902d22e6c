"""Web UI URLs of this app (German paths)."""
from django.urls import path

from . import views

app_name = __name__.split(".")[0]
urlpatterns = [
    path("katalog/", views.OnlineServiceListView.as_view(), name="online_service_list"),
    path("katalog/<slug:slug>/", views.OnlineServiceDetailView.as_view(), name="online_service_detail"),
    path("katalog/<slug:slug>/veroeffentlichen/", views.ReleasePublishView.as_view(), name="release_publish"),
    path("katalog/<slug:slug>/bearbeiten/", views.OnlineServiceEditView.as_view(), name="online_service_edit"),
    path("katalog/<slug:slug>/repository/", views.RepositorySetView.as_view(), name="repository_set"),
    path("katalog/<slug:slug>/kriterien/", views.CriterionAssessView.as_view(), name="criterion_assess"),
    path("themen/<str:code>/", views.topic_detail, name="topic_detail"),
    path("lebenslagen/<slug:slug>/", views.life_situation_detail, name="life_situation_detail"),
]
