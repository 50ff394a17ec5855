"""Widget know-how, in one place: how words a person reads are found on pages built on jQuery,
Bootstrap 3, bootstrap-table and layui 2 (layer, laydate, layui form, element), and on the mock
portal's accessible front end.

Page objects say what to look for (the guide's words); this module knows how each kind of widget
renders them. Which kind a page uses is seen from what it shows, never from a flag:
- a field: the first input/select/textarea after the visible label text (labels need not be tied);
- a button or link: its text, tolerant of spaces and icon glyphs inside ("登 录", "<i>…</i>补录");
- a select: the native one, or layui's rendered `dl`/`dd` list when the native one is hidden;
- a radio: layui's rendered `.layui-form-radio` showing the text, else the native radio with that label;
- a date: laydate's panel (`lay-ymd` day cells), else the accessible picker (年/月 selects, day buttons);
- a layer (dialog): `.layui-layer` with that title; content in the page or in its iframe (type 2);
  its buttons are the `btn` links in the window that opened it;
- a result table: the table whose header cells carry the wanted words; loading is over when neither
  bootstrap-table's loading text nor the accessible table's busy flag shows; the pager is read from
  its text ("显示第 1 到第 10 条记录，总共 N 条记录" or "第 P / Q 页") and turned with › or 下一页;
- animations: CSS animations and transitions cut to 1 ms in every page and frame when the portal profile
  says `animations = false` (so that a dialog is clickable as soon as it is there).
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from typing import Any, Literal, TypeVar

from loguru import logger
from playwright.async_api import BrowserContext, FrameLocator, Locator, Page, expect
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

from robot.core.errors import PageChanged, PassingError, PortalBusinessError, PortalSystemError, SessionExpired

Scope = Page | FrameLocator | Locator
"""Where to look: a window, an iframe, or part of a page."""

_EXPECT_MS = 15_000
"""How long a check of what the page shows may wait when the caller names no time (the browser
context's default, `action_timeout_ms`, once `use_timeout` was called)."""


def use_timeout(ms: float) -> None:
    """Waits without a time of their own last `ms` (the setting action_timeout_ms, like the context's
    Playwright calls)."""
    global _EXPECT_MS
    _EXPECT_MS = ms


_SLICE_MS = 2_400
"""Longest single wait handed to Playwright. It checks a waited-for condition again after 20, 50 and then
every 100 ms, but every 500 ms once the wait has run 0.3 s if the wait's timeout is over 2.5 s: a page
that answers in 0.3 s would be noticed up to 0.5 s late. Long waits are made of slices (`until`)."""

T = TypeVar("T")

_GAP = r"[\s\u00a0\u3000\ue000-\uf8ff]*"
"""What may sit between the characters of a label: spaces and icon-font glyphs (private use area)."""


class ElementMissing(PageChanged):
    """A step's element was not found on a page that has loaded: names the guide's words (and what was
    seen instead); `keys` are the profile's `[words]` keys of the words looked for (doctor suggests an
    override for them)."""

    def __init__(self, words: str, seen: str = "", keys: Sequence[str] = ()) -> None:
        super().__init__(words, seen)
        self.keys = tuple(keys)


class OptionMissing(PortalBusinessError):
    """The row asks for a choice a select does not offer: names the label, the text and the choices."""

    def __init__(self, label: str, text: str, options: Sequence[str]) -> None:
        self.label, self.text, self.options = label, text, tuple(options)
        shown = "、".join(o or "（空白）" for o in options[:12]) + ("、…" if len(options) > 12 else "")
        super().__init__(f"{label}：没有找到选项“{text}”（页面上的选项：{shown}）")


def readable(error: PlaywrightError, what: str = "") -> PortalSystemError:
    """A Playwright error as a person reads it: what was being done, never the locator (that goes to the
    log file, at debug level)."""
    detail = str(error)
    logger.debug("{}：{}", what or "页面操作", detail)
    kind = "超时" if isinstance(error, PlaywrightTimeout) or "Timeout" in detail.split("\n", 1)[0] else "失败"
    return PortalSystemError(f"{what or '页面操作'}{kind}（页面未按预期响应）")


# --- words -------------------------------------------------------------------------------------


def spaced(words: str) -> str:
    """A regex source matching `words` with spaces or icon glyphs anywhere in between."""
    return _GAP.join(re.escape(ch) for ch in words if not ch.isspace())


def exactly(words: str) -> re.Pattern[str]:
    """The whole text is `words` (spaces and icon glyphs tolerated, a trailing colon too)."""
    return re.compile(rf"^{_GAP}{spaced(words)}{_GAP}[:：]?{_GAP}$")


def any_of(texts: Sequence[str]) -> re.Pattern[str]:
    """A text containing any of `texts`."""
    return re.compile("|".join(spaced(t) for t in texts) or "(?!)")


def clickable(scope: Scope, words: str) -> Locator:
    """A link or button reading `words` (the first visible one)."""
    rx = exactly(words)
    return (
        scope.locator("a, button, input[type=button], input[type=submit]")
        .filter(has_text=rx)
        .or_(scope.get_by_text(rx))
        .filter(visible=True)
        .first
    )


def shown(scope: Scope, words: str) -> Locator:
    """Any visible element reading exactly `words`."""
    return scope.get_by_text(exactly(words)).filter(visible=True).first


def _label_test(words: str) -> str:
    clean = "translate(normalize-space(.), ' \u3000\u00a0：:*', '')"
    return f"{clean}='{words}'"


def field(scope: Scope, label: str, nth: int = 1) -> Locator:
    """The input, select or textarea right after the visible label text `label` (not in a table header);
    `nth=2`: the second one (the 止 of a date range under one label)."""
    test = _label_test(label.replace(" ", ""))
    control = (
        "self::input[not(@type='hidden') and not(@type='radio') and not(@type='checkbox')]"
        " or self::select or self::textarea"
    )
    return scope.locator(
        f"xpath=//*[{test} and not(ancestor-or-self::th) and not(ancestor-or-self::option)"
        f" and not(self::script) and not(self::title) and not(*[{test}])]"
        f"/following::*[{control}][{nth}]"
    ).first


async def until(wait: Callable[[float], Awaitable[T]], timeout_ms: float | None = None) -> T:
    """`wait(slice_ms)` (a Playwright wait or expect given that timeout) again and again, in slices of at
    most `_SLICE_MS`, until it succeeds or `timeout_ms` (default `_EXPECT_MS`) has passed; then its
    timeout error (or failed expectation) is raised."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + (timeout_ms or _EXPECT_MS) / 1000
    while True:
        left_ms = (deadline - loop.time()) * 1000
        try:
            return await wait(max(1.0, min(_SLICE_MS, left_ms)))
        except (PlaywrightTimeout, AssertionError):
            if left_ms <= _SLICE_MS:
                raise


State = Literal["attached", "detached", "hidden", "visible"]


async def reach(target: Locator, timeout_ms: float | None = None, state: State = "visible") -> None:
    """Waits until `target` is in `state`, noticing within 0.1 s (see `_SLICE_MS`)."""
    await until(lambda ms: target.wait_for(state=state, timeout=ms), timeout_ms)


async def need(
    target: Locator,
    words: str,
    timeout_ms: float | None = None,
    *,
    keys: Sequence[str] = (),
    within: Scope | None = None,
) -> Locator:
    """Waits until `target` is visible (a select hidden by layui form: until what layui drew in its place
    is); else the step fails naming `words` (`keys`: the profile's words looked for). With `within` (the
    page or frame it belongs to): a page that shows nothing yet is a system error, not a changed page."""
    shown = target.or_(target.locator("xpath=self::select/following-sibling::*[1]")).filter(visible=True).first
    try:
        await reach(shown, timeout_ms)
    except PlaywrightError:
        if within is not None and not await shows_anything(within):
            raise PortalSystemError(f"页面未显示内容（等待【{words}】时，页面仍在加载？）") from None
        raise ElementMissing(words, keys=keys) from None
    return target


async def press(
    target: Locator,
    words: str,
    timeout_ms: float | None = None,
    *,
    keys: Sequence[str] = (),
    within: Scope | None = None,
    fill: str | None = None,
) -> None:
    """Clicks `target` (with `fill`: types that into it) as soon as it can be, in one browser call when it
    is there (else in slices, so that it is noticed within 0.1 s: see `_SLICE_MS`); when it does not show
    in time the step fails as `need` fails, naming `words`. A slice that ends has not acted: Playwright
    clicks or types only once the element is ready."""
    try:
        if fill is None:
            await until(lambda ms: target.click(timeout=ms), timeout_ms)
        else:
            await until(lambda ms: target.fill(fill, timeout=ms), timeout_ms)
    except PlaywrightTimeout:
        if await target.is_visible():
            raise  # there, but it never took the action: a system error as Playwright tells it
        if within is not None and not await shows_anything(within):
            raise PortalSystemError(f"页面未显示内容（等待【{words}】时，页面仍在加载？）") from None
        raise ElementMissing(words, keys=keys) from None


async def present(target: Locator) -> bool:
    """Whether `target` is on the page now (a select hidden by layui form counts): no waiting."""
    try:
        return await target.count() > 0
    except PlaywrightError:
        return False


async def shows_anything(scope: Scope) -> bool:
    """Whether a page or frame shows any text at all (a document still loading, or blank, does not)."""
    root = scope.locator("body").first if isinstance(scope, Page | FrameLocator) else scope
    try:
        return bool((await root.inner_text(timeout=1_000)).strip())
    except PlaywrightError:
        return False


async def first_of(waits: Sequence[Any], timeout_s: float) -> int | None:
    """Runs the awaitables together; the index of the first one that finishes without error (None: none
    within `timeout_s`). The others are cancelled."""
    tasks = [asyncio.ensure_future(w) for w in waits]
    try:
        pending = set(tasks)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while pending:
            left = deadline - loop.time()
            if left <= 0:
                return None
            done, pending = await asyncio.wait(pending, timeout=left, return_when=asyncio.FIRST_COMPLETED)
            for task in tasks:
                if task in done and not task.cancelled() and task.exception() is None:
                    return tasks.index(task)
        return None
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


# --- animations ----------------------------------------------------------------------------------

_SHORT_CSS = (
    "*, *::before, *::after { animation-duration: 1ms !important; animation-delay: 0s !important;"
    " transition-duration: 1ms !important; transition-delay: 0s !important; }"
)
_CUT_ANIMATIONS = f"""(() => {{
  const add = () => {{ const s = document.createElement('style'); s.textContent = {json.dumps(_SHORT_CSS)};
    (document.head || document.documentElement).append(s); }};
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', add); else add();
}})();"""


async def cut_animations(context: BrowserContext) -> None:
    """Every page and frame of `context` from now on draws CSS animations and transitions in 1 ms (layer's
    zoom, fades): an element stands still, so clickable, as soon as it is there. Their events still fire;
    scripts' own timers are untouched (the profile's `animations = false`)."""
    await context.add_init_script(_CUT_ANIMATIONS)


# --- layui form: selects and radios --------------------------------------------------------------

_SELECT_STATE = """sel => {
  const opts = [...sel.options];
  const blank = opts.findIndex(o => o.value === '');
  return {index: sel.selectedIndex, empty: blank >= 0 ? blank : 0,
          texts: opts.map(o => (o.textContent || '').replace(/[\\s\\u00a0\\u3000]+/g, ' ').trim())};
}"""


async def select_state(control: Locator, timeout_ms: float | None = None) -> dict[str, Any]:
    """A select's chosen index, the index of its empty choice (the option with an empty value, else the
    first one: 全部, 请选择, --请选择--, 不限, blank — whatever it reads) and its option texts."""
    state: dict[str, Any] = await control.evaluate(_SELECT_STATE, timeout=timeout_ms)
    return state


async def _pick(control: Locator, index: int, text: str, timeout_ms: float | None) -> None:
    """Chooses the option at `index` (reading `text`) like a person: the native select, or layui's list."""
    if await control.is_visible():
        await control.select_option(index=index, timeout=timeout_ms)
        return
    rendered = control.locator("xpath=following-sibling::*[1]")
    await rendered.click(timeout=timeout_ms)
    options = rendered.locator("dd")
    option = options.filter(has_text=exactly(text)).first if text else options.nth(index)
    await option.click(timeout=timeout_ms)
    # the native select follows what layui shows (its drawn input may show the text as a placeholder only)
    await until(lambda ms: expect(control).to_have_js_property("selectedIndex", index, timeout=ms), timeout_ms)


