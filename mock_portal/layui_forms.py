"""The query forms of the layui front end as lists of fields, shaped by the variant (which fields, in
what order, dates as two inputs or one range); templates/layui/_form.html draws them."""

from __future__ import annotations

from dataclasses import dataclass, field

from mock_portal.variants import Variant


@dataclass(frozen=True)
class Field:
    """One labelled control of a query form."""

    kind: str  # select | text | dates
    label: str
    name: str = ""
    options: tuple[tuple[str, str], ...] = ()
    search: bool = False
    """A layui select that can be typed into (lay-search)."""
    names: tuple[str, ...] = field(default_factory=tuple)
    """dates: (from, to) or (range,)."""


def _dates(variant: Variant, label: str, start: str, end: str, both: str) -> Field:
    names = (start, end) if variant.date_range == "two" else (both,)
    return Field("dates", label, names=names)


def search_fields(variant: Variant, kinds: list[str], statuses: tuple[str, ...]) -> list[Field]:
    """报关单号补录's search: the guide's four (证明类型, 出口商代码, 证明创建日期, 证明号), perhaps with
    fields the guide does not name."""
    fields = [
        Field("select", "证明类型", "certType", tuple((k, k) for k in kinds), search=True),
        Field("text", "出口商代码", "exporterCode"),
        _dates(variant, "证明创建日期", "createdFrom", "createdTo", "createdRange"),
        Field("text", "证明号", "certNo"),
    ]
    if variant.search_extras:
        fields.insert(2, Field("text", "出口商名称", "exporterName"))
        fields.append(Field("select", "补录状态", "supplementStatus", tuple((s, s) for s in ("未补录", *statuses))))
    if variant.field_order == "reversed":
        fields.reverse()
    return fields


def record_fields(variant: Variant, statuses: tuple[str, ...]) -> list[Field]:
    """补录信息查询's filters (the guide names none): all four, only 证明号, or none at all."""
    if variant.record_filters == "none":
        return []
    cert_no = Field("text", "证明号", "certNo")
    if variant.record_filters == "cert_no":
        return [cert_no]
    return [
        Field("select", "签证机构", "authority", (("customs", "海关"), ("ccpit", "贸促会"))),
        cert_no,
        Field("select", "补录状态", "status", tuple((s, s) for s in statuses)),
        _dates(variant, "补录日期", "from", "to", "dateRange"),
    ]


def rows_of(fields: list[Field], per_row: int) -> list[list[Field]]:
    """The fields in form rows of `per_row` (more fields: one more per row)."""
    if len(fields) > 4:
        per_row += 1
    return [fields[i : i + per_row] for i in range(0, len(fields), per_row)] or [[]]
