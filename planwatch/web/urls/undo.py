from django.urls import path

from planwatch.web.views import undo as v

# Under "hoan-tac/" so that nothing collides with bao-cao/<pk>/<action>/.
urlpatterns = [
    path("hoan-tac/minh-chung/<int:pk>/", v.evidence_restore, name="evidence_restore"),
    path("hoan-tac/bao-cao/<int:pk>/rut-lai/", v.report_withdraw_submit, name="report_withdraw_submit"),
    path("hoan-tac/bao-cao/<int:pk>/huy-tiep-nhan/", v.report_accept_undo, name="report_accept_undo"),
    path("hoan-tac/ky-bao-cao/<int:pk>/rut-lai/", v.period_withdraw, name="period_withdraw"),
]