async def choose_option(control: Locator, text: str, label: str, timeout_ms: float | None = None) -> None:
    """Selects the option reading `text` in the select `control` (native, or rendered by layui form); a
    select without it raises OptionMissing naming `label` and the options it has."""
    state = await select_state(control, timeout_ms)
    wanted = exactly(text)
    index = next((i for i, t in enumerate(state["texts"]) if wanted.match(t)), None)
    if index is None:
        raise OptionMissing(label, text, state["texts"])
    if index != state["index"]:
        await _pick(control, index, state["texts"][index], timeout_ms)


async def clear_choice(control: Locator, timeout_ms: float | None = None) -> None:
    """Sets a select back to its empty choice ("no filter"), only when it holds another one."""
    state = await select_state(control, timeout_ms)
    if state["index"] != state["empty"]:
        await _pick(control, state["empty"], state["texts"][state["empty"]], timeout_ms)


async def holds_value(control: Locator, timeout_ms: float | None = None) -> bool:
    """Whether a field holds something a search would filter by (a select: a choice but its empty one)."""
    if await control.evaluate("el => el.tagName === 'SELECT'", timeout=timeout_ms):
        state = await select_state(control, timeout_ms)
        return bool(state["index"] != state["empty"])
    return bool(await control.input_value(timeout=timeout_ms))


