"""Vietnamese calendar dates as people type them: dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy,
dd.mm.yyyy) and ISO yyyy-mm-dd from date pickers."""

from __future__ import annotations

import re
from datetime import date

_DMY = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


def parse_vn_date(raw: str | None) -> date | None:
    """The date, or None when the text is not a real date (31/02/2025 is None)."""
    if not raw:
        return None
    m = _DMY.match(raw)
    try:
        if m:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        m = _ISO.match(raw)
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
    return None


def format_vn_date(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""
