"""A value plus the problems met while producing it.

Parsers return a Result instead of raising, so a review screen can show every problem of a
document at once (the python-mammoth habit).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Result(Generic[T]):
    value: T
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.warnings
