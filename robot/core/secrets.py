"""Secrets: a string wrapper that never prints itself, and the one helper that types secrets.

Like Robot Framework Browser's `fill_secret`: the value is typed into the page without being
logged, traced or shown. Callers must make sure tracing is off while they use it.
"""

from __future__ import annotations

from typing import Protocol


class Secret:
    """A secret string: str(), repr() and f-strings show `******`; `.reveal()` gives the value."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __str__(self) -> str:
        return "******" if self._value else ""

    __repr__ = __str__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))


class _Fillable(Protocol):
    async def fill(self, value: str, *, timeout: float | None = None) -> None: ...


async def fill_secret(field: _Fillable, secret: Secret, timeout_ms: float | None = None) -> None:
    """Types a secret into a field. Never logs it; the caller keeps tracing off meanwhile."""
    await field.fill(secret.reveal(), timeout=timeout_ms)
