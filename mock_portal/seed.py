"""Deterministic demo data: enterprises, certificates of origin and customs declarations.

The same seed on the same day always yields the same rows (dates are relative to `today`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

DEMO_PASSWORD = "Corobot#2026"

APPROVED = "审核通过"
PENDING = "待审核"
RETURNED = "退回"

CUSTOMS = "customs"
CCPIT = "ccpit"
AUTHORITY_NAMES: dict[str, str] = {CUSTOMS: "海关", CCPIT: "贸促会"}

# Customs certificate kinds: letter -> 证明类型, with a weight for how common they are.
CUSTOMS_KINDS: dict[str, tuple[str, int]] = {
    "C": ("一般原产地证书", 30),
    "G": ("普惠制原产地证书(FORM A)", 6),
    "B": ("亚太贸易协定原产地证书", 10),
    "E": ("中国—东盟自贸区原产地证书", 18),
    "R": ("RCEP原产地证书", 18),
    "A": ("中国—澳大利亚自贸协定原产地证书", 6),
    "F": ("中国—智利自贸协定原产地证书", 4),
    "K": ("中国—韩国自贸协定原产地证书", 5),
    "P": ("中国—巴基斯坦自贸协定原产地证书", 3),
}
CCPIT_KINDS: dict[str, int] = {
    "一般原产地证书": 50,
    "亚太贸易协定原产地证书": 15,
    "中国—东盟自贸区原产地证书": 15,
    "RCEP原产地证书": 20,
}
CUSTOMS_OFFICES: tuple[str, ...] = ("9001", "9013", "9002", "9012")


@dataclass(frozen=True)
class Enterprise:
    """A demo login and its enterprise."""

    username: str
    name: str
    codes: tuple[str, ...]
    registration_no: str  # 9 digits inside customs certificate numbers
    ccpit_branch: str  # inside CCPIT certificate numbers


ENTERPRISES: tuple[Enterprise, ...] = (
    Enterprise("exporter1", "西安秦川机电进出口有限公司", ("6101930001", "91610131MA6TXXXX1A"), "102690233", "A0001"),
    Enterprise("exporter2", "陕西丝路国际贸易有限公司", ("6101930002", "91610000MA6TYYYY2B"), "102690471", "A0002"),
)
"""The demo enterprises: always there, their data the same whatever `--enterprises` says."""
EXTRA_ENTERPRISES: tuple[Enterprise, ...] = (
    Enterprise("exporter3", "宝鸡渭水机械进出口有限公司", ("6103930003", "91610300MA6TZZZZ3C"), "102690582", "A0003"),
    Enterprise("exporter4", "咸阳长安纺织品贸易有限公司", ("6104930004", "91610400MA6TWWWW4D"), "102690613", "A0004"),
    Enterprise("exporter5", "渭南华山农产品进出口有限公司", ("6105930005", "91610500MA6TVVVV5E"), "102690724", "A0005"),
)
"""Opt-in enterprises (`--enterprises 3..5`), e.g. for several robot hosts with one account each; each
gets as many certificates as one demo enterprise, from a random stream of its own."""
MAX_ENTERPRISES = len(ENTERPRISES) + len(EXTRA_ENTERPRISES)


@dataclass(frozen=True)
class Certificate:
    id: int
    username: str
    authority: str  # CUSTOMS | CCPIT
    cert_no: str
    cert_type: str
    exporter_code: str
    exporter_name: str
    created_on: date
    audit_status: str


@dataclass(frozen=True)
class Declaration:
    number: str
    username: str
    flag: str  # "0" export, "1" import
    status: str  # 放行 | 结关 | 未放行


@dataclass
class SeedData:
    certificates: list[Certificate] = field(default_factory=list)
    declarations: list[Declaration] = field(default_factory=list)


def enterprises(count: int = len(ENTERPRISES)) -> tuple[Enterprise, ...]:
    """The first `count` enterprises: the two demo ones, then the opt-in extras."""
    if not len(ENTERPRISES) <= count <= MAX_ENTERPRISES:
        raise ValueError(f"enterprises must be within {len(ENTERPRISES)}..{MAX_ENTERPRISES}")
    return (ENTERPRISES + EXTRA_ENTERPRISES)[:count]


def enterprise(username: str) -> Enterprise | None:
    return next((e for e in ENTERPRISES + EXTRA_ENTERPRISES if e.username == username), None)


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _audit(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.85:
        return APPROVED
    return PENDING if roll < 0.93 else RETURNED


def build(seed: int = 42, total: int = 300, today: date | None = None, extra: int = 0) -> SeedData:
    """Generates `total` certificates split over the two demo enterprises, and their declarations; then,
    for each of the first `extra` opt-in enterprises, `total // 2` certificates and their declarations from
    a random stream of its own (the demo enterprises' data is the same with or without them)."""
    today = today or date.today()
    rng = random.Random(seed)
    data = SeedData()
    serials: dict[tuple[str, str, str], int] = {}
    for index in range(total):
        ent = ENTERPRISES[index % len(ENTERPRISES)]
        data.certificates.append(_certificate(rng, index + 1, ent, today, serials))
    data.certificates.sort(key=lambda c: c.id)
    used: set[str] = set()
    data.declarations = _declarations(rng, data.certificates, today, ENTERPRISES, used)
    for number, ent in enumerate(enterprises(len(ENTERPRISES) + extra)[len(ENTERPRISES) :], 1):
        own = random.Random(seed * 1_000 + number)
        first = len(data.certificates) + 1
        certs = [_certificate(own, first + i, ent, today, serials) for i in range(total // len(ENTERPRISES))]
        data.certificates += certs
        data.declarations += _declarations(own, certs, today, (ent,), used)
    return data


def _certificate(
    rng: random.Random, cert_id: int, ent: Enterprise, today: date, serials: dict[tuple[str, str, str], int]
) -> Certificate:
    created = today - timedelta(days=rng.randint(1, 730))
    yy = f"{created.year % 100:02d}"
    authority = CUSTOMS if rng.random() < 0.6 else CCPIT
    key = (ent.username, authority, yy)
    serials[key] = serials.get(key, rng.randint(20, 900)) + rng.randint(1, 4)
    if authority == CUSTOMS:
        letter = _weighted(rng, {letter: weight for letter, (_, weight) in CUSTOMS_KINDS.items()})
        cert_type = CUSTOMS_KINDS[letter][0]
        cert_no = f"{letter}{yy}{ent.registration_no}{serials[key]:04d}"
    else:
        cert_type = _weighted(rng, CCPIT_KINDS)
        cert_no = f"{yy}C6101{ent.ccpit_branch}/{serials[key]:05d}"
    code = ent.codes[0] if rng.random() < 0.75 else ent.codes[1]
    return Certificate(cert_id, ent.username, authority, cert_no, cert_type, code, ent.name, created, _audit(rng))


def _declarations(
    rng: random.Random,
    certificates: list[Certificate],
    today: date,
    owners: tuple[Enterprise, ...],
    used: set[str],
) -> list[Declaration]:

    def number(flag: str) -> str:
        while True:
            office = rng.choice(CUSTOMS_OFFICES)
            year = rng.choice((today.year - 1, today.year))
            candidate = f"{office}{year}{flag}{rng.randint(10_000_000, 999_999_999):09d}"
            if candidate not in used:
                used.add(candidate)
                return candidate

    result: list[Declaration] = []
    for ent in owners:
        count = sum(1 for c in certificates if c.username == ent.username)
        for _ in range(count * 2 + 10):
            result.append(Declaration(number("0"), ent.username, "0", rng.choice(("放行", "结关"))))
        for _ in range(max(5, count // 6)):
            result.append(Declaration(number("0"), ent.username, "0", "未放行"))
        for _ in range(max(5, count // 8)):
            result.append(Declaration(number("1"), ent.username, "1", rng.choice(("放行", "结关"))))
    return result
