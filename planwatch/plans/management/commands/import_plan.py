import json

from django.core.management.base import BaseCommand, CommandError

from planwatch.plans.interchange import InterchangeError, import_plan


class Command(BaseCommand):
    help = "Nhập một kế hoạch từ tệp JSON định dạng planwatch-plan. Lỗi nào cũng hủy toàn bộ lần nhập."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--replace", action="store_true", help="cập nhật kế hoạch đã có cùng mã")

    def handle(self, path, replace=False, **opts):
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
        except OSError as e:
            raise CommandError(f"Không mở được tệp {path}: {e.strerror}") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise CommandError(f"Tệp {path} không phải JSON hợp lệ: {e}") from None
        try:
            plan = import_plan(data, replace=replace)
        except InterchangeError as e:
            raise CommandError(str(e)) from None
        self.stdout.write(
            f"Đã nhập kế hoạch {plan.code}: {plan.indicators.count()} chỉ tiêu, {plan.tasks.count()} nhiệm vụ"
        )
