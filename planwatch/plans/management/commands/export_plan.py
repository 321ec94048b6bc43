import json

from django.core.management.base import BaseCommand, CommandError

from planwatch.plans.interchange import export_plan
from planwatch.plans.models import Plan


class Command(BaseCommand):
    help = "Xuất một kế hoạch ra tệp JSON theo định dạng trao đổi planwatch-plan (docs/interchange.md)."

    def add_arguments(self, parser):
        parser.add_argument("code", help="mã kế hoạch, ví dụ qn-327-2025")
        parser.add_argument("-o", "--output", help="tệp đích (mặc định: in ra màn hình)")

    def handle(self, code, output=None, **opts):
        plan = Plan.objects.filter(code=code).first()
        if plan is None:
            known = ", ".join(Plan.objects.values_list("code", flat=True)) or "chưa có"
            raise CommandError(f"Không có kế hoạch mã “{code}”. Các mã hiện có: {known}")
        text = json.dumps(export_plan(plan), ensure_ascii=False, indent=2)
        if output:
            with open(output, "w", encoding="utf-8") as f:
                f.write(text + "\n")
            self.stderr.write(f"Đã xuất {plan.code} vào {output}")
        else:
            self.stdout.write(text)
