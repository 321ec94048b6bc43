"""Unit ranking (thi đua): the scoring method, pure. Shown on the ranking page as written here."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .status import TaskStatus

WEIGHTS = {"tasks": 40, "reporting": 40, "indicators": 20}
GREEN_FROM, AMBER_FROM = 80, 60
# Statuses that count against a unit: it let a deadline pass or skipped a recurring report.
BAD_TASK = {TaskStatus.OVERDUE.value, TaskStatus.DONE_LATE.value, TaskStatus.NOT_REPORTED.value}

METHOD_VI = [
    f"Nhiệm vụ đúng tiến độ ({WEIGHTS['tasks']} điểm): tỷ lệ nhiệm vụ được giao không quá hạn, không hoàn thành quá hạn "
    "và (với nhiệm vụ thường xuyên) đã báo cáo kỳ này.",
    f"Báo cáo đúng hạn ({WEIGHTS['reporting']} điểm): tỷ lệ kỳ báo cáo (12 kỳ gần nhất đã đến hạn) gửi đúng hạn; "
    "gửi trễ tính nửa điểm, không gửi không có điểm.",
    f"Đạt chỉ tiêu ({WEIGHTS['indicators']} điểm): tỷ lệ chỉ tiêu đơn vị chủ trì có số liệu mới nhất đạt mục tiêu mốc tới; "
    "đơn vị không chủ trì chỉ tiêu nào được tính theo hai tiêu chí trên (quy đổi thang 100).",
    f"Xếp loại: xanh từ {GREEN_FROM} điểm, vàng từ {AMBER_FROM} đến dưới {GREEN_FROM}, đỏ dưới {AMBER_FROM}.",
]


@dataclass(frozen=True)
class Score:
    tasks: Decimal | None  # shares 0..1, None = nothing to judge
    reporting: Decimal | None
    indicators: Decimal | None
    total: Decimal
    rag: str  # "green" | "amber" | "red"


def _share(good: Decimal, total: int) -> Decimal | None:
    return (good / total) if total else None


def score(*, task_statuses: dict[str, int], on_time: int, late: int, missing: int, ind_met: int, ind_total: int) -> Score:
    n_tasks = sum(task_statuses.values())
    bad = sum(n for s, n in task_statuses.items() if s in BAD_TASK)
    parts = {
        "tasks": _share(Decimal(n_tasks - bad), n_tasks),
        "reporting": _share(Decimal(on_time) + Decimal(late) / 2, on_time + late + missing),
        "indicators": _share(Decimal(ind_met), ind_total),
    }
    weight = sum(WEIGHTS[k] for k, v in parts.items() if v is not None)
    got = sum((WEIGHTS[k] * v for k, v in parts.items() if v is not None), Decimal(0))
    total = (got * 100 / weight).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if weight else Decimal(0)
    rag = "green" if total >= GREEN_FROM else "amber" if total >= AMBER_FROM else "red"
    return Score(parts["tasks"], parts["reporting"], parts["indicators"], total, rag)
