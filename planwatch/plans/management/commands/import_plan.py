from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from planwatch.lib.dates import parse_vn_date
from planwatch.plans.interchange import InterchangeError, import_plan, load_json
from planwatch.plans.models import Plan
from planwatch.plans.services import diff_as_text, plan_apply_amendment, plan_diff


def _day(text: str | None, option: str) -> date | None:
    if not text:
        return None
    d = parse_vn_date(text)
    if d is None:
        raise CommandError(f"{option}: ngày không hợp lệ “{text}” (cần dạng dd/mm/yyyy)")
    return d


class Command(BaseCommand):
    help = (
        "Nhập một kế hoạch từ tệp JSON định dạng planwatch-plan. Lỗi nào cũng hủy toàn bộ lần nhập. "
        "Với --replace, kế hoạch đã có được điều chỉnh: in bảng so sánh, chỉ áp dụng khi có --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--replace", action="store_true", help="điều chỉnh kế hoạch đã có cùng mã (in bảng so sánh)")
        parser.add_argument("--yes", action="store_true", help="áp dụng điều chỉnh sau khi in bảng so sánh")
        parser.add_argument("--dry-run", action="store_true", help="chỉ in bảng so sánh, không thay đổi gì")
        parser.add_argument("--effective", help="ngày hiệu lực của điều chỉnh, dd/mm/yyyy (mặc định: hôm nay)")
        parser.add_argument("--document", help="số văn bản điều chỉnh, ví dụ 88/QĐ-UBND")
        parser.add_argument("--document-date", help="ngày ban hành văn bản điều chỉnh, dd/mm/yyyy")
        parser.add_argument("--reason", default="", help="lý do điều chỉnh (khi không có văn bản)")

    def handle(self, path, replace=False, yes=False, dry_run=False, effective=None, document=None,
               document_date=None, reason="", **opts):
        try:
            with open(path, "rb") as f:
                raw = f.read()
        except OSError as e:
            raise CommandError(f"Không mở được tệp {path}: {e.strerror}") from None
        try:
            data = load_json(raw)
        except InterchangeError as e:
            raise CommandError(f"Tệp {path}: {e}") from None
        day = _day(effective, "--effective") or timezone.localdate()
        doc_date = _day(document_date, "--document-date")
        try:
            code = data.get("plan", {}).get("code") if isinstance(data, dict) and isinstance(data.get("plan"), dict) else None
            if replace and isinstance(code, str) and Plan.objects.filter(code=code).exists():
                diff = plan_diff(data)
                self.stdout.write(diff_as_text(diff))
                if dry_run:
                    return
                if diff.is_empty:
                    self.stdout.write("Không có thay đổi nào.")
                    return
                if not yes:
                    raise CommandError("Chưa áp dụng: xem bảng so sánh ở trên rồi chạy lại với --yes (hoặc --dry-run để chỉ xem)")
                amending = {"number": document, "date": doc_date.isoformat() if doc_date else None} if document else None
                plan_apply_amendment(
                    data=data, effective=day, document=amending,
                    reason=reason or ("" if document else "Nhập lại kế hoạch từ tệp (thay thế)"),
                    expected_fingerprint=diff.fingerprint,
                )
                plan = Plan.objects.get(code=code)
            else:
                if dry_run:
                    self.stdout.write(diff_as_text(plan_diff(data)))
                    return
                plan = import_plan(data, replace=replace)
        except InterchangeError as e:
            raise CommandError(str(e)) from None
        self.stdout.write(
            f"Đã nhập kế hoạch {plan.code}: {plan.indicators.filter(retired_on=None).count()} chỉ tiêu, "
            f"{plan.tasks.filter(retired_on=None).count()} nhiệm vụ"
        )
