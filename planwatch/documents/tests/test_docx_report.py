"""The DOCX opened with python-docx: Decree 30 layout, and every appendix cell equal to
ReportData and to the database."""

from __future__ import annotations

from io import BytesIO

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT

from planwatch.documents import docx_report as dr
from planwatch.documents.default_template import build_default_template, default_template_bytes
from planwatch.documents.report_data import IndicatorLine
from planwatch.plans.models import Task

from . import factories as f
from .conftest import open_docx, table_rows


@pytest.fixture
def province_docx(province_data):
    return open_docx(dr.render_docx(province_data))


def _all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        parts += [c.text for row in t.rows for c in row.cells]
    return "\n".join(parts)


def test_the_letterhead_has_the_issuing_body_number_national_title_motto_and_date(province_data, province_docx):
    head = province_docx.tables[0]
    left, right = head.rows[0].cells
    lh = province_data.letterhead
    assert left.text.split("\n") == [lh.parent_body, lh.issuing_body, "", lh.number]
    assert right.text.split("\n") == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "", lh.date_line,
    ]
    assert right.paragraphs[-1].runs[0].italic


def test_the_title_subject_body_recipients_and_signature_are_there(province_data, province_docx):
    texts = [p.text for p in province_docx.paragraphs]
    assert "BÁO CÁO" in texts
    assert province_data.subject in texts
    for line in (province_data.intro, province_data.task_summary, province_data.indicator_summary):
        assert line in texts
    for o in province_data.obstacles:
        assert f"- {o}" in texts
    sign = province_docx.tables[1]
    left, right = sign.rows[0].cells
    assert left.text.split("\n") == ["Nơi nhận:", *province_data.letterhead.recipients]
    assert right.text.split("\n")[:2] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    assert right.text.split("\n")[-1] == province_data.letterhead.signer_name


def test_pages_are_a4_with_the_decree_margins_and_appendices_are_landscape(province_docx):
    first, *appendices = province_docx.sections
    assert (round(first.page_width.mm), round(first.page_height.mm)) == (210, 297)
    assert 20 <= round(first.top_margin.mm) <= 25
    assert 20 <= round(first.bottom_margin.mm) <= 25
    assert 30 <= round(first.left_margin.mm) <= 35
    assert 15 <= round(first.right_margin.mm) <= 20
    assert len(appendices) == 2
    for s in appendices:
        assert s.orientation == WD_ORIENT.LANDSCAPE
        assert s.page_width > s.page_height


def test_the_text_is_times_new_roman_13_to_14_points(province_docx):
    normal = province_docx.styles["Normal"].font
    assert normal.name == "Times New Roman"
    assert normal.size.pt == 14
    sizes = {r.font.size.pt for p in province_docx.paragraphs for r in p.runs if r.font.size and r.text.strip()}
    assert sizes <= {13, 13.5, 14}, sizes


def test_the_task_appendix_equals_report_data_cell_by_cell(province_data, province_docx):
    rows = table_rows(province_docx.tables[2])
    assert tuple(rows[0]) == province_data.task_headers
    assert len(rows) - 1 == len(province_data.task_lines)
    for got, line in zip(rows[1:], province_data.task_lines):
        if line.kind == "group":
            assert got[0] == line.tt
            assert set(got[1:]) == {line.name}
        else:
            assert got == dr._task_values(line)


def test_the_task_appendix_equals_the_database(demo, province_docx):
    rows = [r for r in table_rows(province_docx.tables[2])[1:] if r[1] != r[2]]
    tasks = list(Task.objects.filter(plan=demo.plan).order_by("position"))
    assert [(r[0], r[1], r[3], r[4]) for r in rows] == [(t.code, t.name, t.result, t.deadline_raw) for t in tasks]


def test_the_indicator_appendix_equals_report_data_cell_by_cell(province_data, province_docx):
    rows = table_rows(province_docx.tables[3])
    assert tuple(rows[0]) == province_data.indicator_headers
    assert len(rows) - 1 == len(province_data.indicator_lines)
    for got, line in zip(rows[1:], province_data.indicator_lines):
        assert got == dr._indicator_values(line)
    values = [r[-2] for r in rows[1:] if r[-2]]
    assert values and all("." not in v or "," in v or v.replace(".", "").isdigit() for v in values)


