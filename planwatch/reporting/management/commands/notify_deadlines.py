"""Send the "Sắp đến hạn nộp báo cáo" notices now (what the daily Celery beat job does):
`python manage.py notify_deadlines [--days 3] [--date dd/mm/yyyy]`. Safe to run again: a
unit is told once per period."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from planwatch.reporting.notices import notice_days, notify_deadlines


class Command(BaseCommand):
    help = "Thông báo sắp đến hạn nộp báo cáo cho các đơn vị chưa gửi"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="số ngày trước hạn (mặc định PLANWATCH_DEADLINE_NOTICE_DAYS)")
        parser.add_argument("--date", default=None, help="coi như hôm nay là ngày này (dd/mm/yyyy)")

    def handle(self, *args, days=None, date=None, **opts):
        today = None
        if date:
            try:
                today = datetime.strptime(date, "%d/%m/%Y").date()
            except ValueError as e:
                raise CommandError("Ngày phải viết dạng dd/mm/yyyy") from e
        days = notice_days() if days is None else days
        r = notify_deadlines(today, days=days)
        self.stdout.write(
            f"{r.periods} kỳ báo cáo đến hạn trong {days} ngày tới: đã thông báo {r.units} đơn vị "
            f"({r.people} người trong ứng dụng, {r.emails} thư điện tử)."
        )
