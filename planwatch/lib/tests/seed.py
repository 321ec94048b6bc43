"""Access to ../shared/seed-data for the tests that check real documents (skipped where absent)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

SEED_DIR = Path(__file__).resolve().parents[3] / ".." / "shared" / "seed-data"

requires_seed = pytest.mark.skipif(not SEED_DIR.is_dir(), reason="../shared/seed-data is absent")


def load(name: str) -> dict[str, Any]:
    return json.loads((SEED_DIR / name).read_text(encoding="utf-8"))