_CHOSEN = """els => els.length > 0 && (els[0].classList.contains('layui-form-radio')
  ? els[0].classList.contains('layui-form-radioed') : els[0].checked)"""
"""Whether a radio (layui's rendered one, or the native input) shows as chosen (one browser call, no wait)."""


async def choose_radio(
    scope: Scope, text: str, words: str, timeout_ms: float | None = None, *, keys: Sequence[str] = ()
) -> None:
    """Chooses the radio reading `text` as a person sees it (layui's rendered radio, else the native one's
    label) with one click, then reads that it shows as chosen (both layui form and the browser mark it
    while handling the click); a radio that does not show fails the step naming `words`."""
    rendered = scope.locator(".layui-form-radio").filter(has_text=exactly(text))
    target = rendered.or_(scope.get_by_label(text, exact=True)).filter(visible=True).first
    await press(target, words, timeout_ms, keys=keys)
    if not await target.evaluate_all(_CHOSEN):
        raise PortalSystemError(f"{words}：点击后未显示为已选")


# --- dates: laydate, or the accessible picker ----------------------------------------------------

_LAYDATE = ".layui-laydate"
_OWN_PICKER = "div:has(> * select):has(button:text-is('今天')):has(button:text-is('清空'))"


async def set_date(scope: Scope, control: Locator, day: date | None, timeout_ms: float | None = None) -> None:
    """Picks `day` in the picker that `control` (usually read-only) opens, or empties it when None."""
    if day is None and not await control.input_value(timeout=timeout_ms):
        return
    if await control_editable(control, timeout_ms):
        await control.fill(day.isoformat() if day else "", timeout=timeout_ms)  # a date typed as text
        return
    await control.click(timeout=timeout_ms)
    laydate = scope.locator(_LAYDATE).filter(visible=True).first
    own = scope.locator(_OWN_PICKER).filter(visible=True).last
    which = await first_of(
        [laydate.wait_for(timeout=timeout_ms), own.wait_for(timeout=timeout_ms)], (timeout_ms or 15_000) / 1000
    )
    if which is None:
        raise ElementMissing("日期选择框")
    panel = laydate if which == 0 else own
    if day is None:
        await clickable(panel, "清空").click(timeout=timeout_ms)
    elif which == 0:
        await _laydate_pick(panel, day, timeout_ms)
    else:
        selects = panel.locator("select")
        await selects.nth(0).select_option(str(day.year), timeout=timeout_ms)
        await selects.nth(1).select_option(str(day.month), timeout=timeout_ms)
        await panel.locator("button").filter(has_text=re.compile(rf"^\s*{day.day}\s*$")).first.click(timeout=timeout_ms)
    await panel.wait_for(state="hidden", timeout=timeout_ms)


