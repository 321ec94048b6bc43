from django.urls import path

from planwatch.web.views import orgs, plans, search

urlpatterns = [
    path("ke-hoach/", plans.plan_list, name="plan_list"),
    path("ke-hoach/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("ke-hoach/<int:pk>/json/", plans.plan_export_json, name="plan_export_json"),
    path("ke-hoach/nhap-json/", plans.plan_import_json, name="plan_import_json"),
    path("ke-hoach/nhap-json/ap-dung/", plans.plan_import_confirm, name="plan_import_confirm"),
    path("chi-tieu/<int:pk>/", plans.indicator_detail, name="indicator_detail"),
    path("nhiem-vu/<int:pk>/", plans.task_detail, name="task_detail"),
    path("to-chuc/", orgs.org_tree, name="org_tree"),
    path("to-chuc/<int:pk>/", orgs.org_detail, name="org_detail"),
    path("tim-kiem/", search.search, name="search"),
]

# "Lịch sử thay đổi" of each plan, task, indicator and organisation (planwatch.audit).
from planwatch.web.views import history  # noqa: E402

urlpatterns += [
    path("ke-hoach/<int:pk>/lich-su/", history.plan_history, name="plan_history"),
    path("nhiem-vu/<int:pk>/lich-su/", history.task_history, name="task_history"),
    path("chi-tieu/<int:pk>/lich-su/", history.indicator_history, name="indicator_history"),
    path("to-chuc/<int:pk>/lich-su/", history.org_history, name="org_history"),
]
