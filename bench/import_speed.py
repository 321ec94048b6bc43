"""Import speed: a 60-page plan becomes a draft in ≤ 2 s (the issue's target). Not a test.

    uv run python bench/import_speed.py [--runs 5] [--indicators 300] [--tasks 600] [--pages 60]

Builds a plan DOCX the way the seed fixtures do (planwatch/documents/ingest/tests/seed_files.py):
body paragraphs, Phụ lục I (indicator table, 2-row header, merged agency cells, group rows) and
Phụ lục II (task table, group rows merged across), from realistic rows repeated with new numbers.
Pages are counted by converting the DOCX to PDF with LibreOffice and counting the PDF's pages
with pdfplumber; while that is under --pages the tables grow by the missing share and the file is
built again. Then times pipeline.draft_from_file (read + parse + draft) on the DOCX and on the PDF,
--runs times each after one warm-up run, and prints p50/p95 wall-clock seconds per format (and the
process CPU time: the machine is shared, so wall clock includes waiting for a core).
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import import_accuracy  # noqa: E402  (sets Django up, ensure_db)

from planwatch.documents.ingest.tests import seed_files as sf  # noqa: E402

YEARS = ["2025", "2030", "2035", "2040", "2045"]
# Realistic rows (from the kinds of plan the project has seen), repeated with new numbers.
INDICATORS = [
    ("Tỷ lệ doanh nghiệp có hoạt động đổi mới quy trình, mô hình kinh doanh", "%", ["≥ 10", "≥ 20", "≥ 25", "≥ 30", "≥ 35"]),
    ("Số lượng doanh nghiệp khoa học và công nghệ trên địa bàn", "Doanh nghiệp", ["≥ 01", "≥ 02", "≥ 03", "≥ 04", None]),
    ("Tỷ lệ cán bộ, công chức cấp xã được bồi dưỡng kỹ năng số căn bản", "%", ["≥ 80", "100", "100", "100", "100"]),
    ("Tỷ lệ dân số trưởng thành thường xuyên sử dụng dịch vụ số (chăm sóc sức khỏe từ xa, học trực tuyến nâng cao, giao dịch tài chính số,…)", "%", ["-", "-", "-", "≥ 80", "≥ 90"]),
    ("Tỷ trọng kinh tế số trong GRDP", "% GRDP", ["≥ 1,0", "≥ 1,5", "≥ 2", "≥ 2,5", "≥ 3"]),
    ("Tỷ lệ hồ sơ, kết quả giải quyết thủ tục hành chính được số hóa", "%", ["≥ 70", "100", "100", "100", "100"]),
    ("Hình thành trung tâm dữ liệu, bộ não số của tỉnh", None, [None, None, "X", "X", "X"]),
    ("Xếp hạng chỉ số chuyển đổi số cấp tỉnh (DTI)", "Thứ bậc", ["< 30", "< 25", "< 20", "< 15", "< 10"]),
    ("Số lượng sáng kiến trong khu vực công được công nhận hàng năm", "Sáng kiến", ["≥ 01", "≥ 02", "≥ 03", "≥ 04", "≥ 05"]),
    ("Tỷ lệ người dân từ 15 tuổi trở lên có tài khoản giao dịch tại ngân hàng hoặc các tổ chức được phép khác", "%", ["50", "80", "100", "100", "100"]),
]
AGENCIES = ["Sở Khoa học và Công nghệ", "Sở Nội vụ", "Văn phòng UBND tỉnh", "Sở Tài chính",
            "Sở Giáo dục và Đào tạo", "Công an tỉnh"]
GROUPS = [
    "Nâng cao nhận thức, đột phá về đổi mới tư duy, xác định quyết tâm chính trị mạnh mẽ, quyết liệt lãnh đạo, chỉ đạo",
    "Khẩn trương hoàn thiện thể chế; xoá bỏ mọi tư tưởng, quan niệm, rào cản đang cản trở sự phát triển",
    "Tăng cường đầu tư, hoàn thiện hạ tầng cho khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
    "Phát triển, trọng dụng nhân tài, nhân lực chất lượng cao đáp ứng yêu cầu phát triển",
    "Đẩy mạnh chuyển đổi số, ứng dụng khoa học, công nghệ, đổi mới sáng tạo trong hoạt động của các cơ quan",
]


def roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out

TASKS = [
    ("Xây dựng chương trình chuyên biệt về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số trên truyền hình, phát thanh và mạng xã hội.", ["Sở Khoa học và Công nghệ"], ["Báo Quảng Ngãi", "Đài PTTH tỉnh"], "Chương trình", "Thường xuyên"),
    ("Hoàn thành xây dựng, cập nhật điều chỉnh kế hoạch hành động triển khai Chương trình hành động của Chính phủ", ["Sở Khoa học và Công nghệ"], ["Sở ban ngành, địa phương"], "Kế hoạch hành động", "Tháng 4/2025"),
    ("Rà soát, đề xuất sửa đổi, bổ sung các văn bản quy phạm pháp luật thuộc thẩm quyền của tỉnh để tháo gỡ vướng mắc trong hoạt động khoa học, công nghệ", ["Sở Tư pháp"], ["Các sở, ban ngành, địa phương"], "Văn bản được ban hành", "Quý III/2025"),
    ("Triển khai nền tảng số dùng chung của tỉnh, kết nối, chia sẻ dữ liệu với cơ sở dữ liệu quốc gia về dân cư", ["Sở Khoa học và Công nghệ"], ["Công an tỉnh"], "Nền tảng được đưa vào vận hành", "2025-2026"),
    ("Tổ chức đào tạo, bồi dưỡng kỹ năng số cho cán bộ, công chức, viên chức và người lao động", ["Sở Nội vụ"], [], "Số lượt người được đào tạo", "Hằng năm"),
    ("Xây dựng cơ chế đặt hàng nhiệm vụ khoa học và công nghệ gắn với nhu cầu của doanh nghiệp", ["Sở Khoa học và Công nghệ"], ["Sở Tài chính", "Sở Công Thương"], "Quyết định của UBND tỉnh", "Tháng 12/2025"),
]


def build_rows(n_ind: int, n_tasks: int) -> tuple[list[dict], list[dict], list[dict]]:
    indicators: list[dict] = []
    group_size = 10
    n_groups = max(1, math.ceil(n_ind / group_size))
    k = 0
    for g in range(1, n_groups + 1):
        indicators.append({"code": str(g), "parent": None, "name": f"Nhóm chỉ tiêu {g}: {INDICATORS[g % len(INDICATORS)][0]}",
                           "unit": None, "targets": {y: None for y in YEARS}, "agency": None,
                           "agency_inferred": False, "is_group": True})
        agency = AGENCIES[g % len(AGENCIES)]
        for j in range(1, group_size + 1):
            if k >= n_ind:
                break
            name, unit, targets = INDICATORS[k % len(INDICATORS)]
            indicators.append({"code": f"{g}.{j}", "parent": str(g), "name": name, "unit": unit,
                               "targets": dict(zip(YEARS, targets)), "agency": agency,
                               "agency_inferred": j % 4 != 1, "is_group": False})
            k += 1
    groups = [{"code": roman(i + 1), "code_printed": roman(i + 1) + ".",
               "name": f"Nhóm nhiệm vụ về “{GROUPS[i % len(GROUPS)]}”"} for i in range(max(1, math.ceil(n_tasks / 40)))]
    tasks = []
    for i in range(n_tasks):
        name, lead, coord, result, deadline = TASKS[i % len(TASKS)]
        tasks.append({"code": str(i + 1), "group": groups[i // 40]["code"], "name": name, "lead": lead,
                      "coordinating": coord, "result": result, "deadline": deadline})
    return indicators, groups, tasks


def build_plan(n_ind: int, n_tasks: int) -> bytes:
    indicators, groups, tasks = build_rows(n_ind, n_tasks)
    doc = sf.new_document()
    sf.add_paragraphs(doc, [
        "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", "Số: 383/KH-UBND", "Quảng Ngãi, ngày 26 tháng 5 năm 2025",
        "KẾ HOẠCH",
        "Triển khai thực hiện Nghị quyết số 71/NQ-CP ngày 01/4/2025 của Chính phủ và Kế hoạch hành động "
        "số 359-KH/TU ngày 29/4/2025 của Ban Thường vụ Tỉnh ủy về đột phá phát triển khoa học, công nghệ, "
        "đổi mới sáng tạo và chuyển đổi số",
        "Thực hiện Nghị quyết số 71/NQ-CP ngày 01/4/2025 của Chính phủ; UBND tỉnh ban hành Kế hoạch "
        "triển khai thực hiện với những nội dung chủ yếu như sau:",
        "I. MỤC TIÊU", "II. CHỈ TIÊU CỤ THỂ (Chi tiết tại Phụ lục I)",
        "III. NHIỆM VỤ CỤ THỂ (Chi tiết tại Phụ lục II)",
    ])
    sf.landscape_section(doc)
    sf.add_paragraphs(doc, ["PHỤ LỤC I", "DANH MỤC CÁC CHỈ TIÊU CỤ THỂ"])
    sf.add_indicator_table(doc, indicators)
    sf.add_paragraphs(doc, ["Ghi chú: (-): Chưa thực hiện; (X): Thực hiện"])
    doc.add_page_break()
    sf.add_paragraphs(doc, ["PHỤ LỤC II", "DANH MỤC CÁC NHIỆM VỤ CHỦ YẾU"])
    sf.add_task_table(doc, groups, tasks)
    return sf.to_bytes(doc)


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, math.ceil(q * len(s)) - 1))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--indicators", type=int, default=300)
    ap.add_argument("--tasks", type=int, default=600)
    ap.add_argument("--pages", type=int, default=60, help="minimum page count of the plan")
    ap.add_argument("--target", type=float, default=2.0)
    ap.add_argument("--formats", default="docx,pdf")
    ap.add_argument("--profile", action="store_true", help="print the 25 costliest functions of one run")
    args = ap.parse_args()
    if not sf.soffice_available():
        sys.exit("LibreOffice (soffice) is needed to count pages and make the PDF "
                 "(Debian package libreoffice-writer-nogui)")
    note = import_accuracy.ensure_db()
    if note:
        print(f"note: {note}")
    n_ind, n_tasks = args.indicators, args.tasks
    for _ in range(4):
        docx = build_plan(n_ind, n_tasks)
        t = time.perf_counter()
        pdf = sf.docx_to_pdf(docx)
        conv = time.perf_counter() - t
        pages = sf.pdf_pages(pdf)
        if pages >= args.pages:
            break
        scale = args.pages / pages * 1.05
        n_ind, n_tasks = math.ceil(n_ind * scale), math.ceil(n_tasks * scale)
    print(f"Plan: {n_ind} indicator rows, {n_tasks} task rows; {pages} pages (LibreOffice PDF, "
          f"pages counted by pdfplumber; conversion {conv:.1f} s); DOCX {len(docx) // 1024} KiB, "
          f"PDF {len(pdf) // 1024} KiB")

    from planwatch.documents.ingest import pipeline, readers

    for fmt, blob in (("docx", docx), ("pdf", pdf)):
        if fmt not in args.formats.split(","):
            continue
        name = f"ke-hoach-60-trang.{fmt}"
        draft = pipeline.draft_from_file(blob, name)  # warm-up (imports, caches)
        stats = draft.get("stats") or {}
        times, cpu, read_times = [], [], []
        for _ in range(args.runs):
            t, c = time.perf_counter(), time.process_time()
            pipeline.draft_from_file(blob, name)
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
            t = time.perf_counter()
            readers.read_document(blob, name)
            read_times.append(time.perf_counter() - t)
        p50, p95 = statistics.median(times), pct(times, 0.95)
        def ok(v: float) -> str:
            return "OK" if v <= args.target else "OVER"

        verdict = (f"p50 {ok(p50)}, p95 {ok(p95)}, CPU p50 {ok(statistics.median(cpu))}")
        print(f"{fmt.upper()}: draft_from_file p50 {p50:.2f} s, p95 {p95:.2f} s over {args.runs} runs "
              f"(CPU p50 {statistics.median(cpu):.2f} s; read_document p50 {statistics.median(read_times):.2f} s); "
              f"{stats.get('indicators', '?')} indicators, {stats.get('tasks', '?')} tasks in the draft; "
              f"target ≤ {args.target:.0f} s: {verdict}")
        if args.profile:
            import cProfile
            import pstats

            prof = cProfile.Profile()
            prof.runcall(pipeline.draft_from_file, blob, name)
            pstats.Stats(prof).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
