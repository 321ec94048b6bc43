"""“Nhập văn bản”: a plan, an amended plan or a unit's progress report uploaded as a file,
read by a background job (progress bar), reviewed beside the original text, corrected cell by
cell, and applied in one transaction.

Business rules live in planwatch.documents.ingest.services (job_create, draft_correct_cell,
draft_choose_org, draft_choose_alignment, draft_preview, draft_apply). These views check
access, read the form, call a service and shape the draft for the templates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from planwatch.documents.ingest import services as S
from planwatch.documents.ingest.errors import DocumentError
from planwatch.documents.ingest.model import Place
from planwatch.documents.models import ImportJob, ImportStatus
from planwatch.lib.dates import format_vn_date, parse_vn_date
from planwatch.lib.numbers import format_vn_number
from planwatch.orgs.access import is_admin
from planwatch.orgs.models import Organisation
from planwatch.plans.access import can_import_plans
from planwatch.plans.models import Plan

ACCEPT = ".docx,.xlsx,.pdf,.txt,.md,.tsv"
FORMATS_VI = "Word (.docx), Excel (.xlsx), PDF có lớp chữ, văn bản (.txt), Markdown (.md), bảng tách bằng tab (.tsv)"

# What each row field is called on the review screen.
LABELS = {
    "code": "Số thứ tự", "name": "Tên", "unit": "Đơn vị tính", "agency": "Cơ quan chủ trì theo dõi",
    "lead": "Cơ quan chủ trì", "coordinating": "Cơ quan phối hợp", "result": "Kết quả",
    "deadline": "Thời gian hoàn thành", "required_result": "Kết quả yêu cầu",
    "result_to_date": "Kết quả đến nay", "expected_next": "Dự kiến kỳ tới", "obstacles": "Khó khăn, vướng mắc",
    "status": "Tình trạng", "number": "Số, ký hiệu", "date": "Ngày ban hành", "kind": "Loại văn bản",
    "title": "Trích yếu", "issuer": "Cơ quan ban hành", "signer": "Người ký", "milestone_years": "Các mốc năm",
    "reporting_schedule": "Kỳ báo cáo", "parent": "Kế hoạch cấp trên (mã)", "as_of": "Số liệu tính đến ngày",
    "reporter": "Đơn vị báo cáo", "owner": "Cơ quan ban hành kế hoạch", "standing_agency": "Cơ quan thường trực",
}
LONG_FIELDS = {"name", "title", "result", "required_result", "result_to_date", "expected_next", "obstacles"}
HINTS = {
    "lead": "nhiều cơ quan cách nhau bằng dấu ;", "coordinating": "nhiều cơ quan cách nhau bằng dấu ;",
    "date": "dd/mm/yyyy", "as_of": "dd/mm/yyyy", "milestone_years": "ví dụ 2025, 2030",
}
INDICATOR_FIELDS = ("name", "unit")
TASK_FIELDS = ("name", "lead", "coordinating", "result", "deadline")
REPORT_FIELDS = ("name", "lead", "required_result", "deadline", "result_to_date", "expected_next", "obstacles", "status")
DOCUMENT_FIELDS = ("number", "date", "kind", "title", "issuer", "signer")
PLAN_FIELDS = ("code", "name", "milestone_years")
SECTION_ANCHOR = {"indicators": "ind", "tasks": "task", "groups": "grp", "report": "rep", "changes": "chg"}
SECTION_VI = {
    "document": "Thông tin văn bản", "plan": "Thông tin kế hoạch", "indicators": "Chỉ tiêu", "tasks": "Nhiệm vụ",
    "groups": "Nhóm nhiệm vụ", "report": "Báo cáo", "targets": "Mục tiêu",
    "changes": "Nội dung điều chỉnh", "amendment": "Kế hoạch được điều chỉnh",
}
# An amendment decision's change rows (documents.ingest.prose.parse_changes).
CHANGE_LABELS = {"what": "Nội dung điều chỉnh (như bản in)", "target": "Số nhiệm vụ/chỉ tiêu",
                 "field": "Trường điều chỉnh", "old": "Đã ban hành", "new": "Điều chỉnh thành"}
SCHEDULE_VI = {
    "monthly": "Hằng tháng", "quarterly": "Hằng quý", "half_yearly": "6 tháng", "yearly": "Hằng năm", "ad_hoc": "Đột xuất",
}


# ---------------------------------------------------------------- access


def _require_importer(user) -> None:
    """Standing-agency supervisors, admins and importers over a province (plans.access);
    anyone else signed in, a unit's officer too, gets 403."""
    if not can_import_plans(user):
        raise PermissionDenied("Bạn không có quyền nhập văn bản.")


