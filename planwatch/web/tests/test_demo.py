"""The demo loader (`manage.py load_demo`): it ends with the monitoring roll-ups built, so
the first dashboard after `./run` answers without rebuilding them."""

from io import StringIO

from django.core.management import call_command

from planwatch.monitoring.models import TaskState
from planwatch.monitoring.services import ensure_fresh


def test_load_demo_builds_the_rollups_and_says_so_in_vietnamese(demo):
    TaskState.objects.all().delete()  # as on a machine where nothing was built yet
    out = StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    assert "Tính lại bảng tổng hợp giám sát…" in text and "Đã tính lại:" in text
    assert text.index("Tính lại bảng tổng hợp") > text.index("Tạo tài khoản minh họa…")
    assert TaskState.objects.filter(org=demo.thientin).exists()
    # The first dashboard read finds the roll-ups current: no rebuild on the request.
    assert ensure_fresh() is False