def test_hostile_text_is_neutralised_and_the_file_still_opens():
    hostile = f.task(
        "9", name='=HYPERLINK("http://x")', result_to_date="trước\x00\x07sau", obstacles="y" * 40_000,
        lead="<b>&amp; \"quoted\"</b>",
    )
    data = f.report_data(tasks=[hostile], obstacles=("{{ chen_truong }} {% if %}",))
    doc = open_docx(dr.render_docx(data))
    row = table_rows(doc.tables[2])[1]
    assert row[1] == '=HYPERLINK("http://x")'
    assert row[5] == "trướcsau"
    assert row[7] == "y" * 40_000
    assert row[2] == "<b>&amp; \"quoted\"</b>"
    # A user's text that looks like a template tag is printed, never executed.
    assert "- {{ chen_truong }} {% if %}" in [p.text for p in doc.paragraphs]


def test_the_default_template_is_the_stored_file_and_can_be_rebuilt():
    assert default_template_bytes()[:2] == b"PK"
    assert Document(BytesIO(build_default_template())).tables


def _template_with(text: str) -> bytes:
    doc = Document(BytesIO(default_template_bytes()))
    doc.add_paragraph(text)
    buf = BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_an_unknown_placeholder_is_named_in_the_error():
    with pytest.raises(dr.TemplateProblem) as e:
        dr.render_docx(f.report_data(), _template_with("Kính gửi {{ ten_truong }}"))
    msg = str(e.value)
    assert "Mẫu báo cáo lỗi: không có trường “{{ ten_truong }}”" in msg
    assert "{{ co_quan_ban_hanh }}" in msg  # the placeholders one may use


def test_an_unknown_attribute_is_named_in_the_error():
    tpl = _template_with("{% for t in nhiem_vu %}{{ t.khong_co }}{% endfor %}")
    with pytest.raises(dr.TemplateProblem) as e:
        dr.render_docx(f.report_data(), tpl)
    assert "“{{ khong_co }}”" in str(e.value)


def test_a_syntax_error_is_reported_not_raised_as_a_crash():
    with pytest.raises(dr.TemplateProblem) as e:
        dr.render_docx(f.report_data(), _template_with("{% for x in %}"))
    assert str(e.value).startswith("Mẫu báo cáo lỗi cú pháp")


def test_a_file_that_is_not_word_is_refused_clearly():
    with pytest.raises(dr.TemplateProblem) as e:
        dr.render_docx(f.report_data(), b"not a docx")
    assert "không phải là tệp Word" in str(e.value)


def test_an_edited_template_changes_the_wording_and_keeps_the_tables():
    tpl = _template_with("Ghi chú của văn phòng: {{ ky_bao_cao }} – {{ don_vi }}")
    doc = open_docx(dr.render_docx(f.report_data(), tpl))
    assert "Ghi chú của văn phòng: Tháng 4/2025 – Sở Khoa học và Công nghệ" in [p.text for p in doc.paragraphs]
    assert table_rows(doc.tables[2])[2][1] == "Nhiệm vụ 1"


def test_a_template_may_loop_over_the_tasks_itself():
    doc = Document(BytesIO(default_template_bytes()))
    for text in ("{%p for t in nhiem_vu %}", "{{ t.tt }}. {{ t.ten }} – {{ t.tinh_trang }}", "{%p endfor %}"):
        doc.add_paragraph(text)
    buf = BytesIO()
    doc.save(buf)
    out = open_docx(dr.render_docx(f.report_data(), buf.getvalue()))
    texts = [p.text for p in out.paragraphs]
    assert "1. Nhiệm vụ 1 – đang thực hiện (trong hạn)" in texts


def test_placeholders_cover_the_whole_context():
    assert set(dr.template_context(f.report_data())) == set(dr.PLACEHOLDERS)


def test_group_rows_of_indicators_print_only_code_and_name():
    data = f.report_data(indicators=[IndicatorLine(kind="group", tt="1", name="Nhóm", targets=("", ""))])
    rows = table_rows(open_docx(dr.render_docx(data)).tables[3])
    assert rows[1][:2] == ["1", "Nhóm"]
    assert set(rows[1][2:]) == {""}
