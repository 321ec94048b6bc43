"""Pure rules of a progress line that reporting enforces (forms, services) and monitoring
shows on its scorecard. No database access; monitoring.status re-exports them."""

from __future__ import annotations

RATINGS_NEEDING_EXPLANATION = ("red", "amber")


def rating_explanation_error(rating: str | None, explanation: str | None) -> str | None:
    """A unit that marks its own task red or amber must say why. Returns the message to show
    beside the field, or None when the line is acceptable."""
    if rating in RATINGS_NEEDING_EXPLANATION and not (explanation or "").strip():
        word = "đỏ" if rating == "red" else "vàng"
        return f"Nhiệm vụ tự đánh giá mức {word} phải có giải trình lý do."
    return None