_RANGE = re.compile(r"\S\s+[-~至到]\s+\S|\S[~至到]\S")
"""A field whose placeholder or value shows two dates ("开始日期 - 结束日期", "2026-05-01 ~ 2026-05-31")."""


async def is_range(control: Locator, timeout_ms: float | None = None) -> bool:
    """Whether a date field takes a whole range (one input for 起 and 止), as its text shows."""
    shown = await control.evaluate("el => (el.placeholder || '') + ' | ' + (el.value || '')", timeout=timeout_ms)
    return any(_RANGE.search(part) for part in str(shown).split(" | "))


async def set_dates(
    scope: Scope, first: Locator, second: Locator, start: date | None, end: date | None, timeout_ms: float | None = None
) -> None:
    """A date range: two fields (起, 止), or one range field (both days in one, laydate in range mode;
    起 alone runs until today, 止 alone is not set). A range field whose text does not say so (no
    placeholder, empty) is known by the picker it opens."""
    if not await is_range(first, timeout_ms) and not (start and await _opens_range(scope, first, timeout_ms)):
        await set_date(scope, first, start, timeout_ms)
        await set_date(scope, second, end, timeout_ms)
        return
    if start is None and end is None:
        await set_date(scope, first, None, timeout_ms)
        return
    if start is None:  # 止 alone: a range field cannot say "until"; the caller filters the rows itself
        return
    end = end or date.today()  # 起 alone: until today (nothing is dated later)
    if await control_editable(first, timeout_ms):
        await first.fill(f"{start.isoformat()} - {end.isoformat()}", timeout=timeout_ms)
        return
    panel = await _open_picker(scope, first, timeout_ms)
    # laydate's range picker shows two months: the start is chosen in the left one and the end in the
    # right one (each with its own header when the two are not linked; linked, the right one follows).
    await _laydate_pick(panel, start, timeout_ms, confirm=False, side=0)
    await _laydate_pick(panel, end, timeout_ms, side=1)
    await panel.wait_for(state="hidden", timeout=timeout_ms)


async def _opens_range(scope: Scope, control: Locator, timeout_ms: float | None) -> bool:
    """Whether a read-only date field opens laydate in range mode (two months side by side); the picker it
    opened stays open for the date to be picked."""
    if await control_editable(control, timeout_ms):
        return False
    await control.click(timeout=timeout_ms)
    laydate = scope.locator(_LAYDATE).filter(visible=True).first
    own = scope.locator(_OWN_PICKER).filter(visible=True).last
    waits = [laydate.wait_for(timeout=timeout_ms), own.wait_for(timeout=timeout_ms)]
    if await first_of(waits, (timeout_ms or 15_000) / 1000) != 0:
        return False
    return bool(await laydate.evaluate("p => p.classList.contains('layui-laydate-range')", timeout=timeout_ms))


async def control_editable(control: Locator, timeout_ms: float | None = None) -> bool:
    """Whether a person can type into the field (not read-only, not disabled)."""
    return bool(await control.evaluate("el => !el.readOnly && !el.disabled", timeout=timeout_ms))


async def _open_picker(scope: Scope, control: Locator, timeout_ms: float | None) -> Locator:
    await control.click(timeout=timeout_ms)
    laydate = scope.locator(_LAYDATE).filter(visible=True).first
    await need(laydate, "日期选择框", timeout_ms)
    return laydate


