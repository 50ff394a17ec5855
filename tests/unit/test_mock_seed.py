"""The deterministic demo data (mock_portal.seed): formats, shares and stability."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta

import pytest

from mock_portal import seed

TODAY = date(2026, 5, 20)
DATA = seed.build(42, 300, TODAY)
CUSTOMS_NO = re.compile(r"^[A-Z]\d{2}\d{9}\d{4}$")
CCPIT_NO = re.compile(r"^\d{2}C6101A\d{4}/\d{5}$")
DECLARATION_NO = re.compile(r"^(9001|9013|9002|9012)(\d{4})([01])\d{9}$")


def test_same_seed_and_day_gives_the_same_data() -> None:
    assert seed.build(42, 300, TODAY) == DATA


def test_another_seed_gives_other_data() -> None:
    assert seed.build(7, 300, TODAY).certificates != DATA.certificates


def test_certificates_have_stable_ids_and_unique_numbers() -> None:
    assert [c.id for c in DATA.certificates] == list(range(1, 301))
    assert len({c.cert_no for c in DATA.certificates}) == 300


def test_certificate_numbers_follow_their_authority() -> None:
    for cert in DATA.certificates:
        pattern = CUSTOMS_NO if cert.authority == seed.CUSTOMS else CCPIT_NO
        assert pattern.match(cert.cert_no), cert.cert_no


def test_customs_number_has_kind_letter_year_and_registration() -> None:
    cert = next(c for c in DATA.certificates if c.authority == seed.CUSTOMS and c.username == "exporter1")
    letter = cert.cert_no[0]
    assert seed.CUSTOMS_KINDS[letter][0] == cert.cert_type
    assert cert.cert_no[1:3] == f"{cert.created_on.year % 100:02d}"
    assert cert.cert_no[3:12] == "102690233"


def test_both_authorities_and_enterprises_are_present() -> None:
    pairs = Counter((c.username, c.authority) for c in DATA.certificates)
    assert len(pairs) == 4 and min(pairs.values()) > 30


def test_exporter_codes_belong_to_the_enterprise() -> None:
    for cert in DATA.certificates:
        ent = seed.enterprise(cert.username)
        assert ent is not None and cert.exporter_code in ent.codes and cert.exporter_name == ent.name


def test_creation_dates_span_the_last_two_years() -> None:
    days = [c.created_on for c in DATA.certificates]
    assert min(days) >= TODAY - timedelta(days=730) and max(days) < TODAY
    assert max(days) - min(days) > timedelta(days=600)


def test_about_85_percent_are_approved() -> None:
    statuses = Counter(c.audit_status for c in DATA.certificates)
    assert 0.78 < statuses[seed.APPROVED] / 300 < 0.92
    assert statuses[seed.PENDING] and statuses[seed.RETURNED]


def test_declaration_numbers_are_well_formed_and_unique() -> None:
    numbers = [d.number for d in DATA.declarations]
    assert len(set(numbers)) == len(numbers)
    for decl in DATA.declarations:
        match = DECLARATION_NO.match(decl.number)
        assert match and int(match[2]) in (TODAY.year - 1, TODAY.year) and match[3] == decl.flag


def test_each_enterprise_has_two_usable_exports_per_certificate_and_some_others() -> None:
    for ent in seed.ENTERPRISES:
        own = [d for d in DATA.declarations if d.username == ent.username]
        usable = [d for d in own if d.flag == "0" and d.status in ("放行", "结关")]
        certs = sum(1 for c in DATA.certificates if c.username == ent.username)
        assert len(usable) >= 2 * certs
        assert any(d.flag == "0" and d.status == "未放行" for d in own)
        assert any(d.flag == "1" for d in own)


def test_opt_in_enterprises_leave_the_demo_data_as_it_was() -> None:
    more = seed.build(42, 300, TODAY, extra=3)
    assert more.certificates[:300] == DATA.certificates
    assert more.declarations[: len(DATA.declarations)] == DATA.declarations
    assert [e.username for e in seed.enterprises(5)] == [f"exporter{n}" for n in range(1, 6)]


def test_opt_in_enterprises_have_their_own_certificates_and_declarations() -> None:
    more = seed.build(42, 300, TODAY, extra=1)
    own = [c for c in more.certificates if c.username == "exporter3"]
    assert len(own) == 150 and [c.id for c in own] == list(range(301, 451))
    assert len({c.cert_no for c in more.certificates}) == len(more.certificates)
    assert len({d.number for d in more.declarations}) == len(more.declarations)
    ent = seed.enterprise("exporter3")
    assert ent is not None and all(c.exporter_code in ent.codes for c in own)
    assert all(c.cert_no[3:12] == ent.registration_no for c in own if c.authority == seed.CUSTOMS)
    usable = [d for d in more.declarations if d.username == "exporter3" and d.flag == "0" and d.status != "未放行"]
    assert len(usable) >= 2 * len(own)


def test_enterprise_count_out_of_range_is_refused() -> None:
    for count in (1, seed.MAX_ENTERPRISES + 1):
        with pytest.raises(ValueError):
            seed.enterprises(count)
