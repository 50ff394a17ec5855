"""The floor: the fastest any client can work rows through the portal — a minimal HTTP client.

It does, with httpx and nothing else, what the portal's own front end sends for a row, in the page's
order: log in once (GET /cas/login for the CASID cookie and the form's csrf_token, the captcha answer
from the mock's test API, POST /cas/login), read the fresh session's CSRF token from the `<meta>` of
the search page once, then per row the UI's requests. Which UI: the test API says which front end the
portal serves (`GET /__test__/frontend`; an older portal without it is the accessible one).

- layui (default; mock_portal/static/app/js/search.js): 查询 is bootstrap-table's
  `GET /swOrigin/api/supplement/certList?authority=…&certNo=…&limit=10&offset=0`; 【补录】 opens the
  报关单号补录 dialog as an iframe layer whose page is loaded for every row,
  `GET /swOrigin/supplement/edit?certId=…` (its scripts and styles are what a browser has cached, so
  they are not fetched); 【提交】 is the form-encoded `POST /swOrigin/api/supplement/save` with the
  `csrf_token` field; answers are `{errCode, errMsg, rows, total}`.
- accessible (mock_portal/static/js/common.js postJSON, search.js): `POST /origin/api/supplement/certs`
  (criteria = the 证明号, `{page, size}`) and `POST /origin/api/supplement/submit`, each JSON with the
  `X-CSRF-Token` header; its dialog is part of the page (no request); answers are
  `{errCode, errMsg, data: {rows, …}}`.

`dialog=True` (the honest floor, kind `floor` in the results) makes every request a row needs;
`dialog=False` (kind `floor_bare`) leaves the dialog's page out, as the floor did before issue 20.
What the UI sends besides (page loads of the session, the table's own refresh after 【提交】) is left
out on purpose: a client that wants the row done does not need it.

With `workers` > 1, that many request streams share the one logged-in session and one queue of rows,
like the robot's workers share the first worker's cookies.
Only localhost is ever contacted (the mock portal's URL). Every loop ends with the row queue.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

USER = "exporter1"
PASSWORD = "Corobot#2026"
AUTHORITY_CODES = {"海关": "customs", "贸促会": "ccpit"}
_CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]*)"')
_CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]*)"')
TIMEOUT_S = 60.0


@dataclass(frozen=True)
class FloorRow:
    """What one row needs: its 签证机构 (海关|贸促会), 证明号, 是否实际出口 and the numbers."""

    authority: str
    cert_no: str
    exported: bool
    numbers: tuple[str, ...]


@dataclass
class FloorResult:
    """Timings of one floor run (time.time() stamps, so they compare with other processes)."""

    started: float = 0.0
    logged_in: float = 0.0
    finished: float = 0.0
    submitted: list[float] = field(default_factory=list)
    """When each row's 【提交】 was answered 提交成功, in completion order."""
    search_s: list[float] = field(default_factory=list)
    dialog_s: list[float] = field(default_factory=list)
    """Round trips of the dialog's page (honest floor, layui only)."""
    submit_s: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> int:
        return len(self.submitted)


class FloorError(RuntimeError):
    """The portal answered something the floor client does not expect (it never retries)."""


