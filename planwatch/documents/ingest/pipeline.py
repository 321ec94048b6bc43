"""Document → draft: run the parsers, decide what the document is, restore diacritics when the
text has none, resolve agencies and upper-level rows, build the interchange plan.

The parsers (readers, indicators, tasks, reports, metadata, prose, footnotes, lib.diacritics)
are imported lazily: a parser that is not there (yet) or that fails contributes nothing, and
the failure is a flag on the draft rather than a lost upload.

The draft is plain JSON (saved on ImportJob.draft). Its rows keep the text AS READ; next to
each agency cell, row["orgs"][field] lists one choice per printed name (chosen organisation
codes and ranked candidates, resolve.OrgSuggester.choice); row["align"] holds the upper-level
row suggestions (resolve.align). interchange_from_draft() turns a (corrected) draft into a
planwatch-plan document without touching the database."""

from __future__ import annotations

import functools
import importlib
import inspect
import json
import logging
import re
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from planwatch.lib.deadlines import parse_deadline
from planwatch.lib.targets import parse_target
from planwatch.lib.text import collapse_ws, nfc, strip_accents

from .errors import DocumentError
from .model import Flag, Place, SourceDoc

log = logging.getLogger(__name__)

NO_TABLE = (
    "Không tìm thấy bảng chỉ tiêu, bảng nhiệm vụ hay mục tiêu nào trong văn bản: hãy kiểm tra tệp có phải là "
    "kế hoạch (bảng chỉ tiêu, bảng nhiệm vụ, mục tiêu theo từng mốc) hoặc báo cáo tiến độ (bảng nhiệm vụ có "
    "cột kết quả) không."
)
# Fields whose text is restored when the document has no diacritics.
RESTORE_FIELDS = {
    "indicators": ("name", "unit", "agency"),
    "tasks": ("name", "lead", "coordinating", "result", "deadline"),
    "groups": ("name",),
    "report": ("name", "lead", "required_result", "deadline", "result_to_date", "expected_next", "obstacles"),
    "targets": ("text", "area", "unit"),
    "document": ("title", "issuer", "kind", "signer"),
}
AGENCY_FIELDS = {"indicators": ("agency",), "tasks": ("lead", "coordinating"), "report": ("lead",)}
DEFAULT_SCHEDULE = "monthly"
TASK_CODE_MAX = 16
INDICATOR_CODE_MAX = 32

Progress = Callable[..., None]


# ---------------------------------------------------------------- parsers, lazily


def _module(name: str):
    try:
        return importlib.import_module(f"{__package__}.{name}")
    except ImportError as e:
        missing = getattr(e, "name", "") or ""
        wanted = f"{__package__}.{name}"
        if missing and (wanted.startswith(missing) or missing.startswith(wanted)):
            return None  # not written yet
        log.exception("ingest module %s failed to import", name)
        return None


def _parser(name: str, func: str):
    mod = _module(name)
    return getattr(mod, func, None) if mod is not None else None


class _Run:
    """Calls parsers, turning a crash into a flag (the draft still shows what else was read)."""

    def __init__(self) -> None:
        self.flags: list[dict] = []

    def __call__(self, module: str, func: str, *args, **kwargs):
        fn = _parser(module, func)
        if fn is None:
            return None
        try:
            return fn(*args, **kwargs)
        except DocumentError:
            raise
        except Exception as e:  # noqa: BLE001 - one parser's bug must not lose the upload
            log.exception("parser %s.%s failed", module, func)
            self.flags.append(Flag(
                field=module, reason=f"Bộ nhận dạng “{module}” gặp lỗi ({e.__class__.__name__}): phần này có thể bị thiếu",
                severity="error",
            ).to_dict())
            return None


# ---------------------------------------------------------------- diacritics


def _diacritics():
    """lib.diacritics, wherever it lives (the ingest package's lib or planwatch.lib)."""
    mod = _module("lib.diacritics")
    if mod is None:
        try:
            mod = importlib.import_module("planwatch.lib.diacritics")
        except ImportError:
            return None
    return mod


def _restorer(lexicon: list[str] | None, text: str = "") -> Callable[[str], str] | None:
    """restore() set up once per document: the shipped model extended with what the database
    knows (organisation names, aliases, plan texts), known phrases first, and the OCR mode
    (typical misreadings undone) when the text reads like OCR."""
    mod = _diacritics()
    fn = getattr(mod, "restore", None)
    if fn is None:
        return None
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        params = {}
    kwargs: dict[str, Any] = {}
    if lexicon and "lexicon" in params:
        kwargs["lexicon"] = mod.Lexicon(lexicon) if hasattr(mod, "Lexicon") else lexicon
    if lexicon and "model" in params and hasattr(mod, "extend_model"):
        try:
            kwargs["model"] = mod.extend_model(lexicon, lexicon)
        except Exception:  # noqa: BLE001 - the shipped model alone still restores
            log.exception("extend_model failed")
    if "ocr" in params and hasattr(mod, "looks_like_ocr"):
        kwargs["ocr"] = bool(mod.looks_like_ocr(text, model=kwargs.get("model")))
    return lambda value: fn(value, **kwargs)


def has_diacritics(text: str) -> bool:
    fn = getattr(_diacritics(), "has_diacritics", None)
    if fn is not None:
        try:
            return bool(fn(text))
        except Exception:  # noqa: BLE001
            log.exception("has_diacritics failed")
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 40:
        return True
    changed = sum(1 for c in letters if strip_accents(c) != c)
    return changed / len(letters) > 0.02


def lexicon() -> list[str]:
    """What the system already knows, for diacritic restoration: organisation names and
    aliases, indicator and task names of existing plans."""
    from planwatch.orgs.models import Organisation, OrgAlias
    from planwatch.plans.models import Indicator, Task, TaskGroup

    out = list(Organisation.objects.values_list("name", flat=True))
    out += [s for s in Organisation.objects.values_list("short_name", flat=True) if s]
    out += list(OrgAlias.objects.values_list("alias", flat=True))
    out += list(Indicator.objects.values_list("name", flat=True)[:20000])
    out += list(Task.objects.values_list("name", flat=True)[:20000])
    out += list(TaskGroup.objects.values_list("name", flat=True)[:5000])
    return list(dict.fromkeys(out))


def _restore_rows(rows: list[dict], fields: tuple[str, ...], restore: Callable[[str], str]) -> int:
    n = 0
    for r in rows:
        for f in fields:
            v = r.get(f)
            if isinstance(v, str) and v.strip():
                r[f"{f}_restored"] = nfc(restore(v))
                n += 1
            elif isinstance(v, list) and v:
                r[f"{f}_restored"] = [nfc(restore(x)) if isinstance(x, str) else x for x in v]
                n += 1
    return n


def text_of(row: dict, f: str):
    """A field as the interchange uses it: restored text when there is one, else as read."""
    v = row.get(f"{f}_restored")
    return v if v not in (None, "", []) else row.get(f)


# ---------------------------------------------------------------- flags


def _place(row: dict) -> Place:
    p = row.get("place") or {}
    return Place(**{k: p[k] for k in ("page", "table", "row", "col", "line") if k in p})


