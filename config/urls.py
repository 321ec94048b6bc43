from django.contrib import admin
from django.urls import include, path

from planwatch.api.api import api

admin.site.site_header = "planwatch – quản trị"
admin.site.site_title = "planwatch"
admin.site.index_title = "Quản trị hệ thống"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("planwatch.web.urls")),
]