class FloorSession:
    """One logged-in portal session speaking the UI's XHRs."""

    def __init__(self, base_url: str, captcha_url: str | None = None) -> None:
        self.base = base_url.rstrip("/")
        self.captcha_url = captcha_url or f"{self.base}/__test__/captcha"
        self.http = httpx.AsyncClient(base_url=self.base, follow_redirects=False, timeout=TIMEOUT_S)
        self.csrf = ""
        self.frontend = "layui"

    async def close(self) -> None:
        await self.http.aclose()

    async def _detect_frontend(self) -> str:
        answer = await self.http.get(f"{self.base}/__test__/frontend")
        return answer.json()["frontend"] if answer.status_code == 200 else "accessible"

    async def log_in(self, username: str = USER, password: str = PASSWORD) -> None:
        self.frontend = await self._detect_frontend()
        page = await self.http.get("/cas/login")
        page.raise_for_status()
        form_csrf = _match(_CSRF_INPUT, page.text, "csrf_token")
        sid = self.http.cookies.get("CASID")
        answer = await self.http.get(self.captcha_url, params={"sid": sid})
        answer.raise_for_status()
        form = {"username": username, "password": password, "captcha": answer.json()["answer"], "csrf_token": form_csrf}
        done = await self.http.post("/cas/login", data=form)
        if done.status_code != 302 or "/cas/login" in done.headers.get("location", ""):
            raise FloorError(f"login failed: HTTP {done.status_code}")
        # The logged-in session is a fresh one with its own CSRF token: the UI reads it from the page.
        search_page = "/swOrigin/supplement/search" if self.frontend == "layui" else "/origin/supplement/search"
        search = await self.http.get(search_page, params={"authority": "customs"})
        search.raise_for_status()
        self.csrf = _match(_CSRF_META, search.text, "csrf-token meta")

    async def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = await self.http.post(path, json=body, headers={"X-CSRF-Token": self.csrf})
        if response.status_code in (301, 302, 303):
            raise FloorError(f"{path}: session expired ({response.headers.get('location')})")
        if response.status_code >= 500 or response.headers.get("content-type", "").find("json") < 0:
            raise FloorError(f"{path}: HTTP {response.status_code}")
        return response.json()

    async def _xhr(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """A jQuery-style XHR of the layui front end; an errCode -1/401 answer means the session is gone."""
        response = await self.http.request(method, path, headers={"X-Requested-With": "XMLHttpRequest"}, **kwargs)
        if response.status_code >= 500 or response.headers.get("content-type", "").find("json") < 0:
            raise FloorError(f"{path}: HTTP {response.status_code}")
        answer = response.json()
        if answer.get("errCode") in ("-1", "401"):
            raise FloorError(f"{path}: session expired ({answer.get('errMsg')})")
        return answer

    async def search(self, row: FloorRow) -> dict[str, Any] | None:
        """查询 with the 证明号 as the UI's form sends it; the certificate's row JSON or None."""
        if self.frontend == "layui":
            params = {
                "limit": 10,
                "offset": 0,
                "certType": "",
                "exporterCode": "",
                "createdFrom": "",
                "createdTo": "",
                "certNo": row.cert_no,
                "authority": AUTHORITY_CODES[row.authority],
            }
            found = await self._xhr("GET", "/swOrigin/api/supplement/certList", params=params)
            rows = (found.get("rows") or []) if found.get("errCode") == "100" else []
            return next((r for r in rows if r["certNo"] == row.cert_no), None)
        body = {
            "authority": AUTHORITY_CODES[row.authority],
            "certType": "",
            "exporterCode": "",
            "createdFrom": "",
            "createdTo": "",
            "certNo": row.cert_no,
            "page": 1,
            "size": 10,
        }
        answer = await self._post("/origin/api/supplement/certs", body)
        if answer.get("errCode") != "100":
            return None
        return next((r for r in answer["data"]["rows"] if r["certNo"] == row.cert_no), None)

    @property
    def has_dialog_page(self) -> bool:
        """Whether the 报关单号补录 dialog is a page of its own (the layui front end's iframe layer)."""
        return self.frontend == "layui"

    async def open_dialog(self, cert_id: int) -> None:
        """【补录】: the dialog's page, as the iframe layer loads it (a page load, not an XHR)."""
        page = await self.http.get("/swOrigin/supplement/edit", params={"certId": cert_id})
        if page.status_code in (301, 302, 303):
            raise FloorError(f"dialog page: session expired ({page.headers.get('location')})")
        if page.status_code != 200 or "html" not in page.headers.get("content-type", ""):
            raise FloorError(f"dialog page: HTTP {page.status_code}")

    async def submit(self, cert_id: int, row: FloorRow) -> dict[str, Any]:
        """【提交】 of the 报关单号补录 dialog, as search.js posts it."""
        if self.frontend == "layui":
            form = {
                "certId": cert_id,
                "exported": "1" if row.exported else "0",
                "declarationNos": ";".join(row.numbers) if row.exported else "",
                "csrf_token": self.csrf,
            }
            return await self._xhr("POST", "/swOrigin/api/supplement/save", data=form)
        body = {
            "certId": cert_id,
            "exported": "1" if row.exported else "0",
            "declarationNos": ";".join(row.numbers) if row.exported else "",
        }
        return await self._post("/origin/api/supplement/submit", body)


def _match(pattern: re.Pattern[str], text: str, what: str) -> str:
    found = pattern.search(text)
    if not found:
        raise FloorError(f"no {what} in the page")
    return found.group(1)


async def _drain(session: FloorSession, queue: asyncio.Queue[FloorRow], result: FloorResult, dialog: bool) -> None:
    while True:
        try:
            row = queue.get_nowait()
        except asyncio.QueueEmpty:
            return
        t0 = time.perf_counter()
        cert = await session.search(row)
        t1 = time.perf_counter()
        result.search_s.append(t1 - t0)
        if cert is None:
            result.failures.append(f"{row.cert_no}: not found")
            continue
        if dialog and session.has_dialog_page:
            await session.open_dialog(int(cert["id"]))
            t2 = time.perf_counter()
            result.dialog_s.append(t2 - t1)
            t1 = t2
        answer = await session.submit(int(cert["id"]), row)
        result.submit_s.append(time.perf_counter() - t1)
        if answer.get("errCode") == "100":
            result.submitted.append(time.time())
        else:
            result.failures.append(f"{row.cert_no}: {answer.get('errMsg')}")


async def run_floor_async(base_url: str, rows: list[FloorRow], workers: int = 1, dialog: bool = True) -> FloorResult:
    """Logs in once, then works all rows with `workers` concurrent request streams; `dialog=False`
    leaves out the dialog's page (the bare floor)."""
    result = FloorResult(started=time.time())
    queue: asyncio.Queue[FloorRow] = asyncio.Queue()
    for row in rows:
        queue.put_nowait(row)
    session = FloorSession(base_url)
    try:
        await session.log_in()
        result.logged_in = time.time()
        streams = max(1, min(workers, len(rows) or 1))
        await asyncio.gather(*(_drain(session, queue, result, dialog) for _ in range(streams)))
    finally:
        await session.close()
    result.finished = time.time()
    return result


def run_floor(base_url: str, rows: list[FloorRow], workers: int = 1, dialog: bool = True) -> FloorResult:
    return asyncio.run(run_floor_async(base_url, rows, workers, dialog))