def _job_for_user(user, pk: int) -> ImportJob:
    _require_importer(user)
    job = get_object_or_404(ImportJob.objects.select_related("plan", "result_plan", "result_report"), pk=pk)
    # Someone else's upload: not found (its content is not confirmed to exist).
    if job.requested_by_id != user.pk and not is_admin(user):
        raise Http404("Không tìm thấy lượt nhập văn bản")
    return job


# ---------------------------------------------------------------- upload


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Tệp văn bản", help_text=f"Định dạng: {FORMATS_VI}.",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    plan = forms.ModelChoiceField(
        label="Kế hoạch hiện có (nếu là bản điều chỉnh hoặc báo cáo của kế hoạch đó)", required=False,
        queryset=Plan.objects.none(), empty_label="— Không: kế hoạch mới hoặc để hệ thống tự nhận ra —",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from planwatch.web.templatetags.monitoring_tables import plan_label

        self.fields["plan"].queryset = Plan.objects.select_related("document").order_by("code")
        self.fields["plan"].label_from_instance = lambda p: f"{plan_label(p)} – {p.name[:110]}"


@login_required
def ingest_upload(request):
    _require_importer(request.user)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = S.job_create(form.cleaned_data["file"], request.user, plan=form.cleaned_data["plan"])
            except DocumentError as e:
                form.add_error("file", e.message)
            else:
                return redirect("ingest_job", pk=job.pk)
    else:
        initial = {}
        if request.GET.get("ke_hoach"):
            initial["plan"] = request.GET["ke_hoach"]
        form = UploadForm(initial=initial)
    jobs = ImportJob.objects.filter(requested_by=request.user).select_related("result_plan")[:15]
    return render(request, "ingest/upload.html", {
        "form": form, "jobs": jobs, "max_mb": S.max_bytes() // (1024 * 1024),
    })


# ---------------------------------------------------------------- the job: progress, then review


@login_required
def ingest_job(request, pk: int):
    job = S.job_checked(_job_for_user(request.user, pk))  # a job whose worker died shows as failed
    if job.status != ImportStatus.DONE or not job.draft:
        return render(request, "ingest/job.html", {"job": job})
    if job.is_applied:
        return render(request, "ingest/applied.html", {"job": job})
    preview = S.draft_preview(job)
    # ?sua=<cell>: that cell's edit form, rendered here for browsers without JavaScript.
    return render(request, "ingest/review.html", {"job": job, "editing": request.GET.get("sua", ""), **_review(preview)})


@login_required
def ingest_status(request, pk: int):
    """The fragment polled by htmx every second; a finished reading reloads the page (the
    review screen), a failure shows its message in place."""
    job = S.job_checked(_job_for_user(request.user, pk))
    resp = render(request, "ingest/_status.html", {"job": job})
    if job.status == ImportStatus.DONE and request.headers.get("HX-Request"):
        resp["HX-Refresh"] = "true"
    return resp


# ---------------------------------------------------------------- corrections (one cell at a time)


def _row_arg(request) -> int | None:
    raw = request.POST.get("row", "")
    return int(raw) if raw.isdigit() else None


def _after_change(request, job: ImportJob, section: str, row: int | None, error: str = ""):
    """htmx: the re-rendered row (plus the flag summary, out of band). Without JavaScript:
    back to the review screen at that row."""
    if not request.headers.get("HX-Request"):
        if error:
            messages.error(request, error)
        return redirect(reverse("ingest_job", args=[job.pk]) + f"#{_anchor(section, row)}")
    if section == "plan" and request.POST.get("field") == "parent" and not error:
        # Another upper-level plan: every row's alignment suggestions change; reload the page.
        resp = HttpResponse(status=204)
        resp["HX-Refresh"] = "true"
        return resp
    job.refresh_from_db()
    review = _review(S.draft_preview(job))
    ctx = {"job": job, "error": error, **review}
    if section in ("document", "plan") or row is None:
        template = "ingest/_header.html"
    else:
        rows = {"indicators": review["indicator_rows"], "tasks": review["task_rows"],
                "groups": review["group_rows"], "report": review["report_rows"],
                "changes": review["change_rows"]}.get(section) or []
        found = next((r for r in rows if r["index"] == row), None)
        if found is None:
            raise Http404("Không có dòng này trong bản nháp")
        ctx["r"] = found
        template = {"indicators": "ingest/_indicator_row.html", "tasks": "ingest/_task_row.html",
                    "groups": "ingest/_group_row.html", "report": "ingest/_report_row.html",
                    "changes": "ingest/_change_row.html"}[section]
    return render(request, "ingest/_changed.html", {**ctx, "template": template})


