from django.urls import include, path

from planwatch.web.views import periods as pv
from planwatch.web.views import reporting as v

urlpatterns = [
    path("", include("planwatch.web.urls.periods")),
    path("bao-cao/", pv.my_reports, name="my_reports"),
    path("bao-cao/ky/<int:period_pk>/cua-toi/", v.report_current, name="report_current"),
    path("bao-cao/<int:pk>/", v.report_detail, name="report_detail"),
    path("bao-cao/<int:pk>/tu-luu/", v.report_autosave, name="report_autosave"),
    path("bao-cao/<int:pk>/minh-chung/", v.evidence_upload, name="evidence_upload"),
    path("bao-cao/<int:pk>/<slug:action>/", v.report_action, name="report_action"),
    path("minh-chung/<int:pk>/", v.evidence_download, name="evidence_download"),
    path("minh-chung/<int:pk>/xoa/", v.evidence_delete, name="evidence_delete"),
    path("ke-hoach/<int:plan_pk>/ky-bao-cao/", pv.period_list, name="period_list"),
    path("ke-hoach/<int:plan_pk>/ky-bao-cao/mo/", pv.period_open, name="period_open"),
    path("ky-bao-cao/<int:pk>/", pv.period_detail, name="period_detail"),
    path("ky-bao-cao/<int:pk>/nhac/", v.period_remind, name="period_remind"),
    path("thu-di/", v.outbox, name="outbox"),
]
