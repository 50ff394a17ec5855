"""Which accounts a host works from a shared queue: `[accounts.<name>] hosts`, narrowed by host_accounts;
the host's name from host_name, else the machine's."""

from __future__ import annotations

import socket
from dataclasses import replace

import pytest

from robot.core.account_settings import host_accounts, host_name
from robot.core.accounts import AccountConfigError, parse_accounts
from robot.core.config import Settings
from robot.core.secrets import Secret

TABLES = {
    "qinchuan": {"username": "exporter1", "hosts": ["pc-1"]},
    "silk": {"username": "exporter2", "hosts": ["pc-2", "pc-3"]},
    "tea": {"username": "exporter3"},
}


def settings(**values: str) -> Settings:
    accounts = parse_accounts(TABLES, {}, lambda _user: Secret(""))
    return replace(Settings(), accounts=accounts, **values)


def labels(s: Settings) -> list[str]:
    return [a.label for a in host_accounts(s)]


def test_a_host_works_the_accounts_that_name_it_and_those_naming_none() -> None:
    assert labels(settings(host_name="pc-1")) == ["qinchuan", "tea"]
    assert labels(settings(host_name="pc-3")) == ["silk", "tea"]


def test_the_hosts_own_list_narrows_it() -> None:
    assert labels(settings(host_name="pc-2", host_accounts="silk, exporter1")) == ["silk"]


def test_the_host_name_defaults_to_the_machines() -> None:
    assert host_name(Settings()) == socket.gethostname()
    assert host_name(settings(host_name=" pc-9 ")) == "pc-9"


def test_hosts_must_be_a_list_of_names() -> None:
    with pytest.raises(AccountConfigError, match="hosts 应写成主机名的列表"):
        parse_accounts({"a": {"username": "u", "hosts": "pc-1"}}, {}, lambda _user: Secret(""))
