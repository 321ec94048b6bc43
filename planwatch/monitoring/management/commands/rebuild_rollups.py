from django.core.management.base import BaseCommand

from planwatch.monitoring.services import rebuild_rollups


class Command(BaseCommand):
    help = "Tính lại toàn bộ bảng tổng hợp giám sát từ các báo cáo đã tiếp nhận"

    def handle(self, *args, **options):
        rebuild_rollups(stdout=self.stdout)
