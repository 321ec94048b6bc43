"""Corrections → corrected draft → preview → apply (one transaction, all or nothing).

A plan goes through plans.interchange.normalize (the one validation layer) and then
plans.services.plan_import (a new plan) or plan_apply_amendment (a plan of that code exists:
the diff first, rows with reports retired, never deleted). A progress report becomes the
unit's report for the period that contains its "as of" day, with a progress line for each
row matched to a task of the unit; rows that match nothing are listed, never dropped."""

from __future__ import annotations

import copy
import logging
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from planwatch.lib.agencies import split_agency_list
from planwatch.lib.text import search_key

from . import pipeline as P
from .pipeline import section_rows  # noqa: F401 - re-exported for services

log = logging.getLogger(__name__)

PLAN_FIELDS = {"code", "name", "parent", "milestone_years", "reporting_schedule", "reporting_due_day", "monitored"}
DOCUMENT_FIELDS = {"number", "date", "kind", "title", "issuer", "signer"}
ROW_FIELDS = {
    "indicators": {"code", "parent", "name", "unit", "agency", "is_group"},
    "tasks": {"code", "group", "name", "lead", "coordinating", "result", "deadline"},
    "groups": {"code", "name"},
    "report": {"name", "lead", "required_result", "deadline", "result_to_date", "expected_next", "obstacles", "status"},
    "changes": {"target", "target_kind", "field", "year", "old", "new"},
}
CHANGE_FIELDS = {"deadline", "lead", "coordinating", "result", "name", "target"}
REPORT_HEADER_FIELDS = {"as_of", "reporter", "plan"}
LIST_FIELDS = {"lead", "coordinating"}
MAX_CELL = 5000
STATUS_WORDS = {
    "done": ("da hoan thanh", "hoan thanh", "da thuc hien xong", "xong"),
    "not_started": ("chua trien khai", "chua thuc hien", "chua bat dau"),
    "in_progress": ("dang thuc hien", "dang trien khai", "dang xay dung", "dang hoan thien"),
}


def _problem(message: str, code: str = "invalid"):
    from .services import ImportProblem

    return ImportProblem(message, code=code)


# ---------------------------------------------------------------- checking a correction


def check_field(draft: dict, section: str, row: int | None, field: str, value: Any) -> None:
    """Refuse (ImportProblem, Vietnamese) a correction of an unknown field or of a wrong type."""
    if section == "plan":
        allowed = PLAN_FIELDS
    elif section == "document":
        allowed = DOCUMENT_FIELDS
    elif section == "report" and row is None:
        allowed = REPORT_HEADER_FIELDS
    else:
        allowed = ROW_FIELDS.get(section, set())
    is_target = section == "indicators" and field.startswith("targets.") and field[8:].isdigit()
    if field not in allowed and not is_target:
        raise _problem(f"Không sửa được trường “{field}” ở phần này của bản nháp.")
    if isinstance(value, str):
        if len(value) > MAX_CELL:
            raise _problem(f"Nội dung ô quá dài (tối đa {MAX_CELL} ký tự).")
    elif isinstance(value, list):
        if field not in LIST_FIELDS | {"milestone_years"} or not all(isinstance(x, (str, int)) for x in value):
            raise _problem(f"Giá trị của trường “{field}” không hợp lệ.")
    elif isinstance(value, bool):
        if field not in ("is_group", "monitored"):
            raise _problem(f"Giá trị của trường “{field}” không hợp lệ.")
    elif isinstance(value, int):
        if field != "reporting_due_day":
            raise _problem(f"Giá trị của trường “{field}” không hợp lệ.")
    elif value is not None:
        raise _problem(f"Giá trị của trường “{field}” không hợp lệ.")
    if field in ("date", "as_of") and value:
        _parse_day(value)
    if section == "plan" and field == "parent" and value:
        from planwatch.plans.models import Plan

        if not Plan.objects.filter(code=str(value).strip()).exists():
            raise _problem(f"Không có kế hoạch cấp trên mã “{value}”.")
    if section == "report" and field == "plan":
        from planwatch.plans.models import Plan

        if not Plan.objects.filter(code=str(value or "").strip()).exists():
            raise _problem(f"Không có kế hoạch mã “{value}”.")