def add_flag(row: dict, field: str, reason: str, severity: str = "warning") -> None:
    flag = Flag(field=field, reason=reason, place=_place(row), severity=severity).to_dict()
    flags = row.setdefault("flags", [])
    if not any(f.get("field") == field and f.get("reason") == reason for f in flags):
        flags.append(flag)


def section_rows(draft: dict, section: str) -> list[dict]:
    """The list of rows of a draft section ("indicators", "tasks", "groups", "targets",
    "report"); [] when the section is absent."""
    if section == "indicators":
        return (draft.get("indicators") or {}).get("rows") or []
    if section == "tasks":
        return (draft.get("tasks") or {}).get("rows") or []
    if section == "groups":
        return (draft.get("tasks") or {}).get("groups") or []
    if section == "targets":
        return (draft.get("targets") or {}).get("targets") or []
    if section == "report":
        return (draft.get("report") or {}).get("rows") or []
    if section == "changes":
        return (draft.get("amendment") or {}).get("changes") or []
    return []


def collect_flags(draft: dict) -> list[dict]:
    """Every flag of the draft, each with its section and row index (for the review list)."""
    out = [dict(f, section="document", row=None) for f in draft.get("parser_flags") or []]
    for section in ("document", "plan"):
        for f in (draft.get(section) or {}).get("flags") or []:
            out.append(dict(f, section=section, row=None))
    for section in ("indicators", "tasks", "report"):
        for f in (draft.get(section) or {}).get("flags") or []:
            out.append(dict(f, section=section, row=None))
    for section in ("indicators", "tasks", "groups", "report", "changes"):
        for i, r in enumerate(section_rows(draft, section)):
            for f in r.get("flags") or []:
                out.append(dict(f, section=section, row=i))
    for f in (draft.get("amendment") or {}).get("flags") or []:
        out.append(dict(f, section="amendment", row=None))
    return out


# ---------------------------------------------------------------- kind


def _rows(d: Any, key: str = "rows") -> list:
    return list((d or {}).get(key) or []) if isinstance(d, dict) else []


def decide_kind(ind, tsk, rep, targets, duties) -> str:
    """"report" when a progress table was read (and no indicator table), "plan" when an
    indicator table, a task table, prose milestone targets or duties were, else "unknown"."""
    if _rows(rep) and not _rows(ind):
        return "report"
    if _rows(ind) or _rows(tsk) or _rows(targets, "targets") or duties:
        return "plan"
    return "unknown"


# ---------------------------------------------------------------- building the draft


def draft_from_file(data: bytes, filename: str, *, progress: Progress | None = None, plan=None) -> dict:
    """read_document + build_draft. Raises DocumentError for a file that cannot be read or
    holds no recognisable table."""
    step = progress or (lambda *a, **k: None)
    step("reading")
    read = _parser("readers", "read_document")
    if read is None:
        raise DocumentError("unsupported", "Chưa đọc được loại tệp này (bộ đọc tệp chưa sẵn sàng).")
    doc = read(data, filename)
    return build_draft(doc, progress=progress, plan=plan)


def build_draft(doc: SourceDoc, *, progress: Progress | None = None, plan=None, today: date | None = None) -> dict:
    """Turn a read document into a draft (shape in notes/brief9.md): runs the parsers, decides
    the kind, adds `<field>_restored` when the text has no diacritics, proposes organisations
    and upper-level rows, builds the interchange plan. `plan`: the Plan the upload is meant for
    (an amended version, or the plan of a progress report). Raises DocumentError("no_table")
    when nothing was recognised."""
    started = time.monotonic()
    step = progress or (lambda *a, **k: None)
    step("parsing")
    run = _Run()
    meta = run("metadata", "parse", doc) or {}
    ind = run("indicators", "parse", doc)
    tsk = run("tasks", "parse", doc)
    rep = run("reports", "parse", doc)
    targets = run("prose", "parse_targets", doc)
    duties = run("prose", "parse_duties", doc) or []
    notes = run("footnotes", "parse", doc) or []
    kind = decide_kind(ind, tsk, rep, targets, duties)
    if meta.get("amends"):
        # "Quyết định về việc điều chỉnh, bổ sung Kế hoạch số …": its changes, not a plan of its own
        changes = run("prose", "parse_changes", doc) or []
        if changes or kind == "unknown":
            return amendment_draft(doc, meta, changes, notes=notes, run=run, started=started, today=today)
    if kind == "unknown":
        raise DocumentError("no_table", NO_TABLE)

    text = doc.text()
    draft: dict[str, Any] = {
        "kind": kind,
        "source": {"name": doc.name, "format": doc.fmt, "pages": doc.pages},
        "document": dict(meta, flags=list(meta.get("flags") or [])),
        "indicators": ind if kind == "plan" and _rows(ind) else None,
        "tasks": tsk if kind == "plan" and _rows(tsk) else None,
        "targets": targets if kind == "plan" and _rows(targets, "targets") else None,
        "duties": duties if kind == "plan" else [],
        "report": rep if kind == "report" else None,
        "footnotes": notes,
        "parser_flags": [w.to_dict() for w in doc.warnings] + run.flags,
        "text": text,
    }
    if kind == "plan" and draft["indicators"] is None and draft["targets"]:
        draft["indicators"] = _indicators_from_targets(draft["targets"])
    if kind == "plan" and draft["tasks"] is None and duties:
        draft["tasks"] = _tasks_from_duties(duties)
    if kind == "plan" and draft["tasks"] is None:
        draft["parser_flags"] += run("prose", "task_section_flags", doc) or []
    for sec in ("indicators", "tasks", "report"):
        if draft[sec] is not None:
            draft[sec] = dict(draft[sec])
            for key in ("rows", "groups"):
                if key in draft[sec]:
                    draft[sec][key] = [dict(r, flags=list(r.get("flags") or [])) for r in draft[sec][key]]

    # Diacritics: a document typed or OCR'd without them gets restored text beside the raw.
    ocr = not has_diacritics(text)
    draft["restored"] = False
    if ocr:
        restore = _restorer(lexicon(), text)
        if restore is not None:
            n = 0
            for sec, fields in RESTORE_FIELDS.items():
                if sec == "document":
                    n += _restore_rows([draft["document"]], fields, restore)
                else:
                    n += _restore_rows(section_rows(draft, sec), fields, restore)
            draft["restored"] = bool(n)
        draft["parser_flags"].append(Flag(
            field="text", severity="info",
            reason="Văn bản không có dấu tiếng Việt: tên và nội dung đã được khôi phục dấu tự động, giữ bản gốc bên cạnh; cần kiểm tra"
            if restore is not None else "Văn bản không có dấu tiếng Việt: cần kiểm tra kỹ tên cơ quan và nội dung",
        ).to_dict())

    step("resolving")
    resolve_draft(draft, plan=plan, today=today, ocr=ocr)
    draft["interchange"] = interchange_from_draft(draft) if kind == "plan" else None
    if draft["interchange"] is not None and (draft.get("plan") or {}).get("exists"):
        carry_existing(draft["interchange"], draft)
    draft["flags"] = collect_flags(draft)
    draft["stats"] = {
        "indicators": len(section_rows(draft, "indicators")),
        "tasks": len(section_rows(draft, "tasks")),
        "groups": len(section_rows(draft, "groups")),
        "targets": len(section_rows(draft, "targets")),
        "duties": len(duties),
        "report_rows": len(section_rows(draft, "report")),
        "flags": len(draft["flags"]),
        "pages": doc.pages,
        "blocks": len(doc.blocks),
        "restored": draft["restored"],
        "seconds": round(time.monotonic() - started, 3),
    }
    # Saved as JSON on the job: whatever a parser returned (dates, tuples) becomes plain JSON.
    return json.loads(json.dumps(draft, ensure_ascii=False, default=str))


