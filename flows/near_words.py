"""Near matches for the guide's words doctor did not find: when a page shows a text close to the one
looked for (a menu entry 补录查询 where 补录信息查询 was expected), the profile line that would adapt the
robot to it (`"补录信息查询" = "补录查询"` in `[words]`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import FrameLocator, Locator, Page

from flows.profile import PortalProfile

MIN_LIKENESS = 0.6
"""How alike (difflib's ratio, 0–1) a text must be to the word looked for to be suggested."""

_TEXTS = """(root) => {
  const out = new Set();
  for (const n of root.querySelectorAll('*')) {
    if (['SCRIPT', 'STYLE', 'OPTION', 'TITLE'].includes(n.tagName)) continue;
    const r = n.getBoundingClientRect();
    if (!r.width || !r.height || getComputedStyle(n).visibility === 'hidden') continue;
    let own = '';
    for (const c of n.childNodes) if (c.nodeType === 3) own += c.textContent;
    const t = (n.children.length ? own : (n.innerText || own)).replace(/[\\s\\ue000-\\uf8ff]+/g, '').trim();
    if (t && t.length <= 20) out.add(t.replace(/[:：*]+$/, ''));
    if (n.placeholder) out.add(n.placeholder.trim());
  }
  return [...out];
}"""
"""Short visible texts of a page: each element's own text (labels, links, buttons, headers, titles), and
placeholders."""

_CJK = re.compile(r"[\u4e00-\u9fff]")


async def shown_texts(scopes: Iterable[Page | FrameLocator | Locator]) -> list[str]:
    """The short visible texts of the scopes (a window and the page in front)."""
    texts: list[str] = []
    for scope in scopes:
        root = scope.locator("body").first if isinstance(scope, Page | FrameLocator) else scope
        try:
            texts += await root.evaluate(_TEXTS, timeout=2_000)
        except PlaywrightError:
            continue
    return list(dict.fromkeys(texts))


def near_match(word: str, texts: Sequence[str], taken: set[str]) -> str | None:
    """The text most like `word` (not one that is another guide word's text), if alike enough."""
    best, score = None, MIN_LIKENESS
    for text in texts:
        if text == word or text in taken or not _CJK.search(text):
            continue
        ratio = SequenceMatcher(None, word, text).ratio()
        if ratio >= score:
            best, score = text, ratio
    return best


def profile_line(key: str, text: str) -> str:
    """The `[words]` line that makes the robot look for `text` where the guide says `key`."""
    return f'"{key}" = "{text}"'


def suggestions(profile: PortalProfile, keys: Sequence[str], texts: Sequence[str]) -> list[str]:
    """`[words]` lines for the keys whose words the page does not show but shows something close to."""
    shown = {t.replace(" ", "") for t in texts}
    taken = set(profile.words.values())
    lines = []
    for key in keys:
        word = profile.word(key).replace(" ", "")
        if word in shown:
            continue
        near = near_match(word, texts, taken)
        if near is not None:
            lines.append(profile_line(key, near))
    return lines