def _parse_day(value) -> date:
    s = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            pass
    raise _problem(f"Ngày “{s[:30]}” không hợp lệ (dạng dd/mm/yyyy).")


# ---------------------------------------------------------------- the corrected draft


def _split_key(key: str) -> tuple[str, int | None, str]:
    section, rest = key.split(":", 1)
    row_s, _, field = rest.partition(":")
    return section, int(row_s) if row_s.isdigit() else None, field


def _suggester(draft: dict):
    from planwatch.orgs.models import Organisation

    from .resolve import OrgSuggester

    ctx = draft.get("context") or {}
    root = Organisation.objects.filter(code=ctx.get("root")).first() if ctx.get("root") else None
    on = P._iso(ctx.get("on"))
    today = P._iso(ctx.get("today"))
    return OrgSuggester(root, on=on, today=today)


def corrected_draft(draft: dict, corrections: dict | None) -> dict:
    """A copy of the draft with the person's corrections applied (cells, organisation choices,
    alignments, report row matches) and its interchange document and flag list re-built.
    Reads the database (organisations) when an agency cell was corrected; writes nothing."""
    d = copy.deepcopy(draft)
    c = corrections or {}
    suggester = None
    for key, value in sorted((c.get("cells") or {}).items()):
        section, row, field = _split_key(key)
        if section == "plan":
            header = d.setdefault("plan", {})
            if field == "milestone_years":
                value = _years(value)
            header[field] = value
            continue
        if section == "document":
            meta = d["document"]
            meta[field] = _parse_day(value).isoformat() if field == "date" and value else value
            meta.pop(f"{field}_restored", None)
            continue
        if section == "report" and row is None:
            ctx = d.setdefault("report_context", {})
            if field == "as_of":
                ctx["as_of"] = _parse_day(value).isoformat() if value else None
                drop = "as_of"
            elif field == "plan":
                from planwatch.plans.models import Plan

                target = Plan.objects.filter(code=(value or "").strip()).first()
                if target is None:
                    raise _problem(f"Không có kế hoạch mã “{value}”.")
                ctx["plan"], ctx["plan_name"] = target.code, target.name
                P.match_report_rows(d, target)
                drop = "plan"
            else:  # reporter: the unit as printed
                from .resolve import find_org

                org = find_org(value, on=P._iso(ctx.get("as_of")))
                ctx["org"] = P.R_ref(org)
                drop = "reporter" if org is not None else None
            for holder in (ctx, d.get("report") or {}):
                holder["flags"] = [f for f in holder.get("flags") or [] if f.get("field") != drop]
            continue
        rows = section_rows(d, section)
        if row is None or row >= len(rows):
            continue
        r = rows[row]
        if field.startswith("targets."):
            year = field[8:]
            r.setdefault("targets", {})[year] = value if value not in ("",) else None
            (r.get("target_specs") or {}).pop(year, None)
        else:
            if field in LIST_FIELDS and isinstance(value, str):
                value = split_agency_list(value) or ([value] if value.strip() else [])
            r[field] = value
            r.pop(f"{field}_restored", None)
        r.setdefault("corrected", [])
        if field not in r["corrected"]:
            r["corrected"].append(field)
        r["flags"] = [f for f in r.get("flags") or [] if f.get("field") != field]
        if field in P.AGENCY_FIELDS.get(section, ()):
            suggester = suggester or _suggester(d)
            P.resolve_row_orgs(r, (field,), suggester)
        if section == "changes":
            r["flags"] = [f for f in r["flags"] if f.get("field") not in ("field", "target")] \
                if r.get("field") in CHANGE_FIELDS and r.get("target") else r["flags"]
            if r.get("field") in ("lead", "coordinating") and field in ("new", "field"):
                suggester = suggester or _suggester(d)
                P.resolve_row_orgs(r, ("new",), suggester)
    for key, by_text in sorted((c.get("orgs") or {}).items()):
        section, row, field = _split_key(key)
        if section == "plan":
            choices = d.setdefault("plan", {}).setdefault("orgs", {}).setdefault(field, [])
            if not choices:
                choices.append({"text": next(iter(by_text)), "method": "chosen", "chosen": [], "candidates": [], "flags": []})
            for ch in choices:
                ch["chosen"], ch["method"] = list(by_text.get(ch["text"], by_text[next(iter(by_text))])), "chosen"
            d["plan"]["flags"] = [f for f in d["plan"].get("flags") or [] if f.get("field") != field]
            continue
        if section == "report" and row is None:
            codes = next(iter(by_text.values()), [])
            ctx = d.setdefault("report_context", {})
            ctx["org"] = {"code": codes[0], "name": ""} if codes else None
            ctx["flags"] = [f for f in ctx.get("flags") or [] if f.get("field") != field]
            rep = d.get("report") or {}
            rep["flags"] = [f for f in rep.get("flags") or [] if f.get("field") != field]
            continue
        rows = section_rows(d, section)
        if row is None or row >= len(rows):
            continue
        r = rows[row]
        for ch in (r.get("orgs") or {}).get(field) or []:
            if ch.get("text") in by_text:
                ch["chosen"], ch["method"] = list(by_text[ch["text"]]), "chosen"
                r["flags"] = [f for f in r.get("flags") or []
                              if not (f.get("field") == field and f"“{ch['text']}”" in (f.get("reason") or ""))]
    for key, target in (c.get("alignments") or {}).items():
        section, row, _ = _split_key(key + ":")
        rows = section_rows(d, section)
        if row is None or row >= len(rows):
            continue
        r = rows[row]
        align = r.setdefault("align", {"chosen": None, "candidates": [], "flags": []})
        if target and not target.get("plan"):
            target = {"plan": (d.get("plan") or {}).get("parent") or "", "code": target["code"]}
        align["chosen"], align["note"] = (dict(target) if target else None), P.PERSON_CHOICE
        fld = "aligned_to" if section == "indicators" else "derived_from"
        r["flags"] = [f for f in r.get("flags") or [] if f.get("field") != fld]
    for row_s, code in (c.get("report_matches") or {}).items():
        rows = section_rows(d, "report")
        i = int(row_s)
        if i < len(rows):
            m = rows[i].setdefault("match", {"candidates": []})
            m["task_code"], m["chosen_by_person"] = code, True
            rows[i]["flags"] = [f for f in rows[i].get("flags") or [] if f.get("field") != "task"]
    if d.get("kind") == "plan":
        header = d.get("plan") or {}
        if header.get("parent") != (draft.get("plan") or {}).get("parent"):
            _realign(d, header.get("parent"), c)
        if header.get("code") != (draft.get("plan") or {}).get("code"):
            from planwatch.plans.models import Plan

            header["exists"] = Plan.objects.filter(code=header.get("code")).exists()
        d["interchange"] = P.interchange_from_draft(d)
        if (d.get("plan") or {}).get("exists"):
            P.carry_existing(d["interchange"], d)
    d["flags"] = P.collect_flags(d)
    return d


