"""Fixtures shared by tests/unit and tests/e2e."""

from tests.support.postgres import pg_server, pg_url, store_url

__all__ = ["pg_server", "pg_url", "store_url"]