def _year_of(value) -> int | None:
    m = re.findall(r"(?:19|20)\d\d", str(value or ""))
    return int(m[-1]) if m else None


_OP_SIGN = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "", "": ""}


def _spec_text(t: dict) -> str | None:
    """A prose target's meaning as a target cell would print it ("≥ 80", "30-40", "X")."""
    op, value, vmax = t.get("op"), t.get("value"), t.get("value_max")
    if op == "done":
        return "X"
    if value is None:
        return None
    value, vmax = _vn(value), _vn(vmax)
    if op == "range" and vmax is not None:
        return f"{value}-{vmax}"
    sign = _OP_SIGN.get(op or "", "")
    return f"{sign} {value}".strip()


def _vn(v) -> str | None:
    """A number as Vietnamese print writes it (decimal comma), so that parse_target reads the
    same meaning: 0.5 → "0,5"."""
    if v is None:
        return None
    from decimal import Decimal, InvalidOperation

    from planwatch.lib.numbers import format_vn_number

    try:
        return format_vn_number(Decimal(str(v)))
    except (InvalidOperation, ValueError, TypeError):
        return str(v)


def _indicators_from_targets(targets: dict) -> dict:
    """Milestone targets written as sentences (seed 001): one indicator row per sentence, its
    text as the printed target of its milestone year."""
    rows, years = [], []
    for n, t in enumerate(_rows(targets, "targets")):
        y = _year_of(t.get("milestone"))
        if y and y not in years:
            years.append(y)
        flags = list(t.get("flags") or [])
        row = {
            "code": f"T{n + 1}", "code_printed": str(t.get("n") or ""), "parent": None, "is_group": False,
            "name": t.get("text") or "", "unit": t.get("unit") or "", "agency": None, "agency_inferred": False,
            "targets": {str(y): t.get("text")} if y else {}, "target_specs": {str(y): _spec_text(t)} if y else {},
            "area": t.get("area"), "from_prose": True, "additional_targets": t.get("additional_targets") or [],
            "place": t.get("place") or {}, "flags": flags,
        }
        if not y:
            add_flag(row, "milestone", f"Không xác định được mốc năm của mục tiêu (“{t.get('milestone')}”)")
        if t.get("text_restored"):
            row["name_restored"] = t["text_restored"]
        rows.append(row)
    return {"milestones": sorted(years), "rows": rows, "flags": [], "from_prose": True}


def _tasks_from_duties(duties: list[dict]) -> dict:
    """Prose plans: each task bullet under a responsible body is a task led by that body."""
    rows = []
    for n, d in enumerate(duties):
        rows.append({
            "code": str(n + 1), "group": None, "parent": None, "name": d.get("text") or "",
            "lead": [d["body"]] if d.get("body") else [], "coordinating": list(d.get("coordinating") or []), "result": "",
            "deadline": d.get("deadline"), "place": d.get("place") or {}, "flags": list(d.get("flags") or []),
        })
    return {"groups": [], "rows": rows, "flags": [], "from_prose": True}


# ---------------------------------------------------------------- resolution


def amendment_draft(doc: SourceDoc, meta: dict, changes: list[dict], *, notes, run, started, today=None) -> dict:
    """The draft of a decision amending a plan: the document, the amended plan (looked up by its
    document number; flagged when absent) and the change rows (parsers' shape, see
    prose.parse_changes), new agencies proposed from the amended plan's locality."""
    from django.utils import timezone

    from . import resolve as R

    today = today or timezone.localdate()
    ref = dict((meta.get("amends") or [{}])[0])
    plan = _plan_by_document(ref.get("number"))
    flags: list[dict] = []
    if plan is None:
        flags.append(Flag("plan", f"Chưa có kế hoạch số “{ref.get('number')}” trong hệ thống: cần nhập kế hoạch đó "
                                  "trước khi áp dụng quyết định điều chỉnh").to_dict())
    if not changes:
        flags.append(Flag("changes", "Không đọc được nội dung điều chỉnh (bảng “Nội dung điều chỉnh | Đã ban hành | "
                                     "Điều chỉnh thành” hoặc câu “Điều chỉnh … từ … thành …”): cần nhập bằng tay").to_dict())
    on = _iso(meta.get("date")) or today
    root = R.locality_root(plan.owner) if plan is not None else None
    suggester = R.OrgSuggester(root, on=on, today=today) if root is not None else None
    current = _current_rows(plan)
    for ch in changes:
        ch["flags"] = list(ch.get("flags") or [])
        if ch.get("field") in ("lead", "coordinating") and ch.get("new") and suggester is not None:
            resolve_row_orgs(ch, ("new",), suggester)
        if plan is not None and ch.get("target"):
            row = find_amended_row(current, ch)
            if row is None:
                add_flag(ch, "target", f"Kế hoạch {plan.code} không có {'chỉ tiêu' if ch.get('target_kind') == 'indicator' else 'nhiệm vụ'} "
                                       f"số {ch['target']}: cần chọn lại")
            else:
                ch["target"] = row["code"]
                now = {"deadline": row.get("deadline_raw"), "result": row.get("result"), "name": row.get("name"),
                       "lead": "; ".join(row.get("lead_text") or [])}.get(ch.get("field"))
                old = strip_accents(ch.get("old") or "").lower()
                if now and old and strip_accents(now).lower().strip(" .") != old.strip(" ."):
                    add_flag(ch, "old", f"Nội dung “đã ban hành” khác với kế hoạch trong hệ thống (“{now}”): cần kiểm tra "
                                        "đúng nhiệm vụ", "info")
    draft: dict[str, Any] = {
        "kind": "amendment",
        "source": {"name": doc.name, "format": doc.fmt, "pages": doc.pages},
        "document": dict(meta, flags=list(meta.get("flags") or [])),
        "amendment": {
            "amends": ref,
            "plan": {"code": plan.code, "name": plan.name, "exists": True} if plan is not None else None,
            "changes": changes, "flags": flags,
        },
        "indicators": None, "tasks": None, "targets": None, "duties": [], "report": None,
        "footnotes": notes, "interchange": None,
        "parser_flags": [w.to_dict() for w in doc.warnings] + run.flags,
        "text": doc.text(), "restored": False,
        "context": {"root": root.code if root else None, "on": on.isoformat(), "today": today.isoformat(),
                    "ocr": False, "target_plan": plan.code if plan is not None else None},
    }
    draft["flags"] = collect_flags(draft)
    draft["stats"] = {"changes": len(changes), "flags": len(draft["flags"]), "pages": doc.pages,
                      "blocks": len(doc.blocks), "seconds": round(time.monotonic() - started, 3)}
    return json.loads(json.dumps(draft, ensure_ascii=False, default=str))