def _realign(d: dict, parent_code: str | None, corrections: dict) -> None:
    """The person chose another upper-level plan: suggestions are ranked again against its
    rows (choices the person made row by row are applied after, and still win)."""
    from planwatch.plans.models import Plan

    from .resolve import align, upper_rows

    uppers = upper_rows(Plan.objects.filter(code=parent_code).first() if parent_code else None)
    chosen_by_person = set((corrections.get("alignments") or {}).keys())
    for section, kind, fld, min_choose in (("indicators", "indicators", "aligned_to", 88), ("tasks", "tasks", "derived_from", 85)):
        for i, r in enumerate(section_rows(d, section)):
            if r.get("is_group") or f"{section}:{i}" in chosen_by_person:
                continue
            r["flags"] = [f for f in r.get("flags") or [] if f.get("field") != fld]
            r["align"] = align(P.align_text(r) if kind == "indicators" else (P.text_of(r, "name") or ""), uppers[kind],
                               min_choose=min_choose)
            for reason in r["align"]["flags"]:
                P.add_flag(r, fld, reason, "info")


def _years(value) -> list[int]:
    if isinstance(value, str):
        value = [x for x in value.replace(";", ",").split(",") if x.strip()]
    out = []
    for x in value or []:
        try:
            out.append(int(str(x).strip()))
        except ValueError:
            raise _problem(f"Mốc năm “{str(x)[:10]}” không hợp lệ.") from None
    return sorted(set(out))


