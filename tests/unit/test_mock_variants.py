"""The layui front end's variants (mock_portal/variants.py): seeds pick values deterministically, seed 0
is the default, overrides set one dimension, and every dimension's values show in the pages (in-process
app, HTTP only)."""

from __future__ import annotations

import json
import re
from functools import cache
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from mock_portal.__main__ import banner
from mock_portal.app import create_app
from mock_portal.auth import COOKIE
from mock_portal.seed import DEMO_PASSWORD
from mock_portal.settings import Settings, from_env, parse_args
from mock_portal.variants import DIMENSIONS, Variant, parse_force

SEARCH = "/swOrigin/supplement/search?authority=customs"
RECORDS = "/swOrigin/supplement/records"


class Site:
    """A logged-in client of a portal of one variant."""

    def __init__(self, force: str, tmp: Path) -> None:
        app = create_app(
            Settings(db=str(tmp / "portal.sqlite3"), certs=120, test_api=True, receipt_delay=0.0, variant_force=force)
        )
        self.http = TestClient(app, follow_redirects=False)
        page = self.http.get("/cas/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert csrf
        answer = app.state.portal.sessions.get(self.http.cookies[COOKIE]).captcha
        done = self.http.post(
            "/cas/login",
            data={"username": "exporter1", "password": DEMO_PASSWORD, "captcha": answer, "csrf_token": csrf[1]},
        )
        assert done.status_code == 302
        self.cert = next(
            c
            for c in self.http.get("/__test__/certificates", params={"enterprise": "exporter1"}).json()
            if c["approved"] and c["authority"] == "海关"
        )

    def get(self, path: str) -> str:
        response = self.http.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response.text

    def edit(self, fragment: bool = False) -> str:
        return self.get(f"/swOrigin/supplement/edit?certId={self.cert['id']}" + ("&fragment=1" if fragment else ""))

    def variant(self, path: str = SEARCH) -> dict:
        meta = re.search(r'<meta name="sw-variant" content="([^"]*)">', self.get(path))
        assert meta
        return json.loads(unescape(meta[1]))

    def list_spec(self, path: str = SEARCH) -> dict:
        spec = re.search(r'data-list="([^"]*)"', self.get(path))
        assert spec
        return json.loads(unescape(spec[1]))


@cache
def _site(force: str) -> Site:
    import tempfile

    return Site(force, Path(tempfile.mkdtemp(prefix="variant-")))


def site(force: str = "") -> Site:
    return _site(force)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


# --- seeds and overrides -------------------------------------------------------------------------


def test_seed_zero_is_the_default_and_seeds_are_deterministic() -> None:
    assert Variant.from_seed(0) == Variant()
    assert Variant.from_seed(0).describe() == "variant 0 (default pages)"
    assert Variant.from_seed(1234) == Variant.from_seed(1234)
    seen = {name: {getattr(Variant.from_seed(s), name) for s in range(1, 200)} for name in DIMENSIONS}
    assert all(seen[name] == set(values) for name, values in DIMENSIONS.items()), seen  # every value reachable


def test_force_sets_single_dimensions_and_refuses_unknown_ones() -> None:
    variant = Variant.from_seed(0, "empty_option=请选择, dialog=type1,label_star=yes,page_size=20")
    chosen = (variant.empty_option, variant.dialog, variant.label_star, variant.page_size)
    assert chosen == ("请选择", "type1", True, 20)
    assert variant.differences() == {"empty_option": "请选择", "dialog": "type1", "label_star": True, "page_size": 20}
    assert Variant.from_seed(0, "empty_option=").empty_option == ""
    assert Variant.from_seed(7, "dialog=type2").dialog == "type2"
    assert parse_force("") == {}
    for bad in ("nope=1", "dialog=type3", "dialog"):
        with pytest.raises(ValueError):
            Variant.from_seed(0, bad)


def test_settings_take_the_variant_from_flags_and_env(capsys: pytest.CaptureFixture[str]) -> None:
    assert parse_args(["--variant", "17", "--variant-force", "outcome=alert"], environ={}).variant == 17
    settings = from_env({"MOCK_VARIANT": "5", "MOCK_VARIANT_FORCE": "dialog=type1"})
    assert (settings.variant, settings.variant_force) == (5, "dialog=type1")
    with pytest.raises(SystemExit):
        parse_args(["--variant-force", "dialog=type9"], environ={})
    assert "dialog" in capsys.readouterr().err


def test_the_start_line_shows_the_seed() -> None:
    text = banner(Settings(variant=42), 8000)
    first = text.splitlines()[0]
    assert first.startswith("mock portal listening on http://127.0.0.1:8000") and first.endswith("variant 42")
    assert Variant.from_seed(42).describe() in text


# --- every dimension shows in the pages ------------------------------------------------------------


@pytest.mark.parametrize("empty", DIMENSIONS["empty_option"])
def test_empty_option_text(empty: str) -> None:
    page = site(f"empty_option={empty}").get(SEARCH)
    assert f'<option value="">{empty}</option>' in page
    assert '<option value="">全部</option>' not in page or empty == "全部"


def test_native_selects_and_radios_are_left_to_the_browser() -> None:
    layui = site()
    assert "lay-ignore" not in layui.get(SEARCH) and "lay-ignore" not in layui.edit()
    native = site("selects=native,radios=native")
    assert re.search(r'<select name="certType" lay-search="" lay-ignore', native.get(SEARCH))
    assert re.search(
        r'<label class="sw-radio"><input type="radio" name="exported" value="1" lay-ignore> 是</label>', native.edit()
    )
    assert 'title="是" lay-filter="exported"' in layui.edit()


@pytest.mark.parametrize(
    ("force", "label"),
    [
        ("", ">证明类型<"),
        ("label_colon=：", ">证明类型：<"),
        ("label_colon=:", ">证明类型:<"),
        ("label_star=yes", '<span class="sw-star">*</span>证明类型<'),
        ("label_spaces=yes", ">证 明 号<"),
    ],
)
def test_label_texts(force: str, label: str) -> None:
    assert label in site(force).get(SEARCH)


def test_the_dialog_keeps_the_guide_colon_of_its_label() -> None:
    assert "证明号:" in site().edit()
    assert "证明号：" in site("label_colon=：").edit()


def test_labels_in_a_table_layout() -> None:
    page = site("label_layout=table")
    assert '<td class="sw-label">证明类型</td>' in page.get(SEARCH)
    assert "layui-form-label" not in page.get(SEARCH)
    assert '<td class="sw-label">是否实际出口</td>' in page.edit()
    assert "layui-form-label" in site().get(SEARCH)


@pytest.mark.parametrize(
    ("filters", "labels"),
    [
        ("all", ["签证机构", "证明号", "补录状态", "补录日期"]),
        ("cert_no", ["证明号"]),
        ("none", []),
    ],
)
def test_optional_record_filters(filters: str, labels: list[str]) -> None:
    page = site(f"record_filters={filters}").get(RECORDS)
    shown = re.findall(r'<label class="layui-form-label">([^<]+)</label>', page)
    assert shown == labels
    assert ("sw-search" in page) == bool(labels)


def test_search_page_extras_and_field_order() -> None:
    labels = re.compile(r'<label class="layui-form-label">([^<]+)</label>')
    assert labels.findall(site().get(SEARCH)) == ["证明类型", "出口商代码", "证明创建日期", "证明号"]
    assert labels.findall(site("search_extras=yes").get(SEARCH)) == [
        "证明类型",
        "出口商代码",
        "出口商名称",
        "证明创建日期",
        "证明号",
        "补录状态",
    ]
    reversed_order = ["证明号", "证明创建日期", "出口商代码", "证明类型"]
    assert labels.findall(site("field_order=reversed").get(SEARCH)) == reversed_order


BTN = 'class="layui-btn layui-btn-sm layui-btn-normal sw-search"'


@pytest.mark.parametrize(
    ("force", "markup"),
    [
        ("", f'<button type="button" {BTN}><i class="layui-icon">&#xe615;</i> 查 询</button>'),
        ("buttons=a", f'<a href="javascript:;" {BTN}><i class="layui-icon">'),
        ("buttons=input", f'<input type="button" {BTN} value="查 询">'),
        ("button_icons=no", 'sw-search"> 查 询</button>'.replace("> ", ">")),
        ("button_spaced=no", "</i> 查询</button>"),
    ],
)
def test_buttons(force: str, markup: str) -> None:
    assert markup in site(force).get(SEARCH)


@pytest.mark.parametrize("results", DIMENSIONS["results"])
def test_result_lists(results: str) -> None:
    page = site(f"results={results}")
    search, records = page.get(SEARCH), page.get(RECORDS)
    assert page.variant()["results"] == results
    assert ("bootstrap-table.min.js" in search) == (results == "bootstrap")
    if results == "server":
        assert page.cert["certNo"] not in search or "<td" in search
        assert re.search(r"<th>证明号</th>.*<th>补录状态</th>.*<th>操作</th>", search, re.S)
        assert "共 " in text_of(search) and "下一页" in text_of(search)
        assert "<th>补录时间</th>" in records and "暂无数据" in records  # nothing submitted yet
    else:
        assert 'id="cert-table" data-list=' in search and "<tbody>" not in search


def test_server_list_pages_and_filters_by_the_address() -> None:
    page = site("results=server,page_size=15")
    first = page.get(SEARCH)
    assert first.count('<tr data-id="') == 15
    assert "第 1 / " in text_of(first)
    second = page.get(SEARCH + "&page=2&limit=15")
    assert "第 2 / " in text_of(second) and ">16</td>" in second  # 序号 goes on
    one = page.get(SEARCH + "&certNo=" + page.cert["certNo"])
    assert one.count('<tr data-id="') == 1 and f'value="{page.cert["certNo"]}"' in one
    assert "共 " in text_of(site("results=server,pager=alt").get(SEARCH))
    assert "上页" in text_of(site("results=server,pager=alt").get(SEARCH))


@pytest.mark.parametrize(
    ("force", "columns"),
    [
        (
            "",
            [
                "serial",
                "certNo",
                "certType",
                "exporterCode",
                "exporterName",
                "createdOn",
                "auditStatus",
                "supplementStatus",
                "op",
            ],
        ),
        (
            "extra_columns=none,column_order=reversed",
            [
                "supplementStatus",
                "auditStatus",
                "createdOn",
                "exporterName",
                "exporterCode",
                "certType",
                "certNo",
                "op",
            ],
        ),
        (
            "extra_columns=both,column_order=rotated",
            [
                "checkbox",
                "serial",
                "exporterName",
                "createdOn",
                "auditStatus",
                "supplementStatus",
                "certNo",
                "certType",
                "exporterCode",
                "op",
            ],
        ),
    ],
)
def test_columns(force: str, columns: list[str]) -> None:
    assert [key for key, _ in site(force).list_spec()["columns"]] == columns


def test_operation_links_and_page_size() -> None:
    assert [o["text"] for o in site().list_spec()["ops"]] == ["补录"]
    two = site("op_links=two")
    assert [o["text"] for o in two.list_spec()["ops"]] == ["查看", "补录"]
    assert [o["text"] for o in two.list_spec(RECORDS)["ops"]] == ["详情", "打印"]
    assert site("page_size=30").variant()["page_size"] == 30
    assert site("op_links=two,results=server").get(SEARCH).count(">查看</a> | <a") == 10


def test_dialog_form_as_a_fragment_for_type_1() -> None:
    page = site("dialog=type1")
    fragment = page.edit(fragment=True)
    assert fragment.lstrip().startswith("<form") and "<html" not in fragment and page.cert["certNo"] in fragment
    assert "<html" in page.edit() and page.variant()["dialog"] == "type1"


@pytest.mark.parametrize("dimension", ["outcome", "expiry", "pager"])
def test_script_dimensions_reach_the_page(dimension: str) -> None:
    for value in DIMENSIONS[dimension]:
        assert site(f"{dimension}={value}").variant()[dimension] == value


@pytest.mark.parametrize(("notices", "titles"), [(0, []), (1, ["通知公告"]), (2, ["通知公告", "温馨提示"])])
def test_notices_after_login(notices: int, titles: list[str]) -> None:
    page = site(f"notices={notices}")
    assert re.findall(r'class="sw-notice-content" data-title="([^"]+)"', page.get("/portal/index")) == titles


@pytest.mark.parametrize(
    ("force", "inputs"),
    [
        ("", [("createdFrom", True), ("createdTo", True)]),
        ("dates=typed", [("createdFrom", False), ("createdTo", False)]),
        ("date_range=one", [("createdRange", True)]),
        ("date_range=one,dates=typed", [("createdRange", False)]),
    ],
)
def test_date_inputs(force: str, inputs: list[tuple[str, bool]]) -> None:
    page = site(force).get(SEARCH)
    found = re.findall(r'<input type="text" name="(created\w+)"[^>]*>', page)
    assert found == [name for name, _ in inputs]
    for name, readonly in inputs:
        tag = re.search(rf'<input type="text" name="{name}"[^>]*>', page)
        assert tag and (" readonly" in tag[0]) == readonly and ("sw-laydate" in tag[0]) == readonly


def test_one_range_input_filters_by_both_dates() -> None:
    page = site("results=server,date_range=one")
    day = page.cert["createdOn"]
    one = page.get(f"{SEARCH}&createdRange={day} - {day}")
    rows = one.count('<tr data-id="')
    assert rows >= 1 and all(f">{day}</td>" in row for row in one.split('<tr data-id="')[1:])
    assert "日期格式应为YYYY-MM-DD" in unescape(page.get(f"{SEARCH}&createdRange=2024-13-01 - x"))
