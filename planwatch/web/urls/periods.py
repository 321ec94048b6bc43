"""Periods and "Không thuộc phạm vi" requests (web.views.periods). Paths kept clear of
bao-cao/<pk>/<action>/."""

from django.urls import path

from planwatch.web.views import periods as v

urlpatterns = [
    path("pham-vi/", v.relief_list, name="relief_list"),
    path("pham-vi/<int:pk>/", v.relief_detail, name="relief_detail"),
    path("pham-vi/<int:pk>/quyet-dinh/", v.relief_decide, name="relief_decide"),
    path("pham-vi/de-nghi/<int:report_pk>/<int:task_pk>/", v.relief_new, name="relief_new"),
]
