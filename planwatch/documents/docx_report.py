"""ReportData → DOCX: the template body (docxtpl) then the appendix tables (python-docx)
on landscape pages."""

from __future__ import annotations

from io import BytesIO

import jinja2
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docxtpl import DocxTemplate

from .default_template import default_template_bytes
from .docx_layout import cant_split, fixed_widths, grid, page_setup, paragraph, repeat_header, set_run_font
from .report_data import IndicatorLine, ReportData, TaskLine, vn_date
from .sanitize import clean_text

CENTER = WD_ALIGN_PARAGRAPH.CENTER
LEFT = WD_ALIGN_PARAGRAPH.LEFT
TABLE_PT = 11
LANDSCAPE_TEXT_MM = 297 - 20 - 20
TASK_WIDTHS = [10, 50, 25, 27, 20, 45, 32, 28, 20]

# Placeholders an administrator may use in a Word template, with what each holds.
PLACEHOLDERS: dict[str, str] = {
    "co_quan_chu_quan": "Tên cơ quan chủ quản, chữ in hoa (có thể trống)",
    "co_quan_ban_hanh": "Tên cơ quan ban hành báo cáo, chữ in hoa",
    "so_ky_hieu": "Số và ký hiệu, ví dụ “Số:    /BC-SKHCN”",
    "ky_hieu": "Chữ viết tắt tên cơ quan, ví dụ “SKHCN”",
    "dia_danh_ngay": "Địa danh và ngày tháng năm ban hành",
    "tieu_de": "Tên loại văn bản: BÁO CÁO",
    "trich_yeu": "Trích yếu nội dung",
    "ke_hoach": "Tên kế hoạch",
    "ky_bao_cao": "Tên kỳ báo cáo, ví dụ “Tháng 10/2026”",
    "tu_ngay": "Ngày đầu kỳ (dd/mm/yyyy)",
    "den_ngay": "Ngày cuối kỳ (dd/mm/yyyy)",
    "don_vi": "Tên đơn vị (hoặc địa bàn) được báo cáo",
    "mo_dau": "Đoạn mở đầu",
    "tinh_hinh_bao_cao": "Tình hình gửi báo cáo của các đơn vị",
    "ket_qua_nhiem_vu": "Tóm tắt kết quả thực hiện nhiệm vụ",
    "ket_qua_theo_don_vi": "Tóm tắt theo từng lượt giao nhiệm vụ cho đơn vị",
    "ket_qua_chi_tieu": "Tóm tắt kết quả thực hiện chỉ tiêu",
    "kho_khan": "Danh sách khó khăn, vướng mắc (dùng {%p for y in kho_khan %})",
    "kien_nghi": "Danh sách đề xuất, kiến nghị",
    "ket_luan": "Đoạn kết",
    "noi_nhan": "Danh sách nơi nhận (mỗi dòng “- …;”)",
    "tham_quyen_ky": "Thẩm quyền ký, ví dụ “KT. GIÁM ĐỐC” (có thể trống)",
    "chuc_vu_ky": "Chức vụ người ký",
    "nguoi_ky": "Họ và tên người ký",
    "nhiem_vu": "Danh sách nhiệm vụ (tt, ten, chu_tri, ket_qua_yeu_cau, thoi_han, ket_qua, du_kien, vuong_mac, tinh_trang, la_nhom)",
    "chi_tieu": "Danh sách chỉ tiêu (stt, ten, don_vi_tinh, muc_tieu, chu_tri, gia_tri, tinh_trang, la_nhom)",
}


class TemplateProblem(Exception):
    """A report template that cannot be rendered; the message is for the administrator."""


