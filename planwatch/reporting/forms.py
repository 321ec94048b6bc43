"""The unit report form: one set of fields per task line and per indicator value, built
from the report itself, so a field naming a task or indicator outside the report simply
does not exist (and crafted_keys() reports it so the view refuses with 403).

Numbers are read the Vietnamese way (1.000,5) with lib.numbers, dates dd/mm/yyyy; every
invalid field gets its own Vietnamese message and all are shown at once."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils import timezone

from planwatch.lib.dates import parse_vn_date
from planwatch.lib.numbers import format_vn_number, parse_vn_number, ratio_percent
from planwatch.reporting.rules import rating_explanation_error

from .models import IndicatorValue, ProgressStatus, Rating, TaskProgress, UnitReport
from .services import TASK_FIELDS, ReportData, is_percent, is_ratio  # noqa: F401 (is_ratio: views use it)

_KEY = re.compile(r"^(t|i)(\d+)_")
TEXT_MAX = 20000


def _fmt(v: Decimal | None) -> str:
    return "" if v is None else format_vn_number(v)


class VNNumberField(forms.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 40)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "size": 10, "placeholder": "1.000,5"})

    def clean(self, value):
        value = super().clean(value)
        if not value or not value.strip():
            return None
        res = parse_vn_number(value)
        if res.value is None:
            raise forms.ValidationError(
                f"{res.warnings[0] if res.warnings else 'Không đọc được số'}. Nhập theo cách viết Việt Nam, ví dụ 1.000,5"
            )
        if res.value < 0:
            raise forms.ValidationError("Số liệu không được âm")
        if abs(res.value) >= Decimal("1e15"):
            raise forms.ValidationError("Số quá lớn")
        return res.value.quantize(Decimal("0.0001")) if res.value.as_tuple().exponent < -4 else res.value


class VNDateField(forms.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"placeholder": "dd/mm/yyyy", "size": 10, "inputmode": "numeric"})

    def clean(self, value):
        value = super().clean(value)
        if not value or not value.strip():
            return None
        d = parse_vn_date(value)
        if d is None:
            raise forms.ValidationError("Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 15/05/2025")
        return d


class ReportForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    general_obstacles = forms.CharField(label="Khó khăn, vướng mắc chung", required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    general_recommendations = forms.CharField(label="Kiến nghị, đề xuất chung", required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, report: UnitReport, lines: list[TaskProgress], values: list[IndicatorValue], *args, partial: bool = False, **kwargs):
        """partial=True (autosave, one cell at a time): the posted keys are the cells the
        person changed; every other cell keeps its stored value, so cross-cell rules (a done
        task needs its date, vàng/đỏ needs an explanation) judge the row as it will be saved.
        partial_report_data() then carries only the changed cells that are valid."""
        self.report = report
        self.lines = lines
        self.values = values
        self.partial = partial
        initial = {
            "version": report.version,
            "general_obstacles": report.general_obstacles,
            "general_recommendations": report.general_recommendations,
        }
        for tl in lines:
            p = f"t{tl.task_id}_"
            initial.update({
                p + "status": tl.status,
                p + "completed_on": tl.completed_on.strftime("%d/%m/%Y") if tl.completed_on else "",
                p + "result_to_date": tl.result_to_date,
                p + "expected_next": tl.expected_next,
                p + "obstacles": tl.obstacles,
                p + "rating": tl.rating,
                p + "rating_explanation": tl.rating_explanation,
            })
        for iv in values:
            p = f"i{iv.indicator_id}_"
            initial.update({p + "value": _fmt(iv.value), p + "numerator": _fmt(iv.numerator), p + "denominator": _fmt(iv.denominator), p + "note": iv.note})
        kwargs.setdefault("initial", initial)
        self.touched: set[str] = set()
        self._posted: list[str] = []
        if partial and args and args[0] is not None:
            posted = args[0]
            self._posted = list(posted)
            self.touched = {k for k in posted if _KEY.match(k) or k in ("general_obstacles", "general_recommendations")}
            merged = {k: ("" if v is None else str(v)) for k, v in initial.items()}
            for k in posted:
                merged[k] = posted.get(k)
            args = (merged, *args[1:])
        super().__init__(*args, **kwargs)
        for tl in lines:
            p = f"t{tl.task_id}_"
            code = tl.task.code
            self.fields[p + "status"] = forms.ChoiceField(
                label=f"Nhiệm vụ {code} – tình hình", choices=ProgressStatus.choices,
                error_messages={"invalid_choice": "Tình hình không hợp lệ", "required": "Chọn tình hình thực hiện"},
            )
            self.fields[p + "completed_on"] = VNDateField(label=f"Nhiệm vụ {code} – ngày hoàn thành")
            for f, label, rows in (
                ("result_to_date", "kết quả đến thời điểm báo cáo", 3),
                ("expected_next", "dự kiến kết quả kỳ tới", 2),
                ("obstacles", "vướng mắc, kiến nghị", 2),
            ):
                self.fields[p + f] = forms.CharField(
                    label=f"Nhiệm vụ {code} – {label}", required=False, max_length=TEXT_MAX,
                    widget=forms.Textarea(attrs={"rows": rows}),
                    error_messages={"max_length": "Nội dung quá dài (tối đa %(limit_value)d ký tự)"},
                )
            self.fields[p + "rating"] = forms.ChoiceField(
                label=f"Nhiệm vụ {code} – tự đánh giá", required=False,
                choices=[("", "— chưa đánh giá —"), *Rating.choices],
                widget=forms.Select(attrs={"aria-label": f"Tự đánh giá nhiệm vụ {code}"}),
                error_messages={"invalid_choice": "Mức tự đánh giá không hợp lệ (xanh, vàng hoặc đỏ)"},
            )
            self.fields[p + "rating_explanation"] = forms.CharField(
                label=f"Nhiệm vụ {code} – giải trình", required=False, max_length=TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 2, "placeholder": "Bắt buộc khi tự đánh giá vàng hoặc đỏ"}),
                error_messages={"max_length": "Nội dung quá dài (tối đa %(limit_value)d ký tự)"},
            )
        for iv in values:
            p = f"i{iv.indicator_id}_"
            code = iv.indicator.code
            if is_ratio(iv.indicator):
                self.fields[p + "numerator"] = VNNumberField(label=f"Chỉ tiêu {code} – tử số")
                self.fields[p + "denominator"] = VNNumberField(label=f"Chỉ tiêu {code} – mẫu số")
            self.fields[p + "value"] = VNNumberField(label=f"Chỉ tiêu {code} – giá trị")
            self.fields[p + "note"] = forms.CharField(label=f"Chỉ tiêu {code} – ghi chú", required=False, max_length=2000)
        for name, fld in self.fields.items():
            # Cells sit in table columns (cards on a phone) without a <label> of their own.
            if name != "version":
                fld.widget.attrs.setdefault("aria-label", fld.label)

    def keep_entries_at_version(self, version: int) -> None:
        """After a save refused because someone else saved first: the form keeps what this
        person typed but carries the latest version, so that saving again (after seeing the
        other person's changes) knowingly saves these entries."""
        self.data = self.data.copy()
        self.data["version"] = str(version)

    def crafted_keys(self) -> list[str]:
        """Posted keys naming a task or indicator that is not in this report."""
        if not self.is_bound:
            return []
        posted = self._posted if self.partial else self.data
        return [k for k in posted if _KEY.match(k) and k not in self.fields]

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        for tl in self.lines:
            p = f"t{tl.task_id}_"
            status, done_on = cleaned.get(p + "status"), cleaned.get(p + "completed_on")
            if done_on and done_on > today:
                self.add_error(p + "completed_on", "Ngày hoàn thành không được ở tương lai")
            elif status == ProgressStatus.DONE and not done_on and p + "completed_on" not in self.errors:
                self.add_error(p + "completed_on", "Nhiệm vụ đã hoàn thành cần ghi ngày hoàn thành")
            elif done_on and status and status != ProgressStatus.DONE:
                # The status is what the officer just chose: a completion date carried over from
                # "hoàn thành" no longer applies and is dropped rather than blocking the save.
                cleaned[p + "completed_on"] = None
            if p + "rating" not in self.errors and p + "rating_explanation" not in self.errors:
                # The same rule the report service enforces (monitoring owns the scorecard wording).
                msg = rating_explanation_error(cleaned.get(p + "rating"), cleaned.get(p + "rating_explanation"))
                if msg:
                    self.add_error(p + "rating_explanation", msg)
        for iv in self.values:
            if not is_ratio(iv.indicator):
                continue
            p = f"i{iv.indicator_id}_"
            num, den = cleaned.get(p + "numerator"), cleaned.get(p + "denominator")
            if p + "numerator" in self.errors or p + "denominator" in self.errors:
                continue
            if (num is None) != (den is None):
                self.add_error(p + "denominator" if den is None else p + "numerator", "Cần nhập cả tử số và mẫu số")
            elif den is not None and den == 0:
                self.add_error(p + "denominator", "Mẫu số phải lớn hơn 0")
            elif num is not None and is_percent(iv.indicator) and num > den:
                self.add_error(p + "numerator", "Tử số không được lớn hơn mẫu số")
            elif num is not None:
                # The percentage follows from the two counts people actually know (a value
                # prefilled from last period must not survive new counts). A value the person
                # typed that disagrees with the counts is not replaced without a word: it is
                # refused, naming the value the counts give.
                computed = ratio_percent(num, den)
                typed = cleaned.get(p + "value")
                if (
                    typed is not None and p + "value" not in self.errors and computed is not None
                    and abs(typed - computed) >= Decimal("0.01") and typed != iv.value
                ):
                    self.add_error(
                        p + "value",
                        f"Giá trị {_fmt(typed)} khác tỷ lệ tính từ tử số và mẫu số ({_fmt(computed)}); "
                        "sửa tử số, mẫu số hoặc xóa ô giá trị để dùng tỷ lệ tính được",
                    )
                else:
                    cleaned[p + "value"] = computed
        return cleaned

    # Cells that stand or fall together: one invalid cell keeps its partners out of a
    # partial save, so the row is never stored half-checked.
    _PARTNERS = (("status", "completed_on"), ("rating", "rating_explanation"), ("numerator", "denominator", "value"))

    def _partners(self, name: str) -> list[str]:
        m = _KEY.match(name)
        if not m:
            return [name]
        prefix, short = name[: m.end()], name[m.end():]
        for group in self._PARTNERS:
            if short in group:
                return [prefix + g for g in group if prefix + g in self.fields]
        return [name]

    def cell_errors(self) -> dict[str, str]:
        """Invalid cells by field name → their Vietnamese message (one line each)."""
        return {k: " ".join(str(e) for e in v) for k, v in self.errors.items() if k in self.fields}

    def held_back(self) -> set[str]:
        """Cells not saved by a partial save: the invalid ones and their partners."""
        out: set[str] = set()
        for k in self.cell_errors():
            out.update(self._partners(k))
        return out

    def saved_cells(self) -> list[str]:
        """The changed cells a partial save stores (a ratio's counts also store its value)."""
        held = self.held_back()
        cells = set()
        for k in self.touched - held:
            if k in self.fields:
                cells.update(p for p in self._partners(k) if p not in held)
        return sorted(cells)

    def partial_report_data(self) -> ReportData:
        """ReportData of the changed, valid cells only (call after is_valid(), whatever it said)."""
        c = self.cleaned_data
        cells = self.saved_cells()
        data = ReportData(general={f: c.get(f) or "" for f in ("general_obstacles", "general_recommendations") if f in cells})
        for name in cells:
            m = _KEY.match(name)
            if not m:
                continue
            kind, pk, short = m.group(1), int(m.group(2)), name[m.end():]
            target = data.tasks if kind == "t" else data.indicators
            value = c.get(name)
            if short == "note":
                value = value or ""
            target.setdefault(pk, {})[short] = value
        return data

    def report_data(self) -> ReportData:
        c = self.cleaned_data
        data = ReportData(general={f: c.get(f, "") for f in ("general_obstacles", "general_recommendations")})
        for tl in self.lines:
            p = f"t{tl.task_id}_"
            data.tasks[tl.task_id] = {f: c.get(p + f) for f in TASK_FIELDS}
        for iv in self.values:
            p = f"i{iv.indicator_id}_"
            data.indicators[iv.indicator_id] = {
                "value": c.get(p + "value"),
                "numerator": c.get(p + "numerator") if is_ratio(iv.indicator) else None,
                "denominator": c.get(p + "denominator") if is_ratio(iv.indicator) else None,
                "note": c.get(p + "note", ""),
            }
        return data

    # Template helpers: the bound fields of one line, by short name.
    def task_fields(self, tl: TaskProgress) -> dict[str, forms.BoundField]:
        p = f"t{tl.task_id}_"
        return {f[len(p):]: self[f] for f in self.fields if f.startswith(p)}

    def value_fields(self, iv: IndicatorValue) -> dict[str, forms.BoundField]:
        p = f"i{iv.indicator_id}_"
        return {f[len(p):]: self[f] for f in self.fields if f.startswith(p)}


class CommentForm(forms.Form):
    comment = forms.CharField(
        label="Ý kiến", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(label="Tệp minh chứng", error_messages={"required": "Chọn tệp để tải lên"})
    task = forms.IntegerField(required=False, widget=forms.HiddenInput)


class AdHocPeriodForm(forms.Form):
    label = forms.CharField(label="Tên kỳ", required=False, max_length=120)
    start = VNDateField(label="Từ ngày")
    end = VNDateField(label="Đến ngày")
    due_date = VNDateField(label="Hạn nộp")

    def clean(self):
        c = super().clean()
        if not c.get("end") and "end" not in self.errors:
            self.add_error("end", "Cần ngày kết thúc của kỳ")
        if c.get("start") and c.get("end") and c["start"] > c["end"]:
            self.add_error("start", "Ngày bắt đầu phải trước ngày kết thúc")
        if c.get("due_date") and c.get("end") and c["due_date"] < c["end"]:
            self.add_error("due_date", "Hạn nộp không được trước ngày kết thúc kỳ")
        return c