_SHOWN_YM = """(p, ymd) => { const y = p.querySelector('[lay-type=year]'), m = p.querySelector('[lay-type=month]');
  const day = p.querySelector(`td[lay-ymd="${ymd}"]:not(.laydate-day-prev):not(.laydate-day-next)`);
  return [day ? 1 : 0, parseInt(y ? y.textContent : '0'), parseInt(m ? m.textContent : '0')]; }"""
"""Whether laydate shows the day, and the year and month its (first) header reads: one round trip."""
_HEADER_FROM_MONTHS = 3
"""Months away from which laydate's header (year list, month list: two clicks each) beats its arrows."""


async def _laydate_header(panel: Locator, day: date, shown: tuple[int, int], timeout_ms: float | None) -> None:
    """Sets year and month from laydate's header, as a person does for a date far away: the year in its
    year list (when the list offers it), then the month in its month list."""
    if shown[0] != day.year:
        await panel.locator("[lay-type=year]").first.click(timeout=timeout_ms)
        year = panel.locator(f'.laydate-year-list li[lay-ym="{day.year}"]').first
        if not await year.count():  # more than 7 years away: the arrows turn the years
            await panel.locator("[lay-type=year]").first.click(timeout=timeout_ms)
            return
        await year.click(timeout=timeout_ms)
    await panel.locator("[lay-type=month]").first.click(timeout=timeout_ms)
    await panel.locator(f'.laydate-month-list li[lay-ym="{day.month - 1}"]').first.click(timeout=timeout_ms)


async def _laydate_pick(
    panel: Locator, day: date, timeout_ms: float | None = None, confirm: bool = True, side: int | None = None
) -> None:
    """laydate: year and month from its header when far, else by its arrows, until the day cell
    `lay-ymd="Y-M-D"` shows; click it, confirm if asked. `side`: the month of a range picker to use
    (0 left, 1 right), else the whole picker."""
    ymd = f"{day.year}-{day.month}-{day.day}"
    whole, panel = panel, panel if side is None else panel.locator(".layui-laydate-main").nth(side)
    header_tried = False
    for _ in range(240):
        there, *shown_ym = await panel.evaluate(_SHOWN_YM, ymd)
        if there:
            break
        months = (day.year - shown_ym[0]) * 12 + (day.month - shown_ym[1])
        if abs(months) >= _HEADER_FROM_MONTHS and not header_tried:
            header_tried = True
            await _laydate_header(panel, day, (shown_ym[0], shown_ym[1]), timeout_ms)
            continue
        if abs(months) >= 12:
            arrow = ".laydate-next-y" if months > 0 else ".laydate-prev-y"
        else:
            arrow = ".laydate-next-m" if months > 0 else ".laydate-prev-m"
        turn = panel.locator(arrow).filter(visible=True)
        if panel is not whole and not await turn.count():  # linked months: the right one has no back arrows
            panel = whole
            continue
        await turn.first.click(timeout=timeout_ms)
    cell = panel.locator(f'td[lay-ymd="{ymd}"]:not(.laydate-day-prev):not(.laydate-day-next)').first
    await cell.click(timeout=timeout_ms)
    confirm_button = whole.locator("[lay-type=confirm]").filter(visible=True)
    if confirm and await whole.is_visible() and await confirm_button.count():
        await confirm_button.first.click(timeout=timeout_ms)


# --- layer: dialogs and messages -----------------------------------------------------------------


def layer(scope: Scope, title: str, every: bool = False) -> Locator:
    """The layer (dialog) titled `title` in `scope` (not one that is fading out after being closed);
    `every`: all such layers."""
    titled = f":has(> .layui-layer-title:text-matches({_css_rx(exactly(title))}))"
    found = scope.locator(f".layui-layer:not(.layer-anim-close){titled}").filter(visible=True)
    return found if every else found.first


def page_layers(scope: Scope, exclude: Sequence[str], every: bool = False) -> Locator:
    """Titled page layers (layer type 1: HTML in the page, as notices are) but those titled `exclude`."""
    others = "".join(f":not(:has(> .layui-layer-title:text-matches({_css_rx(exactly(t))})))" for t in exclude)
    found = scope.locator(f".layui-layer-page:not(.layer-anim-close):has(> .layui-layer-title){others}").filter(
        visible=True
    )
    return found if every else found.first


def _css_rx(rx: re.Pattern[str]) -> str:
    return '"' + rx.pattern.replace("\\", "\\\\").replace('"', '\\"') + '"'


async def find_layer(scopes: Sequence[Scope], title: str, timeout_ms: float) -> Locator | None:
    """The layer titled `title` in the first of `scopes` that shows one (a layer opens in the window
    whose script opened it: an iframe's own page, or the top window); None when none shows in time."""
    found = await find_layer_at(scopes, title, timeout_ms)
    return None if found is None else found[0]


