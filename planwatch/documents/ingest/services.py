"""Import jobs: an uploaded document becomes a draft (background job with progress), the
person corrects it (cells, organisations, upper-level alignment), previews it (the diff when
the plan exists) and applies it in one transaction.

The draft (ImportJob.draft, written once by job_run) and the corrections (ImportJob.corrections)
are kept apart; every preview and the apply re-build the interchange document from the draft
with the corrections applied (apply.corrected_draft), so a correction can be changed or undone.

Addressing a cell: `section` is one of "plan" (the plan header: code, name, owner, parent,
standing_agency, milestone_years, reporting_schedule), "document" (number, date, kind, title,
issuer, signer), "indicators", "tasks", "groups", "targets" (prose milestone targets),
"report" (progress report rows); `row` is the 0-based index in that section's "rows" list
(None for "plan"/"document"); `field` a row field ("name", "unit", "agency", "lead",
"coordinating", "result", "deadline", "targets.2030", "result_to_date", "status", …).

Draft shape for the review screen (ImportJob.draft, see pipeline.build_draft): "kind";
"source" {name, format, pages}; "document" (metadata.parse: number, date, issuer, kind, title,
implements, replaces, flags, `<field>_restored` when restored); "plan" (the header: code, name,
exists, owner, standing_agency, parent, milestone_years, reporting_schedule, orgs: {"owner":
[choice]}, flags); "indicators" {milestones, rows}, "tasks" {groups, rows}, "targets" (prose
milestone targets as parsed; they also appear as indicator rows T1…, "from_prose"), "report"
{title, reporter, as_of, rows} with "report_context" {plan, plan_name, org, as_of, flags};
"footnotes"; "interchange" (planwatch-plan, plans only); "flags" (every flag with "section"
and "row"); "text" (the original text pane); "stats". Each row keeps its parsed fields (text
as read, `<field>_restored` beside), "place", "flags", and: "orgs" {field: [choice]} where a
choice is {"text" as printed, "method" (name/alias/core/fuzzy/collective/unresolved/chosen),
"chosen": [org codes], "candidates": [{"code", "name", "score", "method", "ended_on",
"successors"}], "flags"}; "align" {"chosen": {"plan","code"}|None, "candidates": [{"plan",
"code", "name", "score"}]} for indicator/task rows; "match" {"task_code", "score",
"candidates": [{"code","name","score"}]} for report rows; "corrected": [fields] after a
correction (in the preview's draft).

Corrections JSON shape (ImportJob.corrections):
    {"cells": {"<section>:<row>:<field>": value},
     "orgs": {"<section>:<row>:<field>": {"<agency text as printed>": ["org-code", …]}},
     "alignments": {"<section>:<row>": {"plan": code, "code": code} | null},
     "report_matches": {"<row>": "task code" | null}}
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from ..models import ImportJob, ImportStatus
from .errors import DocumentError

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
SECTIONS = ("plan", "document", "indicators", "tasks", "groups", "targets", "report", "changes")
STAGES = {
    "queued": (0, "Đang chờ xử lý"),
    "reading": (10, "Đang đọc tệp"),
    "parsing": (40, "Đang nhận dạng bảng chỉ tiêu, nhiệm vụ và mục tiêu"),
    "resolving": (75, "Đang đối chiếu cơ quan và chỉ tiêu, nhiệm vụ cấp trên"),
    "done": (100, "Đã đọc xong: mời kiểm tra bản nháp"),
    "failed": (100, "Không đọc được tệp"),
}


class ImportProblem(Exception):
    """A refused correction or apply; `message` is Vietnamese, for the person."""

    def __init__(self, message: str, *, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class Preview:
    """What the review screen shows before applying.

    kind: "plan" | "report" | "unknown"; interchange: the planwatch-plan document the apply
    would write (plans) or None; diff: plans.services.PlanDiff when a plan of that code exists
    (diff.exists) or the list of rows a new plan adds; fingerprint: pass it back to draft_apply
    (refuses a diff made on a plan that changed since); errors: Vietnamese messages that stop
    the apply (validation failures, missing organisation …); flags: every doubt (Flag dicts
    with section/row); report: for a report, {"plan", "org", "period", "as_of", "matched":
    [{"row", "task_code", "score", "fields"}], "unmatched": [{"row", "name", "reason",
    "candidates"}]}."""

    kind: str
    draft: dict
    interchange: dict | None = None
    diff: Any = None
    fingerprint: str = ""
    errors: list[str] = field(default_factory=list)
    flags: list[dict] = field(default_factory=list)
    report: dict | None = None

    @property
    def can_apply(self) -> bool:
        return not self.errors and self.kind in ("plan", "report", "amendment")


def max_bytes() -> int:
    return int(getattr(settings, "PLANWATCH_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _size_text(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n} byte"


# ---------------------------------------------------------------- jobs


def can_import(user) -> bool:
    """Who may upload a document: those who may import plans (plans.access.can_import_plans:
    supervisors, admins, importers over a province, superusers) and the officers of a unit,
    who bring in their own progress reports."""
    from planwatch.orgs.models import Membership
    from planwatch.plans.access import can_import_plans
    from planwatch.reporting.access import EDIT_ROLES

    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return can_import_plans(user) or Membership.objects.filter(user=user, role__in=EDIT_ROLES).exists()


def job_create(file, actor, plan=None, *, filename: str | None = None, run: bool = True) -> ImportJob:
    """Store an uploaded file (a Django UploadedFile, a file object or bytes) under
    MEDIA_ROOT/imports and queue the reading job (after the transaction commits). A file over
    PLANWATCH_IMPORT_MAX_BYTES (default 20 MB) or empty is refused with DocumentError
    ("too_large" / "empty") and nothing is written. `plan`: the Plan the document is meant for
    (an amended version, or the plan a progress report belongs to). run=False only stores."""
    if actor is not None and not can_import(actor):
        raise PermissionDenied("Bạn không có quyền nhập văn bản")
    name = filename or getattr(file, "name", None) or "tai-lieu"
    name = str(name).replace("\\", "/").rsplit("/", 1)[-1][:255] or "tai-lieu"
    limit = max_bytes()
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise DocumentError("too_large", f"Tệp “{name}” quá lớn ({_size_text(size)}): tối đa {_size_text(limit)}.")
    if isinstance(file, (bytes, bytearray)):
        data = bytes(file)
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(limit + 1)
    if len(data) > limit:
        raise DocumentError("too_large", f"Tệp “{name}” quá lớn: tối đa {_size_text(limit)}.")
    if not data:
        raise DocumentError("empty", f"Tệp “{name}” rỗng: không có nội dung để đọc.")
    job = ImportJob(
        filename=name, sha256=hashlib.sha256(data).hexdigest(), size=len(data),
        requested_by=actor if getattr(actor, "pk", None) else None, plan=plan,
        status=ImportStatus.QUEUED, progress=0, stage=STAGES["queued"][1],
    )
    job.file.save(f"{job.sha256[:16]}{_ext(name)}", ContentFile(data), save=False)
    job.save()
    if run:
        transaction.on_commit(lambda: dispatch(job.pk))
    return job


def _ext(name: str) -> str:
    dot = name.rfind(".")
    ext = name[dot:].lower() if dot > 0 else ""
    return ext if ext.replace(".", "").isalnum() and len(ext) <= 6 else ""


def dispatch(job_id: int) -> None:
    """Run the job: now (PLANWATCH_IMPORTS_INLINE, tests), in a background thread (eager
    Celery, no broker) or through Celery."""
    if getattr(settings, "PLANWATCH_IMPORTS_INLINE", False):
        job_run(job_id)
    elif settings.CELERY_TASK_ALWAYS_EAGER:
        threading.Thread(target=_run_in_thread, args=(job_id,), name=f"import-{job_id}", daemon=True).start()
    else:
        from ..tasks import run_import

        run_import.delay(job_id)


def _run_in_thread(job_id: int) -> None:
    close_old_connections()
    try:
        job_run(job_id)
    finally:
        connection.close()


def _update_running(job_id: int, **fields) -> bool:
    return bool(ImportJob.objects.filter(pk=job_id, status=ImportStatus.RUNNING).update(**fields))


def job_run(job_id: int) -> ImportJob:
    """Read the job's file into a draft: progress reading → parsing → resolving → done, the
    draft saved on the job. A file that cannot become a draft ends the job "failed" with the
    DocumentError's code and Vietnamese message; nothing else is written. Idempotent: a
    finished job is left alone."""
    from . import pipeline

    with transaction.atomic():
        job = ImportJob.objects.select_for_update(of=("self",)).select_related("plan").get(pk=job_id)
        if job.is_finished:
            return job
        job.status, job.started_at = ImportStatus.RUNNING, timezone.now()
        job.progress, job.stage = STAGES["reading"]
        job.save(update_fields=["status", "started_at", "progress", "stage"])
    started = time.monotonic()

    def progress(stage: str, pct: int | None = None, text: str | None = None) -> None:
        p, t = STAGES.get(stage, (pct or 0, text or ""))
        _update_running(job_id, progress=pct if pct is not None else p, stage=text or t)

    draft = None
    try:
        with job.file.open("rb") as fh:
            data = fh.read()
        draft = pipeline.draft_from_file(data, job.filename, progress=progress, plan=job.plan)
        status, code, error = ImportStatus.DONE, "", ""
        pct, stage = STAGES["done"]
    except DocumentError as e:
        status, code, error = ImportStatus.FAILED, e.code, e.message
        pct, stage = STAGES["failed"]
    except Exception as e:  # noqa: BLE001 - the job must end in a state the page can show
        log.exception("import job %s failed", job_id)
        status, code = ImportStatus.FAILED, "unexpected"
        error = f"Lỗi không mong đợi khi đọc tệp ({e.__class__.__name__}). Vui lòng thử lại hoặc gửi tệp cho quản trị."
        pct, stage = STAGES["failed"]
    fields = dict(status=status, error_code=code, error=error, progress=pct, stage=stage, draft=draft,
                  kind=(draft or {}).get("kind", ""), finished_at=timezone.now(),
                  seconds=round(time.monotonic() - started, 3))
    try:
        _update_running(job_id, **fields)
    except Exception:  # noqa: BLE001 - e.g. a draft the database refuses: the job still ends
        log.exception("import job %s: saving the draft failed", job_id)
        _update_running(job_id, **dict(fields, status=ImportStatus.FAILED, draft=None, kind="", error_code="unexpected",
                                       error="Không lưu được bản nháp của tệp. Vui lòng thử lại hoặc gửi tệp cho quản trị.",
                                       stage=STAGES["failed"][1]))
    job.refresh_from_db()
    return job


STALE_AFTER_MINUTES = 15


def job_checked(job: ImportJob, *, now=None) -> ImportJob:
    """The job as a page should show it: one still queued or running 15 minutes after it was
    created lost its worker and is marked failed (the page would otherwise poll for ever)."""
    from datetime import timedelta

    now = now or timezone.now()
    if not job.is_finished and job.created_at < now - timedelta(minutes=STALE_AFTER_MINUTES):
        ImportJob.objects.filter(pk=job.pk, status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING]).update(
            status=ImportStatus.FAILED, error_code="stale", progress=100, stage=STAGES["failed"][1], finished_at=now,
            error="Việc đọc tệp bị gián đoạn (quá 15 phút chưa xong). Vui lòng tải tệp lên lại.",
        )
        job.refresh_from_db()
    return job


# ---------------------------------------------------------------- corrections


def _require_draft(job: ImportJob) -> dict:
    if job.status != ImportStatus.DONE or not job.draft:
        raise ImportProblem("Tệp chưa đọc xong hoặc không đọc được: chưa có bản nháp để sửa.", code="no_draft")
    if job.is_applied:
        raise ImportProblem("Bản nháp này đã được áp dụng: tải tệp lên lại để nhập lần nữa.", code="applied")
    return job.draft


def _row_key(job: ImportJob, section: str, row: int | None) -> str:
    from .apply import section_rows

    if section not in SECTIONS:
        raise ImportProblem(f"Không có phần “{section}” trong bản nháp.")
    if section in ("plan", "document") or (section == "report" and row is None):
        return f"{section}:"
    rows = section_rows(job.draft, section)
    if not isinstance(row, int) or not 0 <= row < len(rows):
        raise ImportProblem(f"Không có dòng {row} trong phần “{section}” của bản nháp.")
    return f"{section}:{row}"


def _save_corrections(job: ImportJob, corrections: dict) -> ImportJob:
    job.corrections = corrections
    ImportJob.objects.filter(pk=job.pk).update(corrections=corrections)
    return job


def draft_correct_cell(job: ImportJob, *, section: str, row: int | None, field: str, value: Any,
                       actor=None) -> ImportJob:
    """Record a corrected value for one cell of the draft (the draft itself is kept as read).
    `value` is text (None/"" empties the cell; for "lead"/"coordinating" a list of names or a
    text split like a printed cell). Correcting an agency cell drops the organisation choices
    made for its old names. Raises ImportProblem for an unknown section, row or field."""
    from .apply import check_field

    _require_draft(job)
    key = _row_key(job, section, row)
    check_field(job.draft, section, row, field, value)
    c = _corrections(job)
    c["cells"][f"{key}:{field}"] = value
    c["orgs"].pop(f"{key}:{field}", None)
    return _save_corrections(job, c)


def draft_choose_org(job: ImportJob, *, section: str, row: int | None, field: str, text: str,
                     org_codes: list[str], learn: bool = False, actor=None) -> ImportJob:
    """Choose the organisation(s) for one agency name (`text`, as printed in the cell) of a
    row's agency cell (`field`: "agency" of an indicator, "lead"/"coordinating" of a task,
    "lead" of a report row; for section "plan": "owner" or "standing_agency"). An empty list
    means "no organisation" (the name is kept as text). learn=True also remembers the printed
    name as an alias of the single chosen organisation (orgs.services.add_alias), so the next
    document resolves it by itself."""
    from planwatch.orgs.models import Organisation
    from planwatch.orgs.services import add_alias

    _require_draft(job)
    key = _row_key(job, section, row)
    codes = [c for c in dict.fromkeys(org_codes or []) if c]
    found = {o.code: o for o in Organisation.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise ImportProblem(f"Không có tổ chức mã “{missing[0]}”.")
    text = (text or "").strip()
    if not text:
        raise ImportProblem("Cần tên cơ quan như bản in để ghi lựa chọn.")
    c = _corrections(job)
    c["orgs"].setdefault(f"{key}:{field}", {})[text] = codes
    with transaction.atomic():
        if learn and len(codes) == 1:
            add_alias(found[codes[0]], text, source=f"Nhập văn bản “{job.filename}”")
        _save_corrections(job, c)
    return job


def draft_choose_alignment(job: ImportJob, *, section: str, row: int, target: dict | None,
                           actor=None) -> ImportJob:
    """Choose the upper-level row an indicator (aligned_to) or task (derived_from) of the
    draft corresponds to: target {"plan": plan code, "code": row code}, or None for "no
    counterpart". For a report row (section "report"), `target` {"code": task code} chooses the
    plan task it reports on (None: leave it unmatched)."""
    _require_draft(job)
    if section not in ("indicators", "tasks", "report"):
        raise ImportProblem("Chỉ chọn được chỉ tiêu, nhiệm vụ cấp trên cho dòng chỉ tiêu hoặc nhiệm vụ.")
    key = _row_key(job, section, row)
    if target is not None:
        if not isinstance(target, dict) or not target.get("code"):
            raise ImportProblem("Lựa chọn đối chiếu không hợp lệ.")
        target = {"plan": str(target.get("plan") or ""), "code": str(target["code"])}
    c = _corrections(job)
    if section == "report":
        c["report_matches"][str(row)] = target["code"] if target else None
    else:
        c["alignments"][key] = target
    return _save_corrections(job, c)


def draft_reset(job: ImportJob, *, actor=None) -> ImportJob:
    """Drop every correction (back to the draft as read)."""
    _require_draft(job)
    return _save_corrections(job, _empty_corrections())


def _empty_corrections() -> dict:
    return {"cells": {}, "orgs": {}, "alignments": {}, "report_matches": {}}


def _corrections(job: ImportJob) -> dict:
    c = _empty_corrections()
    for k, v in (job.corrections or {}).items():
        if k in c and isinstance(v, dict):
            c[k] = dict(v)
    return c


# ---------------------------------------------------------------- preview and apply


def draft_preview(job: ImportJob) -> Preview:
    """The corrected draft as it would be applied: the interchange document, the diff against
    the existing plan of the same code (plans.services.plan_diff; for a new plan every row is
    "added"), the validation errors that stop the apply, every flag; for a report the unit,
    the period and the matched / unmatched rows. Writes nothing."""
    from .apply import preview

    _require_draft(job)
    return preview(job)


def draft_apply(job: ImportJob, actor, *, effective: date | None = None, document: Any = None, reason: str = "",
                expected_fingerprint: str | None = None) -> ImportJob:
    """Apply the corrected draft in one transaction. A plan: validated (plans.validation via
    interchange.normalize) and written with plans.services.plan_import when new, or
    plan_apply_amendment when a plan of that code exists (effective date required, with the
    amending `document` {"number", "date", …} or a `reason`; `expected_fingerprint` from the
    preview; rows with reports are retired, never deleted). A report: the unit's report for
    the period containing `as_of` (opened if needed) with a progress line for each matched row;
    unmatched rows are listed in job.result_note. Any error → ImportProblem with a Vietnamese
    message and nothing written. Returns the job with result_plan / result_report set."""
    from .apply import apply

    _require_draft(job)
    return apply(job, actor, effective=effective, document=document, reason=reason,
                 expected_fingerprint=expected_fingerprint)


# ---------------------------------------------------------------- housekeeping


def cleanup_imports(*, days: int = 90, now=None) -> int:
    """Delete import jobs finished more than `days` days ago (failed, or drafts never applied,
    or applied: what they produced stays; the job only kept the file and the draft), with
    their files after the transaction commits. Jobs lost by their worker are failed first.
    Returns how many were deleted."""
    from datetime import timedelta

    if days < 1:
        raise ImportProblem("Số ngày phải là số nguyên dương")
    now = now or timezone.now()
    stale = now - timedelta(minutes=STALE_AFTER_MINUTES)
    ImportJob.objects.filter(status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING], created_at__lt=stale).update(
        status=ImportStatus.FAILED, error_code="stale", progress=100, stage=STAGES["failed"][1], finished_at=now,
        error="Việc đọc tệp bị gián đoạn (quá 15 phút chưa xong). Vui lòng tải tệp lên lại.",
    )
    with transaction.atomic():
        old = list(ImportJob.objects.select_for_update(of=("self",)).filter(
            status__in=[ImportStatus.DONE, ImportStatus.FAILED], finished_at__lt=now - timedelta(days=days)))
        files = [(j.file.storage, j.file.name) for j in old if j.file]
        ImportJob.objects.filter(pk__in=[j.pk for j in old]).delete()
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
    return len(old)
