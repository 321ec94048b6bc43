"""The consolidated table of a period (registered before "reporting": same path and name as
the old view there, which it replaces)."""

from django.urls import path

from planwatch.web.views import consolidated as v

urlpatterns = [
    path("ky-bao-cao/<int:pk>/tong-hop/", v.period_consolidated, name="period_consolidated"),
]