async def find_layer_at(scopes: Sequence[Scope], title: str, timeout_ms: float) -> tuple[Locator, int] | None:
    """`find_layer`, with the index of the scope it showed in."""
    boxes = [layer(scope, title) for scope in scopes]
    which = await first_of([reach(box, timeout_ms) for box in boxes], timeout_ms / 1000)
    return None if which is None else (boxes[which], which)


async def layer_content(box: Locator) -> Locator | FrameLocator:
    """What a layer shows: its own content (type 1), or the document in its iframe (type 2)."""
    content = box.locator(".layui-layer-content").first
    if await content.locator("iframe").count():  # its document may still be loading: callers wait in it
        return content.frame_locator("iframe").first
    return content


def layer_button(box: Locator, words: str) -> Locator:
    """One of a layer's `btn` buttons (links in the window that opened the layer)."""
    return box.locator(".layui-layer-btn").locator("a, button").filter(has_text=exactly(words)).first


async def close_layer(box: Locator, timeout_ms: float | None = None) -> None:
    """Closes a layer like a person: its 关闭/取消/我知道了/确定 button, else the × in its corner."""
    for words in ("关闭", "取消", "我知道了", "确定"):
        button = layer_button(box, words)
        if await button.count():
            await button.click(timeout=timeout_ms)
            break
    else:
        await box.locator(".layui-layer-setwin").locator("a, button").first.click(timeout=timeout_ms)
    await box.wait_for(state="hidden", timeout=timeout_ms)


_MESSAGES = ".layui-layer-msg, .layui-layer-dialog"
_SEEN = "data-corobot-seen"


def messages(scope: Scope) -> Locator:
    """Short messages and alerts the page shows (layer.msg, layer.alert), visible ones not seen before."""
    return scope.locator(f":is({_MESSAGES}):not([{_SEEN}])").filter(visible=True)


def fresh(target: Locator) -> Locator:
    """`target` unless it sits in a message that was already shown before (see `mark_seen`)."""
    return target.locator(f"xpath=self::*[not(ancestor-or-self::*[@{_SEEN}])]")


async def mark_seen(scope: Scope) -> None:
    """Marks the messages shown now, so that only messages that appear after an action count."""
    try:
        await scope.locator(_MESSAGES).evaluate_all(f"ns => ns.forEach(n => n.setAttribute('{_SEEN}', ''))")
    except PlaywrightError:
        pass


async def dismiss_alerts(scopes: Sequence[Scope], timeout_ms: float = 2_000) -> None:
    """Closes alerts still waiting for 确定 (layer.alert) after their text was read."""
    for scope in scopes:  # (layer.msg is drawn as a dialog too, without buttons: it fades by itself)
        boxes = scope.locator(".layui-layer-dialog:not(.layer-anim-close):not(.layui-layer-msg)").filter(visible=True)
        try:
            for _ in range(await boxes.count()):
                button = boxes.first.locator(".layui-layer-btn").locator("a, button").first
                if not await button.count():
                    break
                await button.click(timeout=timeout_ms)
                await boxes.first.wait_for(state="hidden", timeout=timeout_ms)
        except PlaywrightError:
            continue


async def visible_texts(scope: Scope) -> list[str]:
    """Texts of the messages shown now."""
    try:
        return [t.strip() for t in await messages(scope).all_inner_texts() if t.strip()]
    except PlaywrightError:
        return []


async def put_up_texts(scope: Scope) -> list[str]:
    """Texts of the messages put up since `mark_seen`, shown or about to be: layer keeps a new layer
    `visibility: hidden` until its stylesheet is ready, so a message the page put up with an answer it
    drew (a table drawn empty, with 登录已超时) may not be visible yet when the answer is."""
    put_up = scope.locator(f":is({_MESSAGES}):not([{_SEEN}]):not(.layer-anim-close)")
    try:  # an alert's text, not its title and buttons
        texts: list[str] = await put_up.evaluate_all(
            "ns => ns.map(n => (n.querySelector('.layui-layer-content') || n).textContent || '')"
        )
    except PlaywrightError:
        return []
    return [t.strip() for t in texts if t.strip()]


async def raise_on_trouble(
    scopes: Sequence[Scope], busy: Sequence[str], expired: Sequence[str], not_yet_shown: bool = False
) -> None:
    """Raises when a message shown since `mark_seen` says the portal is busy or the login expired;
    `not_yet_shown`: also a message put up but not visible yet (`put_up_texts`)."""
    for scope in scopes:
        for text in await (put_up_texts(scope) if not_yet_shown else visible_texts(scope)):
            if any_of(expired).search(text):
                raise SessionExpired(f"门户会话已过期：{text}")
            if any_of(busy).search(text):
                raise PassingError(f"门户系统繁忙：{text}")


# --- bootstrap-table and the accessible table ----------------------------------------------------


def _reads(rx: re.Pattern[str]) -> str:
    """CSS: the element's text, or that of an element inside it (bootstrap-table wraps header texts in
    a div), matches `rx`."""
    return f":is(:text-matches({_css_rx(rx)}), :has(:text-matches({_css_rx(rx)})))"


