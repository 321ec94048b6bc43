"""URL map. Each area of the UI has its own module so that areas evolve independently."""

import importlib

from django.contrib.auth import views as auth_views
from django.urls import include, path

from planwatch.web.views import core, health

urlpatterns = [
    path("", core.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("planwatch.web.urls.plans")),
]

# Areas built by later capabilities (reporting, monitoring, exports, api) plug in here.
for _area in ("consolidated", "reporting", "ranking", "monitoring", "exports", "ingest", "offline", "todo", "undo", "notifications"):
    try:
        importlib.import_module(f"planwatch.web.urls.{_area}")
    except ModuleNotFoundError:
        continue
    urlpatterns.append(path("", include(f"planwatch.web.urls.{_area}")))
