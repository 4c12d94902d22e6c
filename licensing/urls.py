"""Web UI URLs of this app (German paths, as the states' staff read them)."""
from django.urls import path

from . import views

app_name = __name__.split(".")[0]
urlpatterns = [
    path("land/<str:code>/", views.state_workspace, name="state_workspace"),
    path("land/<str:code>/beitritt/", views.join_store, name="join_store"),
    path("land/<str:code>/austritt/", views.withdraw_from_store, name="withdraw_from_store"),
    path("katalog/<slug:slug>/nachnutzung/", views.subscribe, name="subscribe"),
    path("katalog/<slug:slug>/nachnutzungsbedingungen/", views.set_reuse_terms, name="set_reuse_terms"),
    path("nachnutzungen/<int:pk>/anschliessen/", views.connect_subscription, name="connect_subscription"),
    path("nachnutzungen/<int:pk>/beenden/", views.terminate_subscription, name="terminate_subscription"),
    path("nachnutzungen/<int:pk>/vereinbarung/", views.agreement, name="agreement"),
    path("nachnutzungen/<int:pk>/vereinbarung.pdf", views.agreement_pdf, name="agreement_pdf"),
    path("posteingang/", views.inbox, name="inbox"),
    path("posteingang/<int:pk>/", views.decide_subscription, name="decide_subscription"),
]
