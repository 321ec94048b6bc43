"""Write a report file for a period and an organisation (default: the province's
consolidated report for the demo period), for checks and for people without the UI.

    uv run python manage.py render_report --out /tmp/out [--format docx|xlsx|pdf] [--period PK] [--org CODE]"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from planwatch.documents.selectors import demo_period
from planwatch.documents.services import active_template, build_export, export_filename, template_bytes
from planwatch.orgs.models import Organisation
from planwatch.reporting.models import ReportingPeriod


class Command(BaseCommand):
    help = "Tạo tệp báo cáo (DOCX/XLSX/PDF) cho một kỳ và một đơn vị"

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True)
        parser.add_argument("--format", default="docx", choices=["docx", "xlsx", "pdf"])
        parser.add_argument("--period", type=int)
        parser.add_argument("--org", default="qn")
        parser.add_argument("--date", help="ngày báo cáo yyyy-mm-dd (mặc định: hạn nộp của kỳ)")

    def handle(self, *args, **o):
        period = ReportingPeriod.objects.get(pk=o["period"]) if o["period"] else demo_period()
        if period is None:
            raise CommandError("Chưa có kỳ báo cáo có số liệu: chạy load_demo trước")
        org = Organisation.objects.get(code=o["org"])
        today = date.fromisoformat(o["date"]) if o["date"] else period.due_date
        blob = build_export(period, org, o["format"], today=today, template=template_bytes(active_template()))
        out = Path(o["out"])
        out.mkdir(parents=True, exist_ok=True)
        path = out / export_filename(period, org, o["format"])
        path.write_bytes(blob)
        self.stdout.write(str(path))