# ---------------------------------------------------------------- preview


def preview(job):
    """services.draft_preview's body (see there)."""
    from planwatch.plans.interchange import normalize
    from planwatch.plans.services import plan_diff
    from planwatch.plans.validation import InterchangeError

    from .services import Preview

    d = corrected_draft(job.draft, job.corrections)
    out = Preview(kind=d["kind"], draft=d, flags=d["flags"])
    if d["kind"] == "plan":
        out.interchange = d["interchange"]
        try:
            doc = normalize(d["interchange"])
        except InterchangeError as e:
            out.errors.append(str(e))
            return out
        diff = plan_diff({**doc, "_normalized": True})
        out.diff, out.fingerprint = diff, diff.fingerprint
    elif d["kind"] == "report":
        out.report, errors = _report_plan_of(d, day=None)
        out.errors += errors
    elif d["kind"] == "amendment":
        version, errors = amended_version(d)
        out.errors += errors
        if version is not None:
            out.interchange = version
            try:
                doc = normalize(version)
            except InterchangeError as e:
                out.errors.append(str(e))
                return out
            diff = plan_diff({**doc, "_normalized": True})
            out.diff, out.fingerprint = diff, diff.fingerprint
    else:
        out.errors.append(P.NO_TABLE)
    return out


# ---------------------------------------------------------------- amendment decisions


def _change_label(i: int, ch: dict) -> str:
    return f"dòng {i + 1} (“{(ch.get('what') or '')[:80]}”)"


def amended_version(d: dict) -> tuple[dict | None, list[str]]:
    """The amended plan's new version (plans.interchange.export_plan with the decision's
    changes applied) and the Vietnamese problems that stop the apply (amended plan missing,
    changes not recognised: the person corrects them on the review page)."""
    from planwatch.plans.interchange import export_plan
    from planwatch.plans.models import Plan

    am = d.get("amendment") or {}
    code = (am.get("plan") or {}).get("code")
    plan = Plan.objects.filter(code=code).first() if code else None
    if plan is None:
        number = (am.get("amends") or {}).get("number") or "?"
        return None, [f"Chưa có kế hoạch số “{number}” trong hệ thống: nhập kế hoạch đó trước rồi áp dụng quyết định điều chỉnh."]
    changes = am.get("changes") or []
    if not changes:
        return None, ["Không có nội dung điều chỉnh nào để áp dụng."]
    version = export_plan(plan)
    rows = {"tasks": version["tasks"], "indicators": [r for r in version["indicators"] if not r["is_group"]]}
    bad: list[str] = []
    for i, ch in enumerate(changes):
        row = P.find_amended_row(rows, ch) if ch.get("field") in CHANGE_FIELDS else None
        why = None
        if row is None:
            why = "chưa rõ nhiệm vụ/chỉ tiêu hoặc trường được điều chỉnh"
        else:
            why = _apply_change(row, ch, d)
        if why:
            bad.append(f"- {_change_label(i, ch)}: {why}")
    if bad:
        return None, ["Chưa áp dụng được các nội dung điều chỉnh sau (sửa lại trên trang xem lại):\n" + "\n".join(bad)]
    return version, []


