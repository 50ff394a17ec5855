"""The shared work queue's tables on the store's `metadata` (filled by the queue's revision 0002_queue)."""

from __future__ import annotations

from robot.store.schema import metadata

__all__ = ["metadata"]
