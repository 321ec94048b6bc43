from django.urls import path

from planwatch.web.views import offline as v

# Not under bao-cao/<pk>/…: that prefix belongs to the report's workflow actions.
urlpatterns = [
    path("bao-cao-excel/<int:pk>/tai-ve/", v.offline_download, name="offline_download"),
    path("bao-cao-excel/<int:pk>/tai-len/", v.offline_upload, name="offline_upload"),
    path("bao-cao-excel/<int:pk>/ap-dung/", v.offline_apply, name="offline_apply"),
]
