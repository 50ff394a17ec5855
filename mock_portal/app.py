"""Builds the FastAPI app: state, security headers, chaos middleware, the chosen front end's routers, static files."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from mock_portal import routes_api, routes_layui, routes_layui_api, routes_pages, routes_test
from mock_portal.auth import SessionStore
from mock_portal.chaos import ChaosMiddleware
from mock_portal.db import Database
from mock_portal.faults import Faults
from mock_portal.settings import Settings
from mock_portal.variants import Variant
from mock_portal.web import LoginRequired, PortalState, is_xhr, login_redirect, session_timeout

STATIC = Path(__file__).parent / "static"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'"
)
# As loose as the libraries need: layui evaluates lay-options strings and writes inline handlers, layer,
# laydate and bootstrap-table write style="" attributes; pages use `href="javascript:;"` links.
CSP_LAYUI = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline' 'unsafe-eval'").replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)


def create_app(settings: Settings | None = None) -> FastAPI:
    """A ready portal; without `settings.db` the SQLite file lives in a fresh temp folder."""
    settings = settings or Settings()
    if not settings.db:
        folder = tempfile.mkdtemp(prefix="mock_portal_")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        settings.db = str(Path(folder) / "portal.sqlite3")
    app = FastAPI(title="Mock Single Window", docs_url=None, redoc_url=None, openapi_url=None)
    variant = Variant.from_seed(settings.variant, settings.variant_force)
    app.state.portal = PortalState(
        settings,
        Database(settings.db, settings.seed, settings.certs, settings.enterprises),
        SessionStore(),
        variant=variant,
    )
    app.state.faults = Faults()

    @app.exception_handler(LoginRequired)
    async def _login_required(request: Request, exc: LoginRequired) -> Response:
        if settings.frontend == "layui" and is_xhr(request):
            return session_timeout(exc.expired)
        return login_redirect(exc.expired)

    @app.middleware("http")
    async def _security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response: Response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP_LAYUI if settings.frontend == "layui" else CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    if settings.frontend == "layui":
        app.include_router(routes_layui.router)
        app.include_router(routes_layui_api.router)
    else:
        app.include_router(routes_pages.router)
        app.include_router(routes_api.router)
    if settings.test_api:
        app.include_router(routes_test.router)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    app.add_middleware(ChaosMiddleware, settings=settings, faults=app.state.faults)
    if settings.test_api:  # outermost: counts what reaches the portal, latency and 5xx included
        app.state.request_counts = {}
        app.add_middleware(routes_test.RequestCounter, counts=app.state.request_counts)
    return app