def template_context(data: ReportData) -> dict:
    lh = data.letterhead
    return {
        "co_quan_chu_quan": lh.parent_body,
        "co_quan_ban_hanh": lh.issuing_body,
        "so_ky_hieu": lh.number,
        "ky_hieu": lh.abbreviation,
        "dia_danh_ngay": lh.date_line,
        "tieu_de": data.title,
        "trich_yeu": data.subject,
        "ke_hoach": data.plan_name,
        "ky_bao_cao": data.period_label,
        "tu_ngay": vn_date(data.period_start),
        "den_ngay": vn_date(data.period_end),
        "don_vi": data.org_name,
        "mo_dau": data.intro,
        "tinh_hinh_bao_cao": data.reporting_summary,
        "ket_qua_nhiem_vu": data.task_summary,
        "ket_qua_theo_don_vi": data.assignment_summary,
        "ket_qua_chi_tieu": data.indicator_summary,
        "kho_khan": list(data.obstacles),
        "kien_nghi": list(data.recommendations),
        "ket_luan": data.closing,
        "noi_nhan": list(lh.recipients),
        "tham_quyen_ky": lh.signer_authority,
        "chuc_vu_ky": lh.signer_title,
        "nguoi_ky": lh.signer_name,
        "nhiem_vu": [
            {
                "tt": t.tt, "ten": t.name, "chu_tri": t.lead, "ket_qua_yeu_cau": t.result_required,
                "thoi_han": t.deadline, "ket_qua": t.result_to_date, "du_kien": t.expected_next,
                "vuong_mac": t.obstacles, "tinh_trang": t.status_label, "la_nhom": t.kind == "group",
            }
            for t in data.task_lines
        ],
        "chi_tieu": [
            {
                "stt": i.tt, "ten": i.name, "don_vi_tinh": i.unit, "muc_tieu": list(i.targets),
                "chu_tri": i.agency, "gia_tri": i.value_text, "tinh_trang": i.status_label,
                "la_nhom": i.kind == "group",
            }
            for i in data.indicator_lines
        ],
    }


def _available() -> str:
    return ", ".join(f"{{{{ {k} }}}}" for k in PLACEHOLDERS)


def _undefined_name(message: str) -> str:
    # jinja2: "'ten_truong' is undefined" or "'dict object' has no attribute 'x'"
    parts = message.split("'")
    if "has no attribute" in message and len(parts) >= 4:
        return parts[3]
    return parts[1] if len(parts) >= 2 else message


def _render_template(template: bytes, context: dict) -> DocxTemplate:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)
    try:
        tpl = DocxTemplate(BytesIO(template))
        tpl.init_docx()
    except Exception as e:  # a corrupt or non-Word upload
        raise TemplateProblem(f"Mẫu báo cáo lỗi: tệp không phải là tệp Word (.docx) hợp lệ ({e.__class__.__name__}).") from e
    try:
        unknown = sorted(tpl.get_undeclared_template_variables(jinja_env=env, context=context))
        if unknown:
            names = ", ".join(f"“{{{{ {n} }}}}”" for n in unknown)
            raise TemplateProblem(
                f"Mẫu báo cáo lỗi: không có trường {names}. Các trường có thể dùng: {_available()}."
            )
        tpl.render(context, jinja_env=env, autoescape=True)
    except jinja2.TemplateSyntaxError as e:
        near = " ".join(" ".join(getattr(e, "docx_context", []) or []).split())[:160]
        raise TemplateProblem(
            f"Mẫu báo cáo lỗi cú pháp: {(e.message or '').rstrip('.')}" + (f" (gần đoạn “{near}”)" if near else "")
            + ". Trường viết dạng {{ ten_truong }}, lệnh lặp dạng {%p for y in kho_khan %} … {%p endfor %}."
        ) from e
    except jinja2.UndefinedError as e:
        name = _undefined_name(str(e.message or e))
        raise TemplateProblem(
            f"Mẫu báo cáo lỗi: không có trường “{{{{ {name} }}}}”. Các trường có thể dùng: {_available()}."
        ) from e
    except jinja2.TemplateError as e:
        raise TemplateProblem(f"Mẫu báo cáo lỗi: {e}") from e
    return tpl


def check_template(template: bytes, data: ReportData) -> None:
    """Raise TemplateProblem if `template` cannot render `data` (used when uploading)."""
    _render_template(template, template_context(data))


# ---------------------------------------------------------------- appendix tables