def _current_rows(plan) -> dict:
    if plan is None:
        return {"tasks": [], "indicators": []}
    return {"tasks": list(plan.tasks.filter(retired_on=None).values("code", "name", "deadline_raw", "result", "lead_text")),
            "indicators": list(plan.indicators.filter(retired_on=None, is_group=False).values("code", "name"))}


def find_amended_row(rows: dict, change: dict) -> dict | None:
    """The task (or indicator) a change names by its number: the same code, else the one code
    ending with it ("5" → "I.5") when only one does."""
    kind = "indicators" if change.get("target_kind") == "indicator" else "tasks"
    code = str(change.get("target") or "").strip().rstrip(".")
    if not code:
        return None
    same = [r for r in rows[kind] if str(r["code"]).strip().rstrip(".").upper() == code.upper()]
    if same:
        return same[0]
    ending = [r for r in rows[kind] if re.split(r"[.]", str(r["code"]).strip().rstrip("."))[-1].upper() == code.upper()]
    return ending[0] if len(ending) == 1 else None


def resolve_draft(draft: dict, *, plan=None, today: date | None = None, ocr: bool = False) -> None:
    """Propose organisations for every agency cell, the plan header (code, owner, parent) and
    upper-level rows. Reads the database, writes nothing."""
    from django.utils import timezone

    from . import resolve as R

    today = today or timezone.localdate()
    meta = draft["document"]
    doc_date = _iso(meta.get("date"))
    on = doc_date or today
    issuer_text = text_of(meta, "issuer") or ""
    issuer = R.find_org(issuer_text, on=on) if issuer_text else None
    if draft["kind"] == "report":
        rep = draft["report"]
        on = _iso(rep.get("as_of")) or on
        reporter_text = text_of(rep, "reporter") or ""
        issuer = R.find_org(reporter_text, on=on) or issuer
    root = None
    if plan is not None:
        root = R.locality_root(plan.owner)
        if doc_date is None and plan.document_id and plan.document.date:
            on = plan.document.date
    elif issuer is not None:
        root = R.locality_root(issuer)
    if root is not None and root.valid_to is not None and root.valid_to < on:
        # A former district's plan was written while it existed (its date unreadable or unprinted).
        on = root.valid_to
    suggester = R.OrgSuggester(root, on=on, today=today)
    draft["context"] = {
        "root": root.code if root else None, "on": on.isoformat(), "today": today.isoformat(), "ocr": ocr,
        "target_plan": plan.code if plan is not None else None,
    }
    for sec, fields in AGENCY_FIELDS.items():
        for row in section_rows(draft, sec):
            resolve_row_orgs(row, fields, suggester)
    if draft["kind"] == "plan":
        _plan_header(draft, plan=plan, issuer=issuer, issuer_text=issuer_text, suggester=suggester)
        upper = _find_plan(draft["plan"].get("parent"))
        uppers = R.upper_rows(upper)
        for row in section_rows(draft, "indicators"):
            if not row.get("is_group"):
                row["align"] = R.align(align_text(row), uppers["indicators"])
                for reason in row["align"]["flags"]:
                    add_flag(row, "aligned_to", reason, "info")
        for row in section_rows(draft, "tasks"):
            row["align"] = R.align(text_of(row, "name") or "", uppers["tasks"], min_choose=85)
            for reason in row["align"]["flags"]:
                add_flag(row, "derived_from", reason, "info")
    else:
        _report_context(draft, plan=plan, reporter=issuer, on=on)


_TARGET_WORDS = re.compile(
    r"(?<!\w)(?:\d+(?:[.,]\d+)*\s*%?|[≥≤><=]+|có|đạt|trên|dưới|tối thiểu|ít nhất|khoảng)(?!\w)", re.I)


def align_text(row: dict) -> str:
    """The text a row is aligned by: its name; for a target written as a sentence ("Có ≥ 70%
    thủ tục hành chính …"), the sentence without its figures and comparison words."""
    name = text_of(row, "name") or ""
    if row.get("from_prose"):
        name = collapse_ws(_TARGET_WORDS.sub(" ", name)).strip(" .;,")
    return name


def resolve_row_orgs(row: dict, fields, suggester) -> None:
    orgs = row.setdefault("orgs", {})
    for f in fields:
        value = text_of(row, f)
        if value in (None, "", []):
            orgs[f] = []
            continue
        orgs[f] = suggester.cell(value)
        for ch in orgs[f]:
            for reason in ch["flags"]:
                add_flag(row, f, reason, "info" if ch["method"] == "collective" else "warning")


