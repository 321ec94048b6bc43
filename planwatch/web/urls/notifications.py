from django.urls import path

from planwatch.web.views import notifications as v

urlpatterns = [
    path("thong-bao/", v.notification_list, name="notification_list"),
    path("thong-bao/da-doc/", v.notification_mark_read, name="notification_mark_read"),
    path("thong-bao/<int:pk>/mo/", v.notification_open, name="notification_open"),
]