@login_required
@require_POST
def ingest_cell(request, pk: int):
    job = _job_for_user(request.user, pk)
    section, row, field = request.POST.get("section", ""), _row_arg(request), request.POST.get("field", "")
    value = request.POST.get("value", "").strip()
    error = ""
    try:
        S.draft_correct_cell(job, section=section, row=row, field=field, value=value or None, actor=request.user)
    except S.ImportProblem as e:
        error = e.message
    return _after_change(request, job, section, row, error)


@login_required
@require_POST
def ingest_org(request, pk: int):
    job = _job_for_user(request.user, pk)
    section, row, field = request.POST.get("section", ""), _row_arg(request), request.POST.get("field", "")
    codes = [c for c in request.POST.get("org", "").split(",") if c.strip()]
    error = ""
    try:
        S.draft_choose_org(job, section=section, row=row, field=field, text=request.POST.get("text", ""),
                           org_codes=codes, learn=request.POST.get("learn") == "1", actor=request.user)
    except S.ImportProblem as e:
        error = e.message
    return _after_change(request, job, section, row, error)


@login_required
@require_POST
def ingest_align(request, pk: int):
    job = _job_for_user(request.user, pk)
    section, row = request.POST.get("section", ""), _row_arg(request)
    plan_code, _, code = request.POST.get("target", "").partition("|")
    target = {"plan": plan_code, "code": code} if code else None
    error = ""
    try:
        S.draft_choose_alignment(job, section=section, row=row, target=target, actor=request.user)
    except S.ImportProblem as e:
        error = e.message
    return _after_change(request, job, section, row, error)


@login_required
@require_POST
def ingest_reset(request, pk: int):
    job = _job_for_user(request.user, pk)
    try:
        S.draft_reset(job, actor=request.user)
        messages.success(request, "Đã bỏ mọi chỉnh sửa: bản nháp trở lại như khi đọc tệp.")
    except S.ImportProblem as e:
        messages.error(request, e.message)
    return redirect("ingest_job", pk=job.pk)


# ---------------------------------------------------------------- apply


@login_required
def ingest_apply(request, pk: int):
    """GET: what applying will do (a new plan's rows, or the diff of an amendment with the
    amending document / reason and the effective date; a report's matched rows). POST: apply."""
    job = _job_for_user(request.user, pk)
    if job.is_applied:
        return redirect("ingest_job", pk=job.pk)
    if job.status != ImportStatus.DONE or not job.draft:
        raise Http404("Chưa có bản nháp")
    preview = S.draft_preview(job)
    amendment = bool(preview.diff is not None and preview.diff.exists)
    form = {"ngay_hieu_luc": format_vn_date(timezone.localdate()), "so_van_ban": "", "ngay_van_ban": "", "ly_do": ""}
    if preview.kind == "amendment":  # an amendment decision: it is the amending document, in force from its date
        meta = preview.draft.get("document") or {}
        day = format_vn_date(_iso(meta.get("date"))) if meta.get("date") else ""
        form.update(so_van_ban=meta.get("number") or "", ngay_van_ban=day, ngay_hieu_luc=day or form["ngay_hieu_luc"])
    errors: list[str] = []
    if request.method == "POST":
        form.update({k: request.POST.get(k, "").strip() for k in form})
        kwargs, errors = _apply_args(form, amendment, preview.kind)
        if not errors:
            try:
                job = S.draft_apply(job, request.user, expected_fingerprint=request.POST.get("fingerprint") or None,
                                    **kwargs)
            except S.ImportProblem as e:
                errors.append(e.message)
            else:
                return _applied_redirect(request, job, amendment, kwargs.get("effective"))
    return render(request, "ingest/confirm.html", {
        "job": job, "preview": preview, "diff": preview.diff, "amendment": amendment, "form": form,
        "errors": errors, "open_flags": sum(1 for f in preview.flags if f.get("severity") != "info"),
        "header": preview.draft.get("plan") or {}, "counts": _counts(preview),
    }, status=400 if errors else 200)