def _apply_change(row: dict, ch: dict, d: dict) -> str | None:
    """Write one change into an exported row; a Vietnamese reason when it cannot be."""
    from planwatch.lib.deadlines import DeadlineKind

    field, new = ch.get("field"), P.nfc(str(ch.get("new") or "").strip())
    is_indicator = "targets" in row
    if not new and field != "coordinating":
        return "thiếu nội dung mới"
    if field == "name":
        row["name"] = new
    elif is_indicator and field == "target":
        year = P._year_of(ch.get("year"))
        if year is None:
            years = [t["year"] for t in row["targets"]]
            if len(years) != 1:
                return "chưa rõ chỉ tiêu của năm nào"
            year = years[0]
        spec = P._parsed_target(new, False).value.to_dict()
        row["targets"] = [t for t in row["targets"] if t["year"] != year] + [{"year": year, "raw": new, "spec": spec, "note": ""}]
        row["targets"].sort(key=lambda t: t["year"])
    elif is_indicator:
        return "trường này không điều chỉnh được ở chỉ tiêu"
    elif field == "deadline":
        dl = P._parsed_deadline(new)
        if dl.value.kind is DeadlineKind.UNKNOWN:
            return f"không hiểu thời hạn “{new}”"
        row["deadline_raw"], row["deadline"] = new[:255], dl.value.to_dict()
    elif field == "result":
        row["result"] = new
    elif field in ("lead", "coordinating"):
        chosen = [c for ch_ in (ch.get("orgs") or {}).get("new") or [] for c in ch_.get("chosen") or []]
        if new and not chosen:
            return f"chưa xác định được đơn vị “{new}”"
        row[f"{field}_text"] = split_agency_list(new) or ([new] if new else [])
        keep = [a for a in row["assignments"] if a["role"] != field]
        row["assignments"] = keep + [{"org": c, "role": field, "source_text": new[:255]} for c in dict.fromkeys(chosen)]
    else:
        return "chưa rõ trường được điều chỉnh"
    return None


def _apply_amendment(job, d: dict, actor, *, effective, document, reason, expected_fingerprint) -> None:
    from planwatch.plans.access import can_import_plans
    from planwatch.plans.interchange import normalize
    from planwatch.plans.models import Plan
    from planwatch.plans.services import diff_as_text, plan_apply_amendment, plan_diff

    if actor is not None and not can_import_plans(actor):
        raise _problem("Bạn không có quyền nhập hoặc điều chỉnh kế hoạch.", code="forbidden")
    version, errors = amended_version(d)
    if errors:
        raise _problem("\n".join(errors))
    meta = d.get("document") or {}
    doc = normalize(version)
    own = {"number": meta.get("number"), "kind": P.text_of(meta, "kind") or "Quyết định", "date": meta.get("date"),
           "title": P.text_of(meta, "title") or "", "issuer_name": P.text_of(meta, "issuer") or ""}
    if document is None and meta.get("number"):
        document = own
    elif isinstance(document, dict) and P._number_key(document.get("number")) == P._number_key(meta.get("number")):
        document = {**own, **{k: v for k, v in document.items() if v}}  # the confirm form's number/date, with the rest
    effective = effective or P._iso(meta.get("date")) or timezone.localdate()
    diff = plan_diff({**doc, "_normalized": True})
    plan_apply_amendment(data=doc, effective=effective, actor=actor, document=document, reason=reason,
                         expected_fingerprint=expected_fingerprint)
    job.result_note = f"Điều chỉnh kế hoạch theo {meta.get('number') or 'quyết định'}:\n" + diff_as_text(diff)
    job.result_plan = Plan.objects.get(code=doc["plan"]["code"])


# ---------------------------------------------------------------- reports


def _status_of(row: dict) -> str:
    """A progress line's status: the status column when there is one, else read from the
    result text ("Đã hoàn thành …" is done, any other result is in progress)."""
    from planwatch.reporting.models import ProgressStatus

    for text in (P.text_of(row, "status"), P.text_of(row, "result_to_date")):
        key = search_key(text or "")
        if not key:
            continue
        for status, words in STATUS_WORDS.items():
            if any(key.startswith(w) for w in words):
                return ProgressStatus(status).value
        if text is P.text_of(row, "result_to_date"):
            return ProgressStatus.IN_PROGRESS.value
    return ProgressStatus.NOT_STARTED.value


