from django.urls import path

from planwatch.web.views import monitoring as v

urlpatterns = [
    path("giam-sat/", v.monitoring_home, name="monitoring_home"),
    path("giam-sat/don-vi/<int:pk>/", v.overview, name="monitoring_overview"),
    path("giam-sat/don-vi/<int:pk>/nhiem-vu/", v.task_list, name="monitoring_tasks"),
    path("giam-sat/don-vi/<int:pk>/nhiem-vu/<int:task_pk>/", v.task_unit, name="monitoring_task_unit"),
    path("giam-sat/don-vi/<int:pk>/chi-tieu/", v.indicator_list, name="monitoring_indicators"),
    path("giam-sat/don-vi/<int:pk>/bao-cao/", v.reporting_list, name="monitoring_reporting"),
    path("giam-sat/chi-tieu/<int:pk>/du-lieu.json", v.indicator_data, name="monitoring_indicator_data"),
]