def _apply_args(form: dict, amendment: bool, kind: str) -> tuple[dict, list[str]]:
    """The amendment's effective date and document or reason, checked as on the JSON import page."""
    errors: list[str] = []
    if kind == "report":
        return {}, errors
    if not amendment:
        return {}, errors
    effective = parse_vn_date(form["ngay_hieu_luc"])
    if effective is None:
        errors.append("Ngày hiệu lực không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 01/03/2026.")
    doc_date = None
    if form["ngay_van_ban"]:
        doc_date = parse_vn_date(form["ngay_van_ban"])
        if doc_date is None:
            errors.append("Ngày văn bản điều chỉnh không hợp lệ; nhập theo dạng ngày/tháng/năm.")
    if not form["so_van_ban"] and not form["ly_do"]:
        errors.append("Cần số văn bản điều chỉnh (quyết định điều chỉnh, bổ sung) hoặc lý do điều chỉnh.")
    document = (
        {"number": form["so_van_ban"], "date": doc_date.isoformat() if doc_date else None} if form["so_van_ban"] else None
    )
    return {"effective": effective, "document": document, "reason": form["ly_do"]}, errors


def _applied_redirect(request, job: ImportJob, amendment: bool, effective):
    if job.result_report_id:
        messages.success(request, job.result_note.splitlines()[0] if job.result_note else "Đã nhập báo cáo.")
        return redirect("report_detail", pk=job.result_report_id)
    plan = job.result_plan
    if amendment:
        messages.success(request, f"Đã áp dụng điều chỉnh kế hoạch {plan.name[:120]} từ ngày {format_vn_date(effective)}.")
    else:
        messages.success(request, f"Đã nhập kế hoạch {plan.name[:120]} từ tệp “{job.filename}”.")
    return redirect("plan_detail", pk=plan.pk)


def _counts(preview) -> dict:
    doc = preview.interchange or {}
    return {"indicators": sum(1 for i in doc.get("indicators") or [] if not i.get("is_group")),
            "groups": len(doc.get("task_groups") or []), "tasks": len(doc.get("tasks") or [])}


# ---------------------------------------------------------------- shaping the draft for the page


def _anchor(section: str, row: int | None) -> str:
    if section in SECTION_ANCHOR and row is not None:
        return f"{SECTION_ANCHOR[section]}-{row}"
    return "van-ban"


def _shown(row: dict, field: str):
    """The value the import will use: restored text (document without diacritics) or as read."""
    v = row.get(f"{field}_restored")
    return v if v not in (None, "", []) else row.get(field)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(x) for x in value if x not in (None, ""))
    return str(value)