def table(scope: Scope, *headers: str) -> Locator:
    """The data table whose header cells read `headers` (not a header-only clone): a table of its own
    (bootstrap-table, a server-rendered one), or layui `table.render`'s view (header and body drawn as
    two tables in a `.layui-table-view`)."""
    has = "".join(f":has(thead th{_reads(exactly(h))})" for h in headers)
    layui = "".join(f":has(> .layui-table-box > .layui-table-header th{_reads(exactly(h))})" for h in headers)
    return scope.locator(f"table{has}:has(> tbody), .layui-table-view{layui}").first


def row_with(grid: Locator, text: str) -> Locator:
    """The body row holding a cell that reads exactly `text`. (One text test per cell: a `:has()` of
    `:text-matches()` on every cell and its descendants took seconds of the renderer on a page of 20.)"""
    cell = grid.page.locator("xpath=./td").filter(has_text=exactly(text))
    return grid.locator("tbody > tr").filter(has=cell).first


def body_rows(grid: Locator) -> Locator:
    """The data rows of a result table (not a no-data row spanning the table)."""
    return grid.locator("tbody > tr:has(> td + td)")


async def settled(scope: Scope, loading_texts: Sequence[str], timeout_ms: float | None = None) -> None:
    """Waits until no result table shows that it is loading (bootstrap-table's 正在努力地加载数据中, the
    accessible table's 加载中…: the profile's `loading` texts; layui table's loading icon)."""
    loading = (
        scope.get_by_text(any_of(loading_texts)).or_(scope.locator(".layui-table-init")).filter(visible=True).first
    )
    try:
        await reach(loading, timeout_ms, "detached")
    except PlaywrightError:
        raise PassingError("查询结果未加载完成（门户未应答？）") from None


_ROWS = """(t) => {
  const clean = s => (s || '').replace(/[\\s\\u00a0\\u3000\\ue000-\\uf8ff]+/g, ' ').trim();
  const view = t.matches('.layui-table-view');
  const head = view ? t.querySelector(':scope > .layui-table-box > .layui-table-header thead') : t.tHead;
  const body = view ? t.querySelector(':scope > .layui-table-box > .layui-table-body tbody') : t.tBodies[0];
  if (!head || !body) return [];
  const heads = [...head.rows[head.rows.length - 1].cells].map(c => clean(c.textContent).replace(/[\\s:：*]/g, ''));
  return [...body.rows].filter(r => r.cells.length === heads.length).map(
    r => Object.fromEntries([...r.cells].map((c, i) => [heads[i], clean(c.innerText)])));
}"""
_SHOWN = "data-corobot-shown"


async def rows(grid: Locator, timeout_ms: float | None = None) -> list[dict[str, str]]:
    """The body rows (header text → cell text) as shown; a no-data row gives none."""
    found: list[dict[str, str]] = await grid.evaluate(_ROWS, timeout=timeout_ms)
    return found


def _drawn(grid: Locator, no_data: Sequence[str]) -> Locator:
    """What a result table draws for an answer: its body rows, or its no-data text."""
    return grid.locator("tbody > tr").or_(grid.get_by_text(any_of(no_data)))


async def mark_shown(grid: Locator, no_data: Sequence[str]) -> None:
    """Marks what a result table shows now, so that `answer_rows` waits for what is drawn after it."""
    try:
        await _drawn(grid, no_data).evaluate_all(f"ns => ns.forEach(n => n.setAttribute('{_SHOWN}', ''))")
    except PlaywrightError:
        pass