def _report_plan_of(d: dict, *, day: date | None) -> tuple[dict, list[str]]:
    """The report preview: plan, unit, period (existing or to be opened), matched rows with the
    values to write, unmatched rows with the reason."""
    from planwatch.orgs.models import Organisation
    from planwatch.plans.models import Plan

    ctx = d.get("report_context") or {}
    errors: list[str] = []
    plan = Plan.objects.filter(code=ctx.get("plan")).first() if ctx.get("plan") else None
    org = Organisation.objects.filter(code=(ctx.get("org") or {}).get("code")).first() if ctx.get("org") else None
    if plan is None:
        errors.append("Chưa xác định được kế hoạch của báo cáo: tải tệp lên từ trang của kế hoạch đó.")
    if org is None:
        errors.append("Chưa xác định được đơn vị báo cáo: chọn đơn vị.")
    as_of = P._iso(ctx.get("as_of")) or day or timezone.localdate()
    period_text, lines = "", {}
    if plan is not None:
        kind, year, number, existing = _period_for(plan, as_of)
        period_text = existing.label if existing else _period_label(kind, year, number, as_of)
        if org is not None:
            from planwatch.reporting.selectors import tasks_of_unit

            if existing is not None:
                tasks = tasks_of_unit(plan, org, existing)
                current = existing.reports.filter(org=org).first()
                if current is not None and not current.is_editable:
                    errors.append(f"Báo cáo của {org.name} kỳ {existing.label} đang ở trạng thái "
                                  f"“{current.get_status_display()}”: không ghi đè được (cần trả lại báo cáo trước).")
            else:
                tasks = list(plan.tasks.filter(retired_on=None, assignments__org=org).distinct())
            lines = {t.code: t for t in tasks}
    matched, unmatched = [], []
    for i, r in enumerate(section_rows(d, "report")):
        if r.get("is_parent_row"):
            continue
        code = (r.get("match") or {}).get("task_code")
        name = P.text_of(r, "name") or ""
        cands = (r.get("match") or {}).get("candidates") or []
        if code and code in lines:
            matched.append({"row": i, "task_code": code, "task_name": lines[code].name,
                            "score": (r.get("match") or {}).get("score"), "fields": _line_fields(r)})
        elif code:
            unmatched.append({"row": i, "name": name, "candidates": cands,
                              "reason": f"Nhiệm vụ “{code}” không giao cho đơn vị báo cáo trong kỳ này"})
        else:
            unmatched.append({"row": i, "name": name, "candidates": cands,
                              "reason": "Không khớp được với nhiệm vụ nào của kế hoạch"})
    if plan is not None and org is not None and not matched:
        errors.append("Không dòng nào của báo cáo khớp với nhiệm vụ được giao cho đơn vị: chọn nhiệm vụ cho từng dòng.")
    return {"plan": {"code": plan.code, "name": plan.name} if plan else None,
            "org": {"code": org.code, "name": org.name} if org else None,
            "as_of": as_of.isoformat(), "period": period_text, "matched": matched, "unmatched": unmatched}, errors


def _line_fields(r: dict) -> dict:
    return {
        "status": _status_of(r),
        "result_to_date": P.text_of(r, "result_to_date") or "",
        "expected_next": P.text_of(r, "expected_next") or "",
        "obstacles": P.text_of(r, "obstacles") or "",
    }


