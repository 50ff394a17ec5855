"""Whose journal entry it is: the portal address and the account (username) a row was worked under.

An entry's key is `<portal>|<username>|<Task.key>`, so that a certificate journaled on one portal
address or under one account never counts as done on another (there it is looked up on the portal).
"""

from __future__ import annotations

from dataclasses import dataclass


def portal_address(url: str) -> str:
    """The portal address as the journal keys it: lower case, without a trailing slash."""
    return url.strip().rstrip("/").lower()


@dataclass(frozen=True)
class Scope:
    portal_url: str
    account: str
    """The portal username ("" when the run logs in through a saved login or --cdp only)."""

    @property
    def portal(self) -> str:
        return portal_address(self.portal_url)

    @property
    def prefix(self) -> str:
        return f"{self.portal}|{self.account}|"