def _iso(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _number_key(number: str | None) -> str:
    return re.sub(r"[^0-9a-z]", "", strip_accents(number or "").lower())


def _find_plan(code: str | None):
    from planwatch.plans.models import Plan

    return Plan.objects.filter(code=code).first() if code else None


def _plan_by_document(number: str | None):
    from planwatch.plans.models import Plan

    key = _number_key(number)
    if not key:
        return None
    for p in Plan.objects.exclude(document=None).select_related("document"):
        if _number_key(p.document.number) == key:
            return p
    return None


def plan_code_for(meta: dict, filename: str) -> str:
    """A plan code from the document number and year ("327/QĐ-UBND" of 2025 →
    "327-qd-ubnd-2025"), else from the file name."""
    base = strip_accents(meta.get("number") or "").lower()
    if not base.strip():
        base = strip_accents(filename.rsplit(".", 1)[0]).lower()
    code = re.sub(r"[^a-z0-9]+", "-", base).strip("-")[:50] or "ke-hoach"
    year = _year_of(meta.get("date"))
    if year and not code.endswith(str(year)):
        code = f"{code}-{year}"
    return code[:64]


def _plan_header(draft: dict, *, plan, issuer, issuer_text: str, suggester) -> None:
    meta = draft["document"]
    header: dict[str, Any] = {"flags": [], "orgs": {}}
    existing = plan or _plan_by_document(meta.get("number"))
    same_as = None
    if existing is None and issuer is not None:
        existing, same_as = _plan_by_content(draft, issuer)
    ind = draft.get("indicators") or {}
    years = [int(y) for y in ind.get("milestones") or [] if str(y).isdigit()]
    if existing is not None:
        header.update(
            code=existing.code, name=existing.name, exists=True,
            owner=R_ref(existing.owner), standing_agency=R_ref(existing.standing_agency),
            parent=existing.parent.code if existing.parent_id else None,
            milestone_years=sorted(set(existing.milestone_years or []) | set(years)),
            reporting_schedule=existing.reporting_schedule, reporting_due_day=existing.reporting_due_day,
            monitored=existing.monitored,
        )
        why = (f" (cùng cơ quan ban hành, {same_as:.0%} dòng trùng tên; nếu là kế hoạch mới, sửa mã kế hoạch)"
               if same_as is not None else "")
        header["flags"].append(Flag("plan", f"Đã có kế hoạch “{existing.code}”: áp dụng sẽ là một lần điều chỉnh "
                                            f"(xem bảng so sánh trước){why}",
                                    severity="warning" if same_as is not None else "info").to_dict())
    else:
        title = text_of(meta, "title") or ""
        kind = text_of(meta, "kind") or "Kế hoạch"
        number = meta.get("number") or ""
        name = collapse_ws(title) or collapse_ws(f"{kind} {number}") or draft["source"]["name"]
        parent = None
        for ref in meta.get("implements") or []:
            p = _plan_by_document(ref.get("number") if isinstance(ref, dict) else ref)
            if p is not None:
                parent = p.code
                break
        header.update(
            code=plan_code_for(meta, draft["source"]["name"]), name=name[:500], exists=False,
            owner=R_ref(issuer), standing_agency=None, parent=parent,
            milestone_years=years or sorted({_year_of(y) for r in section_rows(draft, "indicators")
                                             for y in (r.get("targets") or {}) if _year_of(y)}),
            reporting_schedule=DEFAULT_SCHEDULE, reporting_due_day=10, monitored=True,
        )
        owner_text = issuer_text or "Cơ quan ban hành"
        choice = dict(suggester.choice(owner_text)) if issuer_text else {
            "text": owner_text, "method": "unresolved", "chosen": [], "candidates": [], "flags": []}
        if issuer is not None:
            choice["chosen"] = [issuer.code]
        header["orgs"]["owner"] = [choice]
        if issuer is None:
            header["flags"].append(Flag("owner", "Chưa xác định được cơ quan ban hành kế hoạch: chọn cơ quan",
                                        severity="error").to_dict())
        if parent is None and issuer is not None:
            sibling = _plan_implementing_the_same(meta, issuer)
            if sibling is not None:
                parent = header["parent"] = sibling.code
                header["flags"].append(Flag("parent", f"Kế hoạch cấp trên đoán là “{sibling.name[:120]}” ({sibling.code}): "
                                                      "cấp trên cũng thực hiện văn bản này; cần kiểm tra", severity="info").to_dict())
        if parent is None and (meta.get("implements") or []):
            header["flags"].append(Flag("parent", "Chưa có trong hệ thống kế hoạch cấp trên mà văn bản thực hiện: "
                                                  "không đối chiếu được chỉ tiêu, nhiệm vụ cấp trên", severity="info").to_dict())
        _standing_and_schedule(draft, header, suggester)
    draft["plan"] = header


# "… báo cáo UBND tỉnh (thông qua Sở KH&CN) …", "Giao Sở KH&CN chủ trì, phối hợp … theo dõi, đôn
# đốc …", "Sở KH&CN là cơ quan thường trực …" (matched on accent-free lower-case text).
_STANDING = (
    re.compile(r"thong qua ([^()]{3,90})\)"),
    re.compile(r"giao ([^.;:]{3,90}?) (?:chu tri|la co quan (?:thuong truc|dau moi))[^.;]{0,260}?theo doi"),
    re.compile(r"([^.;:,]{3,90}?) la co quan (?:thuong truc|dau moi)"),
)
_SCHEDULE = (
    ("monthly", re.compile(r"(?:dinh ky|bao cao)[^.;]{0,40}?(?:hang|hàng|moi) thang")),
    ("quarterly", re.compile(r"(?:dinh ky|bao cao)[^.;]{0,40}?(?:hang quy|moi quy|3 thang|theo quy)")),
    ("half_yearly", re.compile(r"(?:dinh ky|bao cao)[^.;]{0,40}?6 thang")),
    ("yearly", re.compile(r"(?:dinh ky|bao cao)[^.;]{0,40}?(?:hang nam|1 nam|moi nam)")),
)
_DUE_DAY = re.compile(r"truoc ngay (\d{1,2}) (?:hang|cua) thang")


_MARKS = re.compile(r"[\u0300-\u036f]")


def fold(text: str) -> str:
    """Accent-free, lower-case, whitespace collapsed: strip_accents's result at C speed for a
    whole document."""
    import unicodedata

    bare = _MARKS.sub("", unicodedata.normalize("NFD", text)).replace("đ", "d").replace("Đ", "D")
    return re.sub(r"\s+", " ", bare).strip().lower()


def _standing_and_schedule(draft: dict, header: dict, suggester) -> None:
    """A new plan's standing agency and reporting rhythm as its "Tổ chức thực hiện" section
    states them; otherwise the unit that leads most tasks, and monthly reports due on the 10th.
    Each guess is a flag; the person can change it."""
    sentences = re.split(r"(?<=[.;])\s", fold(draft.get("text") or ""))
    folded = " ".join(x for x in sentences if "thong qua" in x or "theo doi" in x or "thuong truc" in x or "dau moi" in x)
    periodic = " ".join(x for x in sentences if "dinh ky" in x or "bao cao" in x)
    found = None
    for pattern in _STANDING:
        for m in pattern.finditer(folded):
            choice = suggester.choice(m.group(1).strip(" ,"))
            if choice["chosen"] and choice["method"] != "collective" and len(choice["chosen"]) == 1:
                found = choice
                break
        if found:
            break
    if found is not None:
        code = found["chosen"][0]
        org_name = next((c["name"] for c in found["candidates"] if c["code"] == code), code)
        reason = f"Cơ quan thường trực “{org_name}” đọc từ phần tổ chức thực hiện (“{found['text']}”); cần kiểm tra"
    else:
        counts: dict[str, int] = {}
        for r in section_rows(draft, "tasks"):
            for ch in (r.get("orgs") or {}).get("lead") or []:
                if ch.get("method") != "collective":
                    for c in ch.get("chosen") or []:
                        counts[c] = counts.get(c, 0) + 1
        if counts:
            code = max(counts, key=lambda c: counts[c])
            found = {"text": "(cơ quan chủ trì nhiều nhiệm vụ nhất)", "method": "guess", "chosen": [code],
                     "candidates": [], "flags": []}
            reason = "Văn bản không nêu cơ quan thường trực: tạm lấy cơ quan chủ trì nhiều nhiệm vụ nhất; cần chọn lại nếu khác"
    if found is not None:
        header["orgs"]["standing_agency"] = [found]
        header["standing_agency"] = {"code": found["chosen"][0]}
        header["flags"].append(Flag("standing_agency", reason, severity="info").to_dict())
    else:
        header["flags"].append(Flag("standing_agency", "Chưa xác định được cơ quan thường trực theo dõi kế hoạch: chọn cơ quan",
                                    severity="warning").to_dict())
    for schedule, pattern in _SCHEDULE:
        if pattern.search(periodic):
            header["reporting_schedule"] = schedule
            break
    else:
        header["flags"].append(Flag("reporting_schedule", "Văn bản không nêu kỳ báo cáo: tạm lấy báo cáo hằng tháng",
                                    severity="info").to_dict())
    m = _DUE_DAY.search(periodic)
    if m and 1 <= int(m.group(1)) <= 28:
        header["reporting_due_day"] = int(m.group(1))


SAME_PLAN_SHARE = 0.6


def _plan_by_content(draft: dict, issuer) -> tuple[Any, float | None]:
    """A plan of the same issuer whose indicator and task names the document repeats (a new
    version whose number could not be read, or was not changed): (plan, share) or (None, None)."""
    from rapidfuzz import fuzz, process

    from planwatch.plans.models import Plan

    rows = [r for sec in ("indicators", "tasks") for r in section_rows(draft, sec)]
    names = [n for n in (_key(text_of(r, "name") or "") for r in rows[:300]) if n]  # a sample is enough
    if not names:
        return None, None
    best, best_share = None, 0.0
    for p in Plan.objects.filter(owner=issuer):
        keys = [_key(n) for n in p.indicators.values_list("name", flat=True)]
        keys += [_key(n) for n in p.tasks.values_list("name", flat=True)]
        if not keys or not 2 / 3 <= len(rows) / len(keys) <= 3 / 2:
            continue  # a version of a plan has about as many rows
        hits = sum(1 for n in names if (m := process.extractOne(n, keys, scorer=fuzz.token_sort_ratio)) and m[1] >= 90)
        share = hits / max(len(names), len(keys))
        if share > best_share:
            best, best_share = p, share
    return (best, best_share) if best is not None and best_share >= SAME_PLAN_SHARE else (None, None)


def _plan_implementing_the_same(meta: dict, issuer):
    """The plan of the nearest upper level (the issuer's locality's ancestors) whose document
    implements one of the documents this one implements: a commune plan implementing
    57-NQ/TW sits under the province's plan implementing 57-NQ/TW."""
    from planwatch.plans.models import Plan

    from .resolve import locality_root

    keys = {_number_key(r.get("number") if isinstance(r, dict) else r) for r in meta.get("implements") or []} - {""}
    root = locality_root(issuer)
    if not keys or root is None:
        return None
    uppers = [o for o in root.ancestors() if o.pk != root.pk]
    for level in sorted(uppers, key=lambda o: -o.depth):
        plans = Plan.objects.filter(owner__path__startswith=level.path, owner__depth__lte=level.depth + 1,
                                    document__isnull=False).prefetch_related("document__implements")
        for p in plans:
            if keys & {_number_key(d.number) for d in p.document.implements.all()}:
                return p
    return None


def R_ref(org) -> dict | None:
    return {"code": org.code, "name": org.name} if org is not None else None


def _report_context(draft: dict, *, plan, reporter, on: date) -> None:
    """Which plan the report is on, which unit sends it, and each row's plan task."""
    rep = draft["report"]
    target = plan or _report_plan(draft)
    ctx = {"plan": target.code if target else None, "plan_name": target.name if target else "",
           "org": R_ref(reporter), "as_of": rep.get("as_of"), "flags": []}
    if target is None:
        ctx["flags"].append(Flag("plan", "Không xác định được báo cáo này thuộc kế hoạch nào: chọn kế hoạch khi tải lên",
                                 severity="error").to_dict())
    if reporter is None:
        ctx["flags"].append(Flag("reporter", f"Không xác định được đơn vị báo cáo (“{rep.get('reporter') or ''}”)",
                                 severity="error").to_dict())
    if not rep.get("as_of"):
        ctx["flags"].append(Flag("as_of", "Không thấy ngày số liệu của báo cáo: kỳ báo cáo sẽ lấy theo ngày áp dụng",
                                 severity="warning").to_dict())
    draft["report_context"] = ctx
    rep.setdefault("flags", [])
    rep["flags"] = list(rep["flags"]) + ctx["flags"]
    match_report_rows(draft, target)


def match_report_rows(draft: dict, target) -> None:
    """Each report row's plan task (row["match"]: task_code, score, ranked candidates), by
    reports.match_rows when it is there, else by name similarity; an unmatched row is
    flagged, never dropped."""
    from . import resolve as R

    rows = section_rows(draft, "report")
    for r in rows:
        r["flags"] = [f for f in r.get("flags") or [] if f.get("field") != "task"]
    if target is None:
        for r in rows:
            r["match"] = {"task_code": None, "score": 0.0, "candidates": []}
        return
    tasks = [{"code": t.code, "name": t.name, "lead": list(t.lead_text or []), "deadline": t.deadline_raw}
             for t in target.tasks.filter(retired_on=None).order_by("position")]
    matcher = _parser("reports", "match_rows")
    matches = None
    if matcher is not None:
        try:
            matches = matcher([dict(r, name=text_of(r, "name")) for r in rows], tasks)
        except Exception:  # noqa: BLE001
            log.exception("reports.match_rows failed")
    if matches is None:
        uppers = [{"plan": target.code, "code": t["code"], "name": t["name"], "key": _key(t["name"])} for t in tasks]
        matches = []
        for i, r in enumerate(rows):
            a = R.align(text_of(r, "name") or "", uppers, min_choose=80)
            matches.append({"row": i, "task_code": (a["chosen"] or {}).get("code"),
                            "score": a["candidates"][0]["score"] if a["candidates"] else 0.0,
                            "candidates": [(c["code"], c["score"]) for c in a["candidates"]]})
    by_row = {m["row"]: m for m in matches}
    names = {t["code"]: t["name"] for t in tasks}
    for i, r in enumerate(rows):
        m = by_row.get(i) or {"task_code": None, "score": 0.0, "candidates": []}
        r["match"] = {"task_code": m.get("task_code"), "score": float(m.get("score") or 0),
                      "candidates": [{"code": c, "name": names.get(c, ""), "score": float(s)}
                                     for c, s in (m.get("candidates") or [])]}
        if r.get("is_parent_row"):
            continue
        if not r["match"]["task_code"]:
            add_flag(r, "task", "Không khớp được dòng này với nhiệm vụ nào của kế hoạch: chọn nhiệm vụ hoặc để "
                                "ngoài (dòng không bị bỏ)")


def _key(s: str) -> str:
    from planwatch.lib.text import search_key

    return search_key(s)


def _report_plan(draft: dict):
    """The plan a report is on: one whose document the report cites, else the plan whose tasks
    its rows match best."""
    from rapidfuzz import fuzz, process

    from planwatch.plans.models import Plan

    rep = draft["report"]
    meta = draft["document"]
    cited = [x.get("number") if isinstance(x, dict) else x for x in (meta.get("implements") or [])]
    title = " ".join(filter(None, [rep.get("title"), meta.get("title")]))
    cited += re.findall(r"\d+[/-][\w\-/Đđ]+", title)
    for number in cited:
        p = _plan_by_document(number)
        if p is not None:
            return p
    names = [_key(text_of(r, "name") or "") for r in section_rows(draft, "report") if not r.get("is_parent_row")]
    best, best_n = None, 0
    for p in Plan.objects.all():
        keys = [_key(n) for n in p.tasks.filter(retired_on=None).values_list("name", flat=True)[:3000]]
        if not keys:
            continue
        n = sum(1 for k in names if k and (m := process.extractOne(k, keys, scorer=fuzz.token_set_ratio)) and m[1] >= 85)
        if n > best_n:
            best, best_n = p, n
    return best if best_n >= max(1, len(names) // 3) else None


# ---------------------------------------------------------------- interchange


def _chosen(row: dict, field: str) -> list[tuple[str, str]]:
    """(org code, printed name) for the organisations chosen for a row's agency cell."""
    out = []
    for ch in (row.get("orgs") or {}).get(field) or []:
        for code in ch.get("chosen") or []:
            out.append((code, ch.get("text") or ""))
    return out


def _as_list(value) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [value]
    return [str(x) for x in value if x not in (None, "")]


def _notes_of(row: dict, fields: tuple[str, ...]) -> dict:
    """Raw text beside restored text, the printed code, and the flags' reasons."""
    notes: dict[str, Any] = {}
    for f in fields:
        if row.get(f"{f}_restored") not in (None, "", []) and row.get(f"{f}_restored") != row.get(f):
            notes[f"{f}_ocr"] = row.get(f)
    if row.get("code_printed") and row.get("code_printed") != row.get("code"):
        notes["code_printed"] = row["code_printed"]
    reasons = [f.get("reason") for f in row.get("flags") or [] if f.get("severity") != "info" and f.get("reason")]
    if reasons:
        notes["import_warnings"] = list(dict.fromkeys(reasons))
    # What the person corrected stays on the import job (ImportJob.corrections), not in the
    # plan's notes: a later version of the plan would otherwise differ by a note alone.
    return notes


def _indicator_rows(draft: dict, years: list[int], ocr: bool, owner_code: str | None = None) -> list[dict]:
    """Interchange indicator rows. Targets written as sentences with no agency are the issuing
    unit's own (`owner_code`)."""
    from planwatch.plans.seed import classify_indicator

    out, seen = [], set()
    rows = section_rows(draft, "indicators")
    for n, r in enumerate(rows):
        code = _unique_code(str(r.get("code") or "").strip() or f"CT{n + 1}", seen, INDICATOR_CODE_MAX, r.get("group"))
        name = nfc(text_of(r, "name") or "") or f"(chưa có tên, dòng {n + 1})"
        unit = nfc(text_of(r, "unit") or "")
        raw_targets = r.get("targets") or {}
        specs_text = r.get("target_specs") or {}
        targets = []
        if not r.get("is_group"):
            # A sentence target states its own milestone only; a table row has every column.
            row_years = set() if r.get("from_prose") else set(years)
            for y in sorted({*row_years, *(_year_of(k) for k in raw_targets if _year_of(k))}):
                raw = raw_targets.get(str(y))
                spec_raw = specs_text.get(str(y), raw) if str(y) in specs_text else raw
                res = _parsed_target(spec_raw, ocr)
                targets.append({"year": y, "raw": raw, "spec": res.value.to_dict(), "note": "; ".join(res.warnings)})
        raws = [specs_text.get(str(t["year"]), t["raw"]) for t in targets]
        kind, direction, aggregation = classify_indicator(name, unit, raws)
        notes = _notes_of(r, ("name", "unit", "agency"))
        if r.get("area"):
            notes["area"] = r["area"]
        if r.get("additional_targets"):
            notes["additional_targets"] = r["additional_targets"]
        align = r.get("align") or {}
        chosen = align.get("chosen")
        out.append({
            "code": code, "parent": r.get("parent") or None, "position": n, "is_group": bool(r.get("is_group")),
            "name": name, "unit": unit[:120], "kind": kind, "direction": direction, "aggregation": aggregation,
            "agency_text": nfc(" ".join(_as_list(text_of(r, "agency"))))[:255],
            "agency_inferred": bool(r.get("agency_inferred")),
            "responsible": sorted({c for c, _ in _chosen(r, "agency")}) or (
                [owner_code] if r.get("from_prose") and owner_code and not r.get("agency") else []),
            "aligned_to": dict(chosen) if chosen else None,
            "alignment_note": (align.get("note") or ("đối chiếu khi nhập văn bản" if chosen else ""))[:255],
            "baseline_value": None, "baseline_year": None, "notes": notes, "targets": targets,
        })
    codes = {r["code"] for r in out}
    for r in out:
        if r["parent"] is not None and r["parent"] not in codes:
            r["notes"]["parent_printed"] = r["parent"]
            r["parent"] = None
    return out


@functools.lru_cache(maxsize=4096)
def _parsed_target(raw: str | None, ocr: bool):
    """parse_target, remembered: the same cells ("≥ 80", "X", "-") repeat over a table."""
    return parse_target(raw, ocr=ocr)


@functools.lru_cache(maxsize=4096)
def _parsed_deadline(raw: str | None):
    return parse_deadline(raw)


def _unique_code(code: str, seen: set, max_len: int, group: str | None = None) -> str:
    code = code.strip()[:max_len]
    if code in seen and group:
        code = f"{group}.{code}"[:max_len]
    base, k = code, 2
    while code in seen:
        code = f"{base[: max_len - 3]}-{k}"
        k += 1
    seen.add(code)
    return code


def _task_rows(draft: dict) -> tuple[list[dict], list[dict]]:
    tsk = draft.get("tasks") or {}
    groups, group_codes = [], set()
    for n, g in enumerate(tsk.get("groups") or []):
        code = _unique_code(str(g.get("code") or "").strip() or f"N{n + 1}", group_codes, TASK_CODE_MAX)
        groups.append({"code": code, "name": nfc(text_of(g, "name") or "") or f"Nhóm {code}", "position": n})
    out, seen = [], set()
    task_rows = section_rows(draft, "tasks")
    # (helper Q1) numbering restarting per group: every row of such a group "II.1", "II.2", …
    from .tasks import interchange_codes
    codes = interchange_codes(task_rows)
    for n, t in enumerate(task_rows):
        group = t.get("group")
        group = str(group) if group not in (None, "") else None
        if group is not None and group not in group_codes:
            groups.append({"code": group[:TASK_CODE_MAX], "name": f"Nhóm {group}", "position": len(groups)})
            group_codes.add(group[:TASK_CODE_MAX])
        code = _unique_code(codes[n] or str(n + 1), seen, TASK_CODE_MAX, group)
        deadline_raw = nfc(text_of(t, "deadline") or "")
        dl = _parsed_deadline(deadline_raw or None)
        notes = _notes_of(t, ("name", "lead", "coordinating", "result", "deadline"))
        if dl.warnings:
            notes["deadline_warnings"] = list(dl.warnings)
        assignments: dict[tuple[str, str], dict] = {}
        for role, f in (("lead", "lead"), ("coordinating", "coordinating")):
            for org, src in _chosen(t, f):
                assignments.setdefault((org, role), {"org": org, "role": role, "source_text": src[:255]})
        leads = {o for o, role in assignments if role == "lead"}
        align = t.get("align") or {}
        out.append({
            "code": code, "group": group[:TASK_CODE_MAX] if group else None, "position": n,
            "name": nfc(text_of(t, "name") or "") or f"(chưa có tên, dòng {n + 1})",
            "lead_text": [nfc(x) for x in _as_list(text_of(t, "lead"))],
            "coordinating_text": [nfc(x) for x in _as_list(text_of(t, "coordinating"))],
            "result": nfc(text_of(t, "result") or ""), "deadline_raw": deadline_raw[:255],
            "deadline": dl.value.to_dict(), "derived_from": dict(align["chosen"]) if align.get("chosen") else None,
            "notes": notes,
            "assignments": [a for (o, role), a in sorted(assignments.items())
                            if not (role == "coordinating" and o in leads)],
        })
    return groups, out


def _document_ref(ref) -> dict:
    if not isinstance(ref, dict):
        return {"number": str(ref or "")[:64], "kind": "", "date": None, "issuer_name": "", "title": ""}
    d = _iso(ref.get("date"))
    return {"number": str(ref.get("number") or "")[:64], "kind": str(ref.get("kind") or "")[:120],
            "date": d.isoformat() if d else None, "issuer_name": str(ref.get("issuer_name") or "")[:255],
            "title": str(ref.get("title") or "")}


def interchange_from_draft(draft: dict) -> dict | None:
    """The planwatch-plan document (docs/interchange.md) a plan draft describes, from the
    chosen organisations and alignments. Not validated here (plans.interchange.normalize does
    that at preview and apply). None for a report."""
    from planwatch.plans.interchange import FORMAT, VERSION

    if draft.get("kind") != "plan":
        return None
    header = draft.get("plan") or {}
    meta = draft.get("document") or {}
    ctx = draft.get("context") or {}
    ocr = bool(ctx.get("ocr"))
    owner = header.get("owner")
    owner_choice = ((header.get("orgs") or {}).get("owner") or [{}])[0].get("chosen") or []
    if owner_choice:
        owner = {"code": owner_choice[0]}
    standing = header.get("standing_agency")
    standing_choice = (header.get("orgs") or {}).get("standing_agency")
    if standing_choice:
        codes = standing_choice[0].get("chosen") or []
        standing = {"code": codes[0]} if codes else None
    years = [int(y) for y in header.get("milestone_years") or []]
    indicators = _indicator_rows(draft, years, ocr, (owner or {}).get("code"))
    groups, tasks = _task_rows(draft)
    if not years:
        years = sorted({t["year"] for r in indicators for t in r["targets"]})
    document = None
    if meta.get("number"):
        d = _iso(meta.get("date"))
        document = {
            "number": str(meta["number"])[:64], "kind": str(text_of(meta, "kind") or "")[:120],
            "date": d.isoformat() if d else None, "issuer_name": str(text_of(meta, "issuer") or "")[:255],
            "issuer": owner if owner else None, "title": str(text_of(meta, "title") or ""),
            "implements": [_document_ref(r) for r in meta.get("implements") or []],
            "replaces": [_document_ref(r) for r in meta.get("replaces") or []],
            "notes": {k: meta[k] for k in ("signer",) if meta.get(k)} | {"imported_from": draft["source"]["name"]},
        }
    return {
        "format": FORMAT, "version": VERSION,
        "plan": {
            "code": header.get("code"), "name": header.get("name"), "owner": owner, "parent": header.get("parent"),
            "standing_agency": standing, "milestone_years": years,
            "reporting_schedule": header.get("reporting_schedule") or DEFAULT_SCHEDULE,
            "reporting_due_day": header.get("reporting_due_day") or 10, "monitored": header.get("monitored", True),
            "notes": {},
        },
        "document": document, "indicators": indicators, "task_groups": groups, "tasks": tasks,
    }


# ---------------------------------------------------------------- a new version of an existing plan

# interchange field → the draft field a person corrects
_CARRIED_TEXT = {
    "indicators": {"name": "name", "unit": "unit", "agency_text": "agency"},
    "tasks": {"name": "name", "result": "result", "lead_text": "lead", "coordinating_text": "coordinating",
              "deadline_raw": "deadline"},
}
OCR_SAME_TEXT = 80


def carry_existing(doc: dict, draft: dict) -> dict:
    """For a new version of a plan the system holds, keep what the diff should not show as a
    change: the stored notes of each row (this upload's doubts stay on the draft's flags), the
    stored alignment when the draft proposes none or the same, texts equal up to Unicode form
    and tone placement ("hoá"/"hóa"), and for an OCR'd document texts so close to the stored
    ones that the difference is reading noise. What the person corrected is never replaced.
    Reads the plan; returns `doc` changed in place."""
    from rapidfuzz import fuzz

    from planwatch.lib.text import search_key
    from planwatch.plans.interchange import export_plan
    from planwatch.plans.models import Plan

    plan = Plan.objects.filter(code=(doc.get("plan") or {}).get("code")).first()
    if plan is None:
        return doc
    current = export_plan(plan)
    ocr = bool((draft.get("context") or {}).get("ocr"))
    today = _iso((draft.get("context") or {}).get("today")) or date.today()
    from planwatch.orgs.models import Organisation

    live = {o.code for o in Organisation.objects.all() if o.is_active(today)}
    if doc.get("document") is None or not (doc["document"] or {}).get("number"):
        doc["document"] = current["document"]
    for kind, draft_section, link in (("indicators", "indicators", "aligned_to"), ("tasks", "tasks", "derived_from")):
        old_rows = {r["code"]: r for r in current[kind]}
        draft_rows = section_rows(draft, draft_section)
        for n, r in enumerate(doc[kind]):
            old = old_rows.get(r["code"])
            if old is None:
                continue
            src = draft_rows[n] if n < len(draft_rows) else {}
            corrected = set(src.get("corrected") or [])
            r["notes"] = old["notes"]
            chosen_by_person = (src.get("align") or {}).get("note") == PERSON_CHOICE
            if not chosen_by_person and (r[link] is None or r[link] == old[link]):
                r[link] = old[link]
                if kind == "indicators":
                    r["alignment_note"] = old["alignment_note"]
            for f, draft_field in _CARRIED_TEXT[kind].items():
                if draft_field in corrected:
                    continue
                new_v, old_v = r[f], old[f]

                def alike(a: str, b: str) -> bool:
                    if nfc(a or "") == nfc(b or ""):
                        return True
                    return bool(ocr and a and b and fuzz.ratio(search_key(a), search_key(b)) >= OCR_SAME_TEXT)

                if isinstance(new_v, list):
                    same = len(new_v) == len(old_v) and all(alike(a, b) for a, b in zip(new_v, old_v))
                else:
                    same = alike(new_v, old_v)
                if same:
                    r[f] = old_v
                    if f == "deadline_raw":
                        r["deadline"] = old["deadline"]
            # The same printed agencies, nobody chose otherwise, the stored units still exist:
            # keep the stored organisations (a merged unit's successor still shows as a change).
            fields = ("agency",) if kind == "indicators" else ("lead", "coordinating")
            texts = ("agency_text",) if kind == "indicators" else ("lead_text", "coordinating_text")
            person = any(ch.get("method") == "chosen" for f in fields for ch in (src.get("orgs") or {}).get(f) or [])
            if not person and all(r[t] == old[t] for t in texts):
                key = "responsible" if kind == "indicators" else "assignments"
                codes = old[key] if kind == "indicators" else [a["org"] for a in old[key]]
                if all(c in live for c in codes):
                    r[key] = old[key]
    old_groups = {g["code"]: g for g in current["task_groups"]}
    for g in doc["task_groups"]:
        old = old_groups.get(g["code"])
        if old and (nfc(g["name"]) == nfc(old["name"]) or (ocr and fuzz.ratio(search_key(g["name"]), search_key(old["name"])) >= OCR_SAME_TEXT)):
            g["name"] = old["name"]
    return doc


PERSON_CHOICE = "chọn khi kiểm tra bản nháp"
