"""The FastAPI application: routers, one error format, security headers, body limits, no CORS."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from sqlalchemy import Engine, text

from server import errors
from server.config import Settings
from server.context import AppContext, ctx_of
from server.middleware import BodyLimit, RequireHttps, SecurityHeaders
from server.routes import accounts, billing, me, proxy, sync

log = logging.getLogger("maitre_ao.server")
API_VERSION = "1.0.0"


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    ctx = AppContext(settings, engine)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        upstream = getattr(app.state, "upstream", None)
        if upstream is not None:
            await upstream.aclose()

    app = FastAPI(
        title="Maître AO — API de compte",
        version=API_VERSION,
        description="Comptes, synchronisation, droits RGPD, abonnement et proxy d'analyse. Hébergée en France.",
        docs_url=None,  # no HTML pages: the CSP is default-src 'none'
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.ctx = ctx
    errors.install(app)
    # Sync first: it carries most of the traffic, and routes are matched in order.
    for router in (sync.router, accounts.router, me.router, proxy.router, billing.router):
        app.include_router(router)

    @app.get("/health", tags=["exploitation"], summary="État du service")
    def health(request: Request) -> dict[str, str]:
        with ctx_of(request).engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return {"status": "ok"}

    # Added innermost first: the security headers wrap everything, including the 413 and https refusals.
    app.add_middleware(
        BodyLimit,
        default_limit=settings.max_body_bytes,
        large_limit=settings.max_proxy_body_bytes,
        large_prefixes=("/v1/analysis/",),
    )
    if settings.production:
        app.add_middleware(RequireHttps)
    app.add_middleware(SecurityHeaders)  # outermost: also catches unexpected exceptions
    return app
