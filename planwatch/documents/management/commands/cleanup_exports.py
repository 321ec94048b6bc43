"""Delete finished export jobs (done or failed) older than N days, with their files.

    uv run python manage.py cleanup_exports [--days 30]

Safe to run daily (cron or Celery beat): it removes only what is old enough and says what."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from planwatch.documents.services import ExportError, cleanup_exports
from planwatch.lib.numbers import format_vn_number


class Command(BaseCommand):
    help = "Xóa các lượt xuất báo cáo đã xong (hoặc lỗi) cũ hơn N ngày cùng tệp của chúng"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="xóa lượt xuất kết thúc trước đây hơn N ngày (mặc định 30)")

    def handle(self, *args, days: int, **options):
        try:
            result = cleanup_exports(days=days)
        except ExportError as e:
            raise CommandError(str(e)) from e
        if not result.removed:
            self.stdout.write(f"Không có lượt xuất báo cáo nào kết thúc trước đây hơn {days} ngày.")
            return
        for line in result.removed:
            self.stdout.write(f"Đã xóa: {line}")
        self.stdout.write(
            f"Tổng cộng: đã xóa {len(result.removed)} lượt xuất báo cáo và {result.files} tệp "
            f"({format_vn_number(result.bytes)} byte) cũ hơn {days} ngày."
        )