def _period_for(plan, as_of: date):
    """(kind, year, number, existing period or None) for the day a report's figures stand at:
    an existing period of the plan containing it (the schedule's kind first), else the
    schedule's calendar period containing it, else an ad hoc period ending that day."""
    from planwatch.reporting import periods as PR
    from planwatch.reporting.models import PeriodKind, ReportingPeriod

    kind = PR.SCHEDULE_KIND.get(plan.reporting_schedule)
    existing = list(ReportingPeriod.objects.filter(plan=plan, start__lte=as_of, end__gte=as_of))
    existing.sort(key=lambda p: (p.kind != kind, p.is_sample, (p.end - p.start).days))
    if existing:
        p = existing[0]
        return p.kind, p.year, p.number, p
    if kind is None:
        return PeriodKind.AD_HOC, as_of.year, 0, None
    number = {PeriodKind.MONTH: as_of.month, PeriodKind.QUARTER: (as_of.month - 1) // 3 + 1,
              PeriodKind.HALF: 1 if as_of.month <= 6 else 2, PeriodKind.YEAR: 1}[kind]
    try:
        PR.bounds(kind, as_of.year, number)
    except ValueError:
        number = 0
    return kind, as_of.year, number, None


def _period_label(kind, year, number, as_of) -> str:
    from planwatch.reporting import periods as PR

    return PR.label_for(kind, year, number, end=as_of) + " (sẽ mở kỳ mới)"


def _apply_report(job, d: dict, actor, *, day: date | None) -> dict:
    from planwatch.orgs.models import Organisation
    from planwatch.plans.models import Plan
    from planwatch.reporting import services as RS
    from planwatch.reporting.models import PeriodKind, TaskProgress

    summary, errors = _report_plan_of(d, day=day)
    if errors:
        raise _problem(" ".join(errors))
    plan = Plan.objects.get(code=summary["plan"]["code"])
    org = Organisation.objects.get(code=summary["org"]["code"])
    _check_report_allowed(actor, org)
    as_of = date.fromisoformat(summary["as_of"])
    kind, year, number, period = _period_for(plan, as_of)
    if period is None:
        if kind == PeriodKind.AD_HOC or not number:
            period = RS.period_open(plan=plan, kind=PeriodKind.AD_HOC, year=as_of.year, end=as_of)
        else:
            period = RS.period_open(plan=plan, kind=kind, year=year, number=number)
    report = RS.report_open(period=period, org=org, by=None)
    if not report.is_editable:
        raise _problem(
            f"Báo cáo của {org.name} kỳ {period.label} đang ở trạng thái “{report.get_status_display()}”: "
            "không ghi đè được (cần trả lại báo cáo trước)."
        )
    lines = {tl.task.code: tl for tl in report.task_lines.select_related("task")}
    changed, unmatched = [], list(summary["unmatched"])
    for m in summary["matched"]:
        tl = lines.get(m["task_code"])
        if tl is None:
            unmatched.append({"row": m["row"], "name": m["task_name"], "candidates": [],
                              "reason": f"Nhiệm vụ “{m['task_code']}” không có trong báo cáo của đơn vị kỳ này"})
            continue
        for f, value in m["fields"].items():
            setattr(tl, f, value)
        if tl.status != "done":
            tl.completed_on = None
        changed.append(tl)
    TaskProgress.objects.bulk_update(changed, ["status", "completed_on", "result_to_date", "expected_next", "obstacles"])
    report.version += 1
    report.updated_by = actor if getattr(actor, "pk", None) else None
    report.save()
    RS._record_revision(report, report.updated_by)
    RS._event(report, action="imported", by=report.updated_by, from_status=report.status,
              comment=f"Nhập từ tệp “{job.filename}”: {len(changed)} dòng tiến độ")
    summary["unmatched"] = unmatched
    summary["written"] = len(changed)
    summary["period"] = period.label
    return {"report": report, "summary": summary}


def _check_report_allowed(actor, org) -> None:
    if actor is None:
        return  # the management command
    from planwatch.orgs.access import roles_over
    from planwatch.plans.access import can_import_plans
    from planwatch.reporting.access import EDIT_ROLES

    if can_import_plans(actor) or roles_over(actor, org) & EDIT_ROLES:
        return
    raise _problem(f"Bạn không có quyền nhập báo cáo của {org.name}.", code="forbidden")


# ---------------------------------------------------------------- apply


