from django.urls import path

from planwatch.web.views import ingest as v

urlpatterns = [
    path("nhap-van-ban/", v.ingest_upload, name="ingest_upload"),
    path("nhap-van-ban/<int:pk>/", v.ingest_job, name="ingest_job"),
    path("nhap-van-ban/<int:pk>/trang-thai/", v.ingest_status, name="ingest_status"),
    path("nhap-van-ban/<int:pk>/sua-o/", v.ingest_cell, name="ingest_cell"),
    path("nhap-van-ban/<int:pk>/chon-co-quan/", v.ingest_org, name="ingest_org"),
    path("nhap-van-ban/<int:pk>/doi-chieu/", v.ingest_align, name="ingest_align"),
    path("nhap-van-ban/<int:pk>/bo-chinh-sua/", v.ingest_reset, name="ingest_reset"),
    path("nhap-van-ban/<int:pk>/ap-dung/", v.ingest_apply, name="ingest_apply"),
]