def _flags_by_field(row: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for f in row.get("flags") or []:
        out.setdefault(f.get("field") or "", []).append(f)
    return out


def _cell(section: str, index: int | None, row: dict, field: str, flags: dict, *, label: str | None = None,
          value=None) -> dict:
    shown = _shown(row, field) if value is None else value
    raw = row.get(field)
    cell_flags = flags.pop(field, [])
    return {
        "section": section, "row": index, "field": field, "label": label or LABELS.get(field, field),
        "value": _text(shown), "raw": _text(raw) if row.get(f"{field}_restored") not in (None, "", []) else "",
        "flags": cell_flags, "open": any(f.get("severity") != "info" for f in cell_flags),
        "corrected": field in (row.get("corrected") or []), "long": field in LONG_FIELDS, "hint": HINTS.get(field, ""),
        "id": f"{SECTION_ANCHOR.get(section, section)}-{index if index is not None else 'x'}-{field.replace('.', '-')}",
    }


class _Names:
    """Organisation names for codes chosen outside the ranked suggestions (one query a page)."""

    def __init__(self, draft: dict):
        codes: set[str] = set()
        for rows in _all_rows(draft):
            for r in rows:
                for choices in (r.get("orgs") or {}).values():
                    for ch in choices or []:
                        codes.update(ch.get("chosen") or [])
        header = draft.get("plan") or {}
        for choices in (header.get("orgs") or {}).values():
            for ch in choices or []:
                codes.update(ch.get("chosen") or [])
        self.names = dict(Organisation.objects.filter(code__in=codes).values_list("code", "name"))

    def __call__(self, code: str) -> str:
        return self.names.get(code, code)


def _all_rows(draft: dict):
    yield ((draft.get("indicators") or {}).get("rows") or [])
    yield ((draft.get("tasks") or {}).get("rows") or [])
    yield ((draft.get("report") or {}).get("rows") or [])
    yield ((draft.get("amendment") or {}).get("changes") or [])


def _score(value) -> str:
    """A suggestion's similarity as Vietnamese prints it: 93,1%."""
    try:
        return format_vn_number(Decimal(str(round(float(value), 1))), None) + "%"
    except (TypeError, ValueError):
        return ""


def _org_choices(section: str, index: int | None, row: dict, field: str, names: _Names) -> list[dict]:
    """One select per printed agency name: ranked suggestions, the current choice selected."""
    out = []
    for k, ch in enumerate((row.get("orgs") or {}).get(field) or []):
        chosen = list(ch.get("chosen") or [])
        options, seen = [], set()
        if len(chosen) > 1:
            label = "; ".join(names(c) for c in chosen[:6]) + ("…" if len(chosen) > 6 else "")
            options.append({"value": ",".join(chosen), "label": f"Giữ {len(chosen)} đơn vị: {label}", "selected": True})
            seen.add(",".join(chosen))
        for c in ch.get("candidates") or []:
            if ch.get("method") == "collective" or c["code"] in seen:
                continue
            seen.add(c["code"])
            label = f"{c['name']} ({_score(c.get('score'))})"
            if c.get("ended_on"):
                label += f" – đã kết thúc {format_vn_date(_iso(c['ended_on']))}"
            if c.get("method") == "successor":
                label += " – đơn vị kế thừa"
            options.append({"value": c["code"], "label": label, "selected": chosen == [c["code"]]})
        if len(chosen) == 1 and chosen[0] not in seen:
            options.insert(0, {"value": chosen[0], "label": names(chosen[0]), "selected": True})
        options.append({"value": "", "label": "— Không gắn tổ chức (giữ tên như bản in) —", "selected": not chosen})
        out.append({
            "text": ch.get("text") or "", "method": ch.get("method"), "options": options,
            "chosen_names": [names(c) for c in chosen], "open": _doubtful(ch),
            "id": f"{SECTION_ANCHOR.get(section, section)}-{index if index is not None else 'x'}-{field}-org{k}",
            "section": section, "row": index, "field": field,
        })
    return out


def _doubtful(choice: dict) -> bool:
    """An agency name to decide on: nothing chosen, or a guess (close spelling, a unit that has
    ended). A name found by the resolver, a collective phrase or the person's choice is not."""
    if choice.get("method") == "chosen":
        return False
    if not choice.get("chosen"):
        return True
    return choice.get("method") != "collective" and bool(choice.get("flags"))


def _iso(value):
    try:
        return date.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        return None


def _align(section: str, index: int, row: dict) -> dict | None:
    a = row.get("align")
    if not a or (not a.get("candidates") and not a.get("chosen")):
        return None
    chosen = a.get("chosen") or None
    chosen_value = f"{chosen['plan']}|{chosen['code']}" if chosen else ""
    options = [{"value": "", "label": "— Không đối chiếu —", "selected": not chosen}]
    seen = set()
    for c in a.get("candidates") or []:
        value = f"{c['plan']}|{c['code']}"
        seen.add(value)
        options.append({"value": value, "label": f"{c['code']} – {c['name'][:100]} ({_score(c.get('score'))})",
                        "selected": value == chosen_value})
    if chosen and chosen_value not in seen:
        options.insert(1, {"value": chosen_value, "label": f"{chosen['code']} ({chosen['plan']})", "selected": True})
    label = next((o["label"] for o in options if o["selected"]), "")
    return {"options": options, "chosen": chosen, "chosen_label": label, "id": f"{SECTION_ANCHOR[section]}-{index}-align",
            "section": section, "row": index,
            "label": "Chỉ tiêu cấp trên" if section == "indicators" else "Nhiệm vụ cấp trên"}


def _rest(flags: dict) -> list[dict]:
    """Flags of a row not shown on one of its cells (row-level doubts)."""
    return [f for fs in flags.values() for f in fs]


def _years(draft: dict) -> list[str]:
    header = draft.get("plan") or {}
    years = [str(y) for y in header.get("milestone_years") or []]
    years += [str(y) for y in (draft.get("indicators") or {}).get("milestones") or [] if str(y) not in years]
    for r in (draft.get("indicators") or {}).get("rows") or []:
        years += [y for y in (r.get("targets") or {}) if y not in years]
    return sorted(years)


def _indicator_row(i: int, r: dict, years: list[str], names: _Names) -> dict:
    flags = _flags_by_field(r)
    cells = [_cell("indicators", i, r, f, flags) for f in INDICATOR_FIELDS]
    targets = [_cell("indicators", i, r, f"targets.{y}", flags, label=f"Mục tiêu {y}",
                     value=(r.get("targets") or {}).get(y)) for y in years]
    agency = _cell("indicators", i, r, "agency", flags)
    align = None if r.get("is_group") else _align("indicators", i, r)
    if align:
        align["flags"] = flags.pop("aligned_to", [])
    return {
        "index": i, "anchor": f"ind-{i}", "code": _cell("indicators", i, r, "code", flags), "is_group": bool(r.get("is_group")),
        "cells": cells, "targets": targets, "agency": agency, "orgs": _org_choices("indicators", i, r, "agency", names),
        "align": align, "inferred": bool(r.get("agency_inferred")), "place": _where(r), "flags": _rest(flags),
        "find": _find(r),
    }


def _task_row(i: int, r: dict, names: _Names) -> dict:
    flags = _flags_by_field(r)
    cells = {f: _cell("tasks", i, r, f, flags) for f in TASK_FIELDS}
    align = _align("tasks", i, r)
    if align:
        align["flags"] = flags.pop("derived_from", [])
    return {
        "index": i, "anchor": f"task-{i}", "code": _cell("tasks", i, r, "code", flags), "group": r.get("group"),
        "cells": cells, "lead_orgs": _org_choices("tasks", i, r, "lead", names),
        "coordinating_orgs": _org_choices("tasks", i, r, "coordinating", names),
        "align": align, "place": _where(r), "flags": _rest(flags), "find": _find(r),
    }


def _group_row(i: int, g: dict) -> dict:
    flags = _flags_by_field(g)
    return {"index": i, "anchor": f"grp-{i}", "code": _cell("groups", i, g, "code", flags),
            "name": _cell("groups", i, g, "name", flags), "place": _where(g), "flags": _rest(flags), "find": _find(g)}


def _report_row(i: int, r: dict, names: _Names) -> dict:
    flags = _flags_by_field(r)
    cells = {f: _cell("report", i, r, f, flags) for f in REPORT_FIELDS}
    m = r.get("match") or {}
    options = [{"value": "", "label": "— Chưa khớp (không ghi dòng này) —", "selected": not m.get("task_code")}]
    seen = set()
    for c in m.get("candidates") or []:
        seen.add(c["code"])
        options.append({"value": f"|{c['code']}", "label": f"{c['code']} – {(c.get('name') or '')[:100]} ({_score(c.get('score'))})",
                        "selected": c["code"] == m.get("task_code")})
    if m.get("task_code") and m["task_code"] not in seen:
        options.insert(1, {"value": f"|{m['task_code']}", "label": m["task_code"], "selected": True})
    return {
        "index": i, "anchor": f"rep-{i}", "code": r.get("code_printed") or r.get("code") or "",
        "is_parent": bool(r.get("is_parent_row")), "cells": cells, "lead_orgs": _org_choices("report", i, r, "lead", names),
        "match": {"options": options, "id": f"rep-{i}-match", "section": "report", "row": i, "label": "Nhiệm vụ của kế hoạch",
                  "flags": flags.pop("task", []), "chosen": m.get("task_code")},
        "place": _where(r), "flags": _rest(flags), "find": _find(r),
    }


def _change_row(i: int, r: dict, names: _Names) -> dict:
    flags = _flags_by_field(r)
    cells = {f: _cell("changes", i, r, f, flags, label=label) for f, label in CHANGE_LABELS.items()}
    orgs = _org_choices("changes", i, r, "new", names) if r.get("field") in ("lead", "coordinating") else []
    return {"index": i, "anchor": f"chg-{i}", "cells": cells, "new_orgs": orgs, "place": _where(r), "flags": _rest(flags)}


def _find(r: dict) -> str:
    """The start of the row's name as read, to find the row in the original text pane."""
    name = r.get("name")
    return " ".join(str(name).split()[:8]) if isinstance(name, str) else ""


def _where(r: dict) -> str:
    p = r.get("place") or {}
    try:
        return Place(**{k: p[k] for k in ("page", "table", "row", "col", "line") if k in p}).describe()
    except TypeError:
        return ""


def _header(draft: dict, names: _Names) -> dict:
    meta = draft.get("document") or {}
    header = draft.get("plan") or {}
    doc_flags = _flags_by_field(meta)
    plan_flags = _flags_by_field(header)
    doc_cells = [_cell("document", None, meta, f, doc_flags,
                       value=format_vn_date(_iso(meta.get("date"))) if f == "date" and meta.get("date") else None)
                 for f in DOCUMENT_FIELDS]
    out = {"document": doc_cells, "document_flags": _rest(doc_flags), "kind": draft.get("kind"),
           "implements": [_cited(d) for d in meta.get("implements") or []],
           "replaces": [_cited(d) for d in meta.get("replaces") or []]}
    if draft.get("kind") == "plan":
        plan_cells = [_cell("plan", None, header, f, plan_flags, label="Mã kế hoạch" if f == "code" else None)
                      for f in PLAN_FIELDS]
        owner = _org_choices("plan", None, header, "owner", names)
        for o in owner:
            o["flags"] = plan_flags.pop("owner", [])
        schedule = header.get("reporting_schedule") or "monthly"
        out.update(plan=header, plan_cells=plan_cells, owner=owner, standing=_standing(draft, header, names),
                   schedules=[{"value": k, "label": v, "selected": k == schedule} for k, v in SCHEDULE_VI.items()],
                   parents=_parent_options(header), parent_flags=plan_flags.pop("parent", []),
                   standing_flags=plan_flags.pop("standing_agency", []),
                   schedule_flags=plan_flags.pop("reporting_schedule", []),
                   plan_flags=_rest(plan_flags), exists=bool(header.get("exists")))
    elif draft.get("kind") == "report":
        ctx = draft.get("report_context") or {}
        rep = draft.get("report") or {}
        rflags = _flags_by_field({"flags": ctx.get("flags") or []})
        out.update(report=ctx, report_title=rep.get("title") or "",
                   reporter_text=rep.get("reporter") or "",
                   reporter_options=_reporter_options(ctx, draft, names),
                   as_of=_cell("report", None, {"as_of": format_vn_date(_iso(ctx.get("as_of"))) if ctx.get("as_of") else ""},
                               "as_of", rflags),
                   report_flags=_rest(rflags))
    return out


def _cited(ref) -> dict:
    """A document the plan implements or replaces, its date as dd/mm/yyyy."""
    if not isinstance(ref, dict):
        return {"number": str(ref or "")}
    d = _iso(ref.get("date")) if ref.get("date") else None
    return dict(ref, date=format_vn_date(d) if d else "")


def _parent_options(header: dict) -> list[dict]:
    """The upper-level plan this one implements: any stored plan (its rows are the alignment
    suggestions)."""
    current = header.get("parent") or ""
    options = [{"value": "", "label": "— Không có (kế hoạch cấp cao nhất) —", "selected": not current}]
    for code, name in Plan.objects.exclude(code=header.get("code") or "").order_by("code").values_list("code", "name"):
        options.append({"value": code, "label": f"{code} – {name[:100]}", "selected": code == current})
    return options


def _standing(draft: dict, header: dict, names: _Names) -> dict:
    """The standing agency is one of the organisations the document names (or its issuer)."""
    current = (header.get("standing_agency") or {}).get("code") if isinstance(header.get("standing_agency"), dict) else None
    choice = ((header.get("orgs") or {}).get("standing_agency") or [{}])[0]
    if choice.get("chosen"):
        current = choice["chosen"][0]
    codes: list[str] = []
    for ch in ((header.get("orgs") or {}).get("owner") or []):
        codes += ch.get("chosen") or []
    for rows in _all_rows(draft):
        for r in rows:
            for choices in (r.get("orgs") or {}).values():
                for ch in choices or []:
                    if ch.get("method") != "collective":
                        codes += ch.get("chosen") or []
    codes = list(dict.fromkeys(([current] if current else []) + codes))
    known = dict(Organisation.objects.filter(code__in=codes).values_list("code", "name"))
    options = [{"value": "", "label": "— Chưa chọn —", "selected": not current}]
    options += sorted(({"value": c, "label": known[c], "selected": c == current} for c in codes if c in known),
                      key=lambda o: o["label"])
    return {"options": options, "current": known.get(current or "", ""), "id": "plan-standing", "text": "Cơ quan thường trực"}


def _reporter_options(ctx: dict, draft: dict, names: _Names) -> list[dict]:
    current = (ctx.get("org") or {}).get("code")
    codes = [current] if current else []
    for r in (draft.get("report") or {}).get("rows") or []:
        for ch in (r.get("orgs") or {}).get("lead") or []:
            codes += ch.get("chosen") or []
            codes += [c["code"] for c in ch.get("candidates") or [] if c.get("score", 0) >= 90]
    codes = list(dict.fromkeys(codes))
    known = dict(Organisation.objects.filter(code__in=codes).values_list("code", "name"))
    options = [{"value": "", "label": "— Chưa chọn —", "selected": not current}]
    options += [{"value": c, "label": known[c], "selected": c == current} for c in codes if c in known]
    return options


def _flag_summary(flags: list[dict]) -> dict:
    open_, notes = [], []
    for f in flags:
        field = f.get("field") or ""
        item = dict(f, anchor=_anchor(f.get("section") or "", f.get("row")),
                    field_vi=f"Mục tiêu {field[8:]}" if field.startswith("targets.") else LABELS.get(field, ""),
                    section_vi=SECTION_VI.get(f.get("section") or "", ""),
                    row_no=(f["row"] + 1) if isinstance(f.get("row"), int) else None)
        (notes if f.get("severity") == "info" else open_).append(item)
    return {"open": open_, "notes": notes}


def _review(preview) -> dict:
    d = preview.draft
    names = _Names(d)
    years = _years(d)
    ind = d.get("indicators") or {}
    tsk = d.get("tasks") or {}
    indicator_rows = [_indicator_row(i, r, years, names) for i, r in enumerate(ind.get("rows") or [])]
    task_rows = [_task_row(i, r, names) for i, r in enumerate(tsk.get("rows") or [])]
    group_rows = [_group_row(i, g) for i, g in enumerate(tsk.get("groups") or [])]
    # Tasks under their group, in the document's order; a group without tasks still shows.
    by_group: dict = {}
    for t in task_rows:
        by_group.setdefault(str(t["group"]) if t["group"] not in (None, "") else None, []).append(t)
    task_blocks = [(None, by_group.pop(None))] if None in by_group else []
    for g in group_rows:
        task_blocks.append((g, by_group.pop(str(g["code"]["value"]), [])))
    for rest in by_group.values():
        task_blocks.append((None, rest))
    report_rows = [_report_row(i, r, names) for i, r in enumerate((d.get("report") or {}).get("rows") or [])]
    change_rows = [_change_row(i, r, names) for i, r in enumerate((d.get("amendment") or {}).get("changes") or [])]
    summary = _flag_summary(preview.flags)
    return {
        "change_rows": change_rows, "amendment": d.get("amendment"),
        "draft": d, "preview": preview, "header": _header(d, names), "years": years,
        "indicator_rows": indicator_rows, "task_rows": task_rows, "group_rows": group_rows, "task_blocks": task_blocks,
        "report_rows": report_rows, "flag_summary": summary, "open_flags": len(summary["open"]),
        "show_align": any(r["align"] for r in indicator_rows + task_rows),
        "text": d.get("text") or "", "source": d.get("source") or {}, "stats": d.get("stats") or {},
        "schedule_vi": SCHEDULE_VI,
    }


__all__ = ["ingest_upload", "ingest_job", "ingest_status", "ingest_cell", "ingest_org", "ingest_align",
           "ingest_reset", "ingest_apply"]
