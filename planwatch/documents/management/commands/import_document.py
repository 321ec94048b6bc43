"""python manage.py import_document FILE [--dry-run] [--json OUT] [--apply] [--plan CODE]
[--effective dd/mm/yyyy] [--reason ...] [--document SỐ --document-date dd/mm/yyyy]

Reads a plan, an amended plan or a unit progress report (DOCX, XLSX, PDF with a text layer,
text, Markdown, TSV) into a draft and prints a summary: what the document is, the rows found
and every doubtful cell with its place. --json OUT writes the draft's interchange document
with its warnings ("-" for standard output), so a script can check it. --apply writes it
(a new plan, an amendment of the existing plan with the diff printed first, or the unit's
report for the period) through the same services as the web pages. A file that cannot be
read ends with its Vietnamese message and a non-zero exit code; nothing is written."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

SEVERITY_VI = {"error": "lỗi", "warning": "cảnh báo", "info": "ghi chú"}


def _day(value: str | None, what: str):
    if not value:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            pass
    raise CommandError(f"{what} “{value}” không hợp lệ (dạng dd/mm/yyyy)", returncode=2)


def json_output(draft: dict) -> dict:
    """What --json writes: the interchange document (importable as it is by import_plan) with
    "warnings" beside it; for a report, the rows read and their matches."""
    warnings = [
        {k: f.get(k) for k in ("severity", "section", "row", "field", "where", "reason", "place")}
        for f in draft.get("flags") or []
    ]
    if draft.get("kind") == "plan" and draft.get("interchange"):
        return {**draft["interchange"], "warnings": warnings, "stats": draft.get("stats") or {}}
    rep = draft.get("report") or {}
    return {
        "format": "planwatch-report-draft", "version": 1, "report_context": draft.get("report_context"),
        "report": {k: rep.get(k) for k in ("title", "reporter", "as_of", "columns_printed", "groups", "rows")},
        "warnings": warnings, "stats": draft.get("stats") or {},
    }


class Command(BaseCommand):
    help = "Đọc một văn bản (kế hoạch, kế hoạch điều chỉnh, báo cáo tiến độ) thành bản nháp; --apply để ghi."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="chỉ đọc và in bản nháp, không ghi gì")
        parser.add_argument("--json", metavar="OUT", help="ghi bản nháp (định dạng trao đổi + cảnh báo) ra tệp, “-” là màn hình")
        parser.add_argument("--apply", action="store_true", help="ghi vào hệ thống (kế hoạch mới, điều chỉnh, hoặc báo cáo)")
        parser.add_argument("--plan", metavar="CODE", help="mã kế hoạch mà văn bản thuộc về (điều chỉnh, báo cáo)")
        parser.add_argument("--effective", metavar="dd/mm/yyyy", help="ngày hiệu lực của điều chỉnh")
        parser.add_argument("--reason", default="", help="lý do điều chỉnh")
        parser.add_argument("--document", metavar="SỐ", help="số văn bản điều chỉnh")
        parser.add_argument("--document-date", metavar="dd/mm/yyyy")

    def handle(self, *args, **opts):
        from planwatch.plans.models import Plan

        from ...ingest.errors import DocumentError
        from ...ingest.pipeline import draft_from_file
        from ...ingest.services import ImportProblem, max_bytes

        if opts["dry_run"] and opts["apply"]:
            raise CommandError("Chọn --dry-run hoặc --apply, không chọn cả hai", returncode=2)
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"Không thấy tệp “{path}”", returncode=2)
        plan = None
        if opts["plan"]:
            plan = Plan.objects.filter(code=opts["plan"]).first()
            if plan is None:
                raise CommandError(f"Không có kế hoạch mã “{opts['plan']}”", returncode=2)
        effective = _day(opts["effective"], "Ngày hiệu lực")
        limit = max_bytes()
        if path.stat().st_size > limit:
            raise CommandError(f"Tệp “{path.name}” quá lớn: tối đa {limit // (1024 * 1024)} MB.", returncode=2)
        data = path.read_bytes()
        try:
            if opts["apply"]:
                job, draft = self._job(data, path.name, plan)
            else:
                draft = draft_from_file(data, path.name, plan=plan)
        except DocumentError as e:
            raise CommandError(e.message, returncode=2) from e
        self._summary(draft, path.name)
        if opts["json"]:
            payload = json.dumps(json_output(draft), ensure_ascii=False, indent=2, default=str)
            if opts["json"] == "-":
                self.stdout.write(payload)
            else:
                Path(opts["json"]).write_text(payload + "\n", encoding="utf-8")
                self.stdout.write(f"Đã ghi bản nháp: {opts['json']}")
        if not opts["apply"]:
            return
        document = None
        if opts["document"]:
            d = _day(opts["document_date"], "Ngày văn bản điều chỉnh")
            document = {"number": opts["document"], "date": d.isoformat() if d else None}
        from ...ingest.services import draft_apply, draft_preview

        pv = draft_preview(job)
        if pv.errors:
            raise CommandError("Chưa áp dụng được: " + " ".join(pv.errors), returncode=3)
        if pv.diff is not None and pv.diff.exists:
            from planwatch.plans.services import diff_as_text

            self.stdout.write(diff_as_text(pv.diff))
        try:
            job = draft_apply(job, None, effective=effective, document=document, reason=opts["reason"],
                              expected_fingerprint=pv.fingerprint or None)
        except ImportProblem as e:
            raise CommandError(e.message, returncode=3) from e
        self.stdout.write(self.style.SUCCESS(job.result_note or "Đã áp dụng."))

    def _job(self, data: bytes, name: str, plan):
        from ...ingest.errors import DocumentError
        from ...ingest.services import job_create, job_run

        job = job_create(data, None, plan, filename=name, run=False)
        job = job_run(job.pk)
        if job.status != "done":
            raise DocumentError(job.error_code or "failed", job.error)
        return job, job.draft

    def _summary(self, draft: dict, name: str) -> None:
        kind_vi = {"plan": "kế hoạch", "report": "báo cáo tiến độ"}.get(draft["kind"], draft["kind"])
        meta = draft.get("document") or {}
        st = draft.get("stats") or {}
        w = self.stdout.write
        w(f"Tệp: {name} — loại: {kind_vi}")
        head = ", ".join(x for x in [meta.get("kind"), meta.get("number") and f"số {meta['number']}",
                                     meta.get("date") and f"ngày {meta['date']}", meta.get("issuer")] if x)
        if head:
            w(f"Văn bản: {head}")
        if draft["kind"] == "plan":
            p = draft.get("plan") or {}
            w(f"Kế hoạch: {p.get('code')} ({'đã có: sẽ điều chỉnh' if p.get('exists') else 'mới'})"
              + (f", thực hiện kế hoạch {p['parent']}" if p.get("parent") else ""))
            w(f"Tìm thấy: {st.get('indicators', 0)} chỉ tiêu, {st.get('groups', 0)} nhóm nhiệm vụ, "
              f"{st.get('tasks', 0)} nhiệm vụ, {st.get('targets', 0)} mục tiêu viết thành câu")
        else:
            ctx = draft.get("report_context") or {}
            w(f"Báo cáo của: {(ctx.get('org') or {}).get('name') or '(chưa xác định)'}, số liệu đến ngày "
              f"{ctx.get('as_of') or '(không thấy)'}, kế hoạch {ctx.get('plan') or '(chưa xác định)'}")
            rows = [r for r in (draft.get("report") or {}).get("rows") or [] if not r.get("is_parent_row")]
            matched = sum(1 for r in rows if (r.get("match") or {}).get("task_code"))
            w(f"Tìm thấy: {len(rows)} dòng báo cáo, khớp được {matched} với nhiệm vụ của kế hoạch")
        if draft.get("restored"):
            w("Văn bản không dấu: đã khôi phục dấu (giữ bản gốc bên cạnh)")
        flags = draft.get("flags") or []
        w(f"Cần kiểm tra: {len(flags)} ô")
        for f in flags:
            where = f.get("where") or ""
            sec = f.get("section") or ""
            row = f" dòng {f['row'] + 1}" if isinstance(f.get("row"), int) else ""
            w(f"  [{SEVERITY_VI.get(f.get('severity'), f.get('severity'))}] {sec}{row}"
              f"{' (' + where + ')' if where else ''} {f.get('field')}: {f.get('reason')}")
