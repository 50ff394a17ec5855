"""Every end-to-end test runs on both mock front ends (layui and accessible): see `frontend` in
tests/conftest.py."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _on_frontend(frontend: str) -> str:
    return frontend
