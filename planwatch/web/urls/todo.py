from django.urls import path

from planwatch.web.views import todo as v

urlpatterns = [
    path("tiep-nhan/", v.accept_queue, name="accept_queue"),
]
