"""The ranking tab of monitoring (thi đua). Registered before "monitoring" so that this view
answers the tab's address (the same name, monitoring_ranking)."""

from django.urls import path

from planwatch.web.views import ranking as v

urlpatterns = [
    path("giam-sat/don-vi/<int:pk>/xep-hang/", v.ranking_view, name="monitoring_ranking"),
]