def _cell(cell, text: str, *, bold=False, italic=False, align=LEFT) -> None:
    p = cell.paragraphs[0]
    p.alignment = align
    if text:
        set_run_font(p.add_run(clean_text(text)), size=TABLE_PT, bold=bold, italic=italic)


def _appendix_heading(doc, data: ReportData, number: str, title: str) -> None:
    lh = data.letterhead
    paragraph(doc, number, size=14, bold=True, align=CENTER)
    paragraph(doc, title, size=14, bold=True, align=CENTER)
    paragraph(
        doc,
        f"(Kèm theo Báo cáo {lh.number.replace('Số:', 'số').strip()} ngày     /     /{data.as_of.year} "
        f"của {lh.issuer_name})",
        size=13, italic=True, align=CENTER, space_after=8,
    )


def _new_landscape_section(doc):
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    page_setup(section, landscape=True)
    section.different_first_page_header_footer = False
    return section


def _header_row(table, headers) -> None:
    row = table.rows[0]
    repeat_header(row)
    for cell, text in zip(row.cells, headers):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _cell(cell, text, bold=True, align=CENTER)


def task_table(doc, data: ReportData):
    table = doc.add_table(rows=1, cols=len(data.task_headers))
    grid(table)
    _header_row(table, data.task_headers)
    for line in data.task_lines:
        row = table.add_row()
        cells = row.cells
        if line.kind == "group":
            _cell(cells[0], line.tt, bold=True, align=CENTER)
            merged = cells[1].merge(cells[-1])
            _cell(merged, line.name, bold=True)
            continue
        cant_split(row) if len(line.result_to_date) < 600 else None
        values = _task_values(line)
        for i, (cell, text) in enumerate(zip(cells, values)):
            _cell(cell, text, align=CENTER if i in (0, 4) else LEFT)
    fixed_widths(table, TASK_WIDTHS)
    return table


def _task_values(line: TaskLine) -> list[str]:
    return [
        line.tt, line.name, line.lead, line.result_required, line.deadline,
        line.result_to_date, line.expected_next, line.obstacles, line.status_cell,
    ]


def _indicator_values(line: IndicatorLine) -> list[str]:
    return [line.tt, line.name, line.unit, *line.targets, line.agency, line.value_text, line.status_label]


def indicator_widths(n_years: int) -> list[float]:
    fixed = [12, 0, 20] + [15] * n_years + [34, 24, 26]
    fixed[1] = LANDSCAPE_TEXT_MM - sum(fixed)
    return fixed


def indicator_table(doc, data: ReportData):
    table = doc.add_table(rows=1, cols=len(data.indicator_headers))
    grid(table)
    _header_row(table, data.indicator_headers)
    n_years = len(data.milestone_years)
    for line in data.indicator_lines:
        row = table.add_row()
        cant_split(row)
        cells = row.cells
        values = _indicator_values(line)
        bold = line.kind == "group"
        for i, (cell, text) in enumerate(zip(cells, values)):
            centred = i == 0 or 2 <= i < 3 + n_years or i == len(values) - 2
            _cell(cell, text, bold=bold, align=CENTER if centred else LEFT)
    fixed_widths(table, indicator_widths(n_years))
    return table


def render_docx(data: ReportData, template: bytes | None = None) -> bytes:
    tpl = _render_template(template or default_template_bytes(), template_context(data))
    doc = tpl.docx
    _new_landscape_section(doc)
    _appendix_heading(
        doc, data, data.task_appendix_title,
        f"TÌNH HÌNH THỰC HIỆN CÁC NHIỆM VỤ KỲ {data.period_label.upper()}",
    )
    task_table(doc, data)
    _new_landscape_section(doc)
    _appendix_heading(
        doc, data, data.indicator_appendix_title,
        f"TÌNH HÌNH THỰC HIỆN CÁC CHỈ TIÊU KỲ {data.period_label.upper()}",
    )
    indicator_table(doc, data)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


__all__ = ["PLACEHOLDERS", "TemplateProblem", "check_template", "render_docx", "template_context"]