async def answer_rows(
    grid: Locator, no_data: Sequence[str], column: str, wanted: str | None, exact: bool, timeout_ms: float | None = None
) -> list[dict[str, str]]:
    """The rows of an answer to a query for `column` = `wanted` (None: anything), once the table shows
    rows drawn since `mark_shown` that fit the query, or its no-data text. Rows that do not fit (an
    older answer, the page's own query) are waited past; when no answer comes in time a system error
    says so, so that nothing is concluded from them."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + (timeout_ms or _EXPECT_MS) / 1000
    problem = "查询结果表既无数据也无“无数据”提示（查询未完成？）"
    old = grid.locator(f"[{_SHOWN}]")
    fresh = _drawn(grid, no_data).locator(f"xpath=self::*[not(@{_SHOWN})]").first
    while (left_ms := (deadline - loop.time()) * 1000) > 0:
        try:
            await until(lambda ms: expect(old).to_have_count(0, timeout=ms), left_ms)
            await reach(fresh, max(1.0, (deadline - loop.time()) * 1000), "attached")
            found = await rows(grid, _SLICE_MS)
        except (AssertionError, PlaywrightError):  # nothing new in time (or between two documents)
            continue
        if not found:
            if await grid.get_by_text(any_of(no_data)).count():
                return []
        elif wanted is None or all(
            (r.get(column, "") == wanted) if exact else (wanted in r.get(column, "")) for r in found
        ):
            return found
        else:
            problem = f"查询结果与查询条件（{column} {wanted}）不符：可能仍是上一次查询的结果"
        await mark_shown(grid, no_data)  # not this query's answer: wait for the next one drawn
    raise PortalSystemError(problem)


_REFRESH_MS = 5_000
"""How long a refresh of the page's own (after a 【提交】) may still load before a page turn or a list
search goes on without it: a hung one must not hold the robot up (the new query supersedes it)."""


async def let_refresh_end(scope: Scope, loading_texts: Sequence[str], timeout_ms: float = _REFRESH_MS) -> None:
    """Lets a result table that is loading now (the page's own refresh) finish, for at most `timeout_ms`;
    never fails: what is drawn after it is told apart by `mark_shown`."""
    try:
        await settled(scope, loading_texts, timeout_ms)
    except PassingError:
        logger.debug("the result table still loads after {} ms: going on", timeout_ms)


_PAGER = re.compile(r"显示第\s*(\d+)\s*到第\s*(\d+)\s*条记录[，,]?\s*总共\s*(\d+)\s*条|第\s*(\d+)\s*/\s*(\d+)\s*页")
_NEXT = ("下一页", "下页", "›", ">")
"""How pagers name their next-page link: bootstrap-table (›, or a text), layui laypage, plain pagers."""


def pager_text(scope: Scope) -> Locator:
    return scope.get_by_text(_PAGER).filter(visible=True).first


def _next_link(scope: Scope) -> Locator:
    """The pager's next-page link or button (any of `_NEXT`), as a link a person can click."""
    rx = any_of_exactly(_NEXT)
    return (
        scope.locator("a, button, input[type=button]")
        .filter(has_text=rx)
        .or_(scope.locator("input[type=button]").filter(has=scope.get_by_text(rx)))
        .filter(visible=True)
        .first
    )


def any_of_exactly(texts: Sequence[str]) -> re.Pattern[str]:
    """The whole text is any of `texts` (spaces and icon glyphs tolerated)."""
    return re.compile("|".join(f"^{_GAP}{spaced(t)}{_GAP}$" for t in texts))


_ENABLED = """el => !el.disabled && el.getAttribute('aria-disabled') !== 'true'
  && ![el, el.parentElement].some(n => n && /(^|\\s)(layui-)?disabled(\\s|$)/.test(n.className || ''))"""
"""A pager link a person can click: not disabled (attribute, ARIA, or bootstrap's/layui's class)."""


async def has_next_page(scope: Scope) -> bool:
    """Whether the pager says there is a page after this one: its text ("显示第 a 到第 b 条记录，总共 N
    条", "第 P / Q 页"), else an enabled next-page link."""
    info = pager_text(scope)
    if await info.count():
        match = _PAGER.search(await info.inner_text())
        if match is not None:
            if match.group(2):
                return int(match.group(2)) < int(match.group(3))
            return int(match.group(4)) < int(match.group(5))
    link = _next_link(scope)
    if not await link.count():
        return False
    return bool(await link.evaluate(_ENABLED))


async def next_page(
    scope: Scope, grid: Locator, no_data: Sequence[str], loading_texts: Sequence[str], timeout_ms: float | None = None
) -> None:
    """Turns to the next page (its next-page link); `answer_rows` then waits for the rows it draws. A
    refresh of this page still loading (the page's own, after a 【提交】) is let finish first: drawn after
    the page turn, its rows would pass for the next page's (nothing tells them apart)."""
    await let_refresh_end(scope, loading_texts)
    await mark_shown(grid, no_data)
    link = _next_link(scope)
    await need(link, "下一页", timeout_ms)
    await link.click(timeout=timeout_ms)
    await settled(scope, loading_texts, timeout_ms)


# --- what is near a spot -------------------------------------------------------------------------

_NEAR = """(root, limit) => {
  const out = []; const seen = new Set();
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
  for (let n = walker.currentNode; n && out.length < limit; n = walker.nextNode()) {
    const tags = ['A', 'BUTTON', 'LABEL', 'TH', 'H1', 'H2', 'H3', 'LI', 'DD', 'DT', 'SPAN', 'LEGEND'];
    if (!tags.includes(n.tagName)) continue;
    const r = n.getBoundingClientRect();
    if (!r.width || !r.height || getComputedStyle(n).visibility === 'hidden') continue;
    const t = (n.innerText || '').replace(/[\\s\\ue000-\\uf8ff]+/g, ' ').trim();
    if (!t || t.length > 20 || seen.has(t)) continue;
    seen.add(t); out.push(t);
  }
  return out;
}"""


async def texts_near(scope: Scope, limit: int = 15) -> list[str]:
    """Short visible texts (links, buttons, labels, headers) of a page or part of it: what a person
    would have seen instead of the words that were missing."""
    root = scope.locator("body").first if isinstance(scope, Page | FrameLocator) else scope
    try:
        return await root.evaluate(_NEAR, limit, timeout=2_000)
    except PlaywrightError:
        return []