def apply(job, actor, *, effective: date | None = None, document: Any = None, reason: str = "",
          expected_fingerprint: str | None = None):
    """services.draft_apply's body (see there)."""
    from planwatch.plans.validation import InterchangeError
    from planwatch.reporting.services import ReportingError

    from ..models import ImportJob

    try:
        with transaction.atomic():
            locked = ImportJob.objects.select_for_update(of=("self",)).get(pk=job.pk)
            if locked.applied_at is not None:
                raise _problem("Bản nháp này đã được áp dụng.", code="applied")
            d = corrected_draft(locked.draft, locked.corrections)
            if d["kind"] == "plan":
                _apply_plan(locked, d, actor, effective=effective, document=document, reason=reason,
                            expected_fingerprint=expected_fingerprint)
            elif d["kind"] == "amendment":
                _apply_amendment(locked, d, actor, effective=effective, document=document, reason=reason,
                                 expected_fingerprint=expected_fingerprint)
            elif d["kind"] == "report":
                out = _apply_report(locked, d, actor, day=effective)
                locked.result_report = out["report"]
                s = out["summary"]
                locked.result_plan_id = out["report"].period.plan_id
                lines = [f"Báo cáo của {s['org']['name']}, {s['period']}: ghi {s['written']} dòng tiến độ."]
                if s["unmatched"]:
                    lines.append(f"{len(s['unmatched'])} dòng chưa khớp nhiệm vụ (không ghi):")
                    lines += [f"- dòng {u['row'] + 1}: {u['name'][:120]} ({u['reason']})" for u in s["unmatched"]]
                locked.result_note = "\n".join(lines)
            else:
                raise _problem(P.NO_TABLE, code="no_table")
            locked.applied_at = timezone.now()
            locked.applied_by = actor if getattr(actor, "pk", None) else None
            locked.save(update_fields=["applied_at", "applied_by", "result_plan", "result_report", "result_note"])
    except InterchangeError as e:
        raise _problem(str(e)) from e
    except ReportingError as e:
        raise _problem(str(e)) from e
    except Exception as e:
        from django.core.exceptions import ValidationError

        from .services import ImportProblem

        if isinstance(e, ImportProblem):
            raise
        if isinstance(e, ValidationError):
            raise _problem("; ".join(e.messages)) from e
        log.exception("import job %s: apply failed", job.pk)
        raise _problem(f"Lỗi không mong đợi khi áp dụng bản nháp ({e.__class__.__name__}); không có gì được ghi. "
                       "Vui lòng thử lại hoặc báo quản trị.", code="unexpected") from e
    job.refresh_from_db()
    return job


def _apply_plan(job, d: dict, actor, *, effective, document, reason, expected_fingerprint) -> None:
    from planwatch.plans.access import can_import_plans
    from planwatch.plans.interchange import normalize
    from planwatch.plans.models import Plan
    from planwatch.plans.services import diff_as_text, plan_apply_amendment, plan_diff, plan_import

    if actor is not None and not can_import_plans(actor):
        raise _problem("Bạn không có quyền nhập hoặc điều chỉnh kế hoạch.", code="forbidden")
    doc = normalize(d["interchange"])
    code = doc["plan"]["code"]
    if Plan.objects.filter(code=code).exists():
        effective = effective or timezone.localdate()
        if document is None and not (reason or "").strip():
            reason = f"Nhập phiên bản mới của kế hoạch từ tệp “{job.filename}”"
        diff = plan_diff({**doc, "_normalized": True})
        plan_apply_amendment(data=doc, effective=effective, actor=actor, document=document, reason=reason,
                             expected_fingerprint=expected_fingerprint)
        job.result_note = "Điều chỉnh kế hoạch:\n" + diff_as_text(diff)
    else:
        plan_import(data=doc, actor=actor, reason=reason or f"Nhập kế hoạch từ tệp “{job.filename}”")
        job.result_note = (f"Đã nhập kế hoạch {code}: {len(doc['indicators'])} chỉ tiêu, "
                           f"{len(doc['task_groups'])} nhóm nhiệm vụ, {len(doc['tasks'])} nhiệm vụ.")
    job.result_plan = Plan.objects.get(code=code)
