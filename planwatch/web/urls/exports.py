from django.urls import path

from planwatch.web.views import exports as v

urlpatterns = [
    path("xuat-bao-cao/", v.export_home, name="export_home"),
    path("xuat-bao-cao/mau-mac-dinh.docx", v.default_template_download, name="export_default_template"),
    path("xuat-bao-cao/<int:pk>/", v.export_job, name="export_job"),
    path("xuat-bao-cao/<int:pk>/trang-thai/", v.export_job_status, name="export_job_status"),
    path("xuat-bao-cao/<int:pk>/tai-ve/", v.export_download, name="export_download"),
]
