"""Seeded variants of the layui front end: every detail the process guide leaves open, one value each.

`Variant.from_seed(seed)` picks a value for each dimension with `random.Random(seed)`; seed 0 is the
default look (the pages as they were before variants). `force` lays "name=value,…" overrides on top,
so that one dimension can be tried alone (`--variant 0 --variant-force dialog=type1`). The guide's
words (labels, buttons, headers, titles, status texts) never vary; everything around them may.
docs/portal.md lists the dimensions.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, fields, replace
from typing import Any

# name → the values it may take; the first one is the default (seed 0).
DIMENSIONS: dict[str, tuple[Any, ...]] = {
    "empty_option": ("全部", "请选择", "--请选择--", "不限", ""),
    "selects": ("layui", "native"),
    "radios": ("layui", "native"),
    "label_colon": ("", "：", ":"),
    "label_star": (False, True),
    "label_spaces": (False, True),
    "label_layout": ("form", "table"),
    "record_filters": ("all", "cert_no", "none"),
    "search_extras": (False, True),
    "field_order": ("guide", "reversed"),
    "buttons": ("button", "a", "input"),
    "button_icons": (True, False),
    "button_spaced": (True, False),
    "results": ("bootstrap", "layui", "server"),
    "column_order": ("guide", "reversed", "rotated"),
    "extra_columns": ("serial", "none", "checkbox", "both"),
    "op_links": ("one", "two"),
    "pager": ("default", "alt"),
    "page_size": (10, 15, 20, 30),
    "dialog": ("type2", "type1"),
    "outcome": ("msg", "alert", "silent"),
    "notices": (1, 0, 2),
    "dates": ("laydate", "typed"),
    "date_range": ("two", "one"),
    "expiry": ("redirect", "alert"),
}


@dataclass(frozen=True)
class Variant:
    """One value per dimension (see DIMENSIONS); `seed` says where they came from."""

    seed: int = 0
    empty_option: str = "全部"
    """Text of a select's no-filter option."""
    selects: str = "layui"
    """layui: layui form draws the select (dl/dd); native: the browser's own select (lay-ignore)."""
    radios: str = "layui"
    """layui: layui form draws the radios; native: `<label><input type=radio> 是</label>`."""
    label_colon: str = ""
    """Appended to every form label ("" keeps the guide's own, e.g. 证明号:)."""
    label_star: bool = False
    """A red `*` before the labels of the fields a page puts first."""
    label_spaces: bool = False
    """Short labels spaced out to align ("证 明 号"), longer ones indented by a no-break space."""
    label_layout: str = "form"
    """form: `layui-form-label` blocks; table: a label | control table."""
    record_filters: str = "all"
    """补录信息查询's filters: all (签证机构, 证明号, 补录状态, 补录日期), cert_no (only 证明号), none."""
    search_extras: bool = False
    """The search page shows fields the guide does not name (出口商名称, 补录状态)."""
    field_order: str = "guide"
    """Order of the search page's fields: the guide's, or reversed."""
    buttons: str = "button"
    """查询/重置 as `<button>`, `<a class="layui-btn">` or `<input type=button>`."""
    button_icons: bool = True
    """Icon glyphs inside buttons and operation links (never inside an `<input>`)."""
    button_spaced: bool = True
    """Two-character button texts written with a space ("查 询")."""
    results: str = "bootstrap"
    """The result lists: bootstrap-table, layui `table.render`, or a table rendered by the server."""
    column_order: str = "guide"
    """Data columns in the default order, reversed, or rotated by three."""
    extra_columns: str = "serial"
    """Columns before the data: 序号, none, a checkbox, or both."""
    op_links: str = "one"
    """The operation column: one link (补录 / 详情) or two (查看 | 补录, 详情 | 打印)."""
    pager: str = "default"
    """The list library's usual pager, or its other face (other texts, parts, links)."""
    page_size: int = 10
    dialog: str = "type2"
    """The 补录 and 详情 layers: type 2 (an iframe) or type 1 (HTML in the page)."""
    outcome: str = "msg"
    """What 【提交】 shows: layer.msg, layer.alert needing 确定, or nothing (the dialog closes and the
    row's 补录状态 changes)."""
    notices: int = 1
    """Notice layers after login, when the `notice` knob is on: 0, 1 (通知公告) or 2 (and 温馨提示)."""
    dates: str = "laydate"
    """laydate on read-only inputs, or plain inputs where the date is typed (YYYY-MM-DD)."""
    date_range: str = "two"
    """A date filter as two inputs (从 – 到) or one range input ("YYYY-MM-DD - YYYY-MM-DD")."""
    expiry: str = "redirect"
    """An XHR that finds the login expired: a short message then the login page, or a layer.alert
    登录超时 whose 确定 leads there."""

    @classmethod
    def from_seed(cls, seed: int, force: str | dict[str, str] | None = None) -> Variant:
        """Seed 0: the defaults; any other seed: one value per dimension from random.Random(seed).
        `force` ("name=value,…" or a dict) then sets the named dimensions."""
        variant = cls(seed=seed)
        if seed:
            rng = random.Random(seed)
            variant = replace(variant, **{name: rng.choice(values) for name, values in DIMENSIONS.items()})
        return variant.forced(force)

    def forced(self, force: str | dict[str, str] | None) -> Variant:
        """This variant with the dimensions named in `force` set; unknown names or values raise ValueError."""
        items = parse_force(force) if isinstance(force, str) or force is None else force
        changes: dict[str, Any] = {}
        for name, raw in items.items():
            if name not in DIMENSIONS:
                raise ValueError(f"unknown variant dimension {name!r} (known: {', '.join(DIMENSIONS)})")
            changes[name] = _value(name, raw)
        return replace(self, **changes)

    def values(self) -> dict[str, Any]:
        """Dimension → value (without the seed)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "seed"}

    def differences(self) -> dict[str, Any]:
        """The dimensions whose value is not the default."""
        base = Variant()
        return {name: value for name, value in self.values().items() if getattr(base, name) != value}

    def describe(self) -> str:
        """`variant 7: empty_option=请选择, dialog=type1` (only what differs from the default)."""
        diff = ", ".join(f"{k}={_text(v)}" for k, v in self.differences().items())
        return f"variant {self.seed}" + (f": {diff}" if diff else " (default pages)")

    def for_script(self) -> dict[str, Any]:
        """What the page scripts need to know (JSON-ready)."""
        return self.values()

    # --- helpers the templates use ----------------------------------------------------------

    def label(self, text: str, own_colon: str = "") -> str:
        """A form label's text as this variant writes it (without the star)."""
        if self.label_spaces:
            text = " ".join(text) if len(text) <= 3 else "\u00a0" + text
        return text + (self.label_colon or own_colon)

    def button_text(self, text: str) -> str:
        """查询 → 查 询 when buttons are spaced (two-character texts only)."""
        return " ".join(text) if self.button_spaced and len(text) == 2 else text

    def ordered(self, columns: list[str]) -> list[str]:
        """Data columns in this variant's order."""
        if self.column_order == "reversed":
            return list(reversed(columns))
        if self.column_order == "rotated":
            return columns[3:] + columns[:3]
        return list(columns)

    def leading_columns(self) -> list[str]:
        """The columns before the data: "checkbox", "serial"."""
        return {"serial": ["serial"], "none": [], "checkbox": ["checkbox"], "both": ["checkbox", "serial"]}[
            self.extra_columns
        ]


def parse_force(text: str | None) -> dict[str, str]:
    """`"empty_option=请选择,dialog=type1"` as a dict (an empty value is allowed: `empty_option=`)."""
    items: dict[str, str] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        if not sep:
            raise ValueError(f"variant override expects NAME=VALUE, got {part!r}")
        items[name.strip()] = value.strip()
    return items


def _value(name: str, raw: Any) -> Any:
    choices = DIMENSIONS[name]
    text = str(raw).strip()
    if isinstance(choices[0], bool) and not isinstance(raw, bool):
        raw = {
            "1": True,
            "true": True,
            "yes": True,
            "on": True,
            "0": False,
            "false": False,
            "no": False,
            "off": False,
        }.get(text.lower(), raw)
    for choice in choices:
        if raw == choice or (not isinstance(choice, bool) and str(choice) == text):
            return choice
    shown = ", ".join(repr(_text(c)) for c in choices)
    raise ValueError(f"variant dimension {name} takes one of {shown}, got {raw!r}")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
