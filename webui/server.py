"""The app server: Streamlit's dashboard and the app's own HTTP routes as one ASGI app.

`python -m webui.serve` (``make run``) starts it; ``uvicorn webui.server:app`` does too.
Routes that other clients call (health checks, the OGC API – Features service at ``/ogc``,
the light phone page, the map caches of `webui.map_cache`) are added here, beside Streamlit's
own, so everything is served on one port. Every request passes
`webui.middleware.SecurityMiddleware` first (headers, server-signed cookies, uploads only for
signed-in planners, no public metrics); docs/SECURITY.md explains each.
"""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route

from geo.config import load_settings
from geo.ogc.service import ogc_app
from geo.store import open_store
from webui.logs import quiet_client_errors
from webui.map_cache import ROUTES as MAP_CACHE_ROUTES
from webui.middleware import SecurityMiddleware
from webui.phone import ROUTES as PHONE_ROUTES
from webui.warmup import warm_up

DASHBOARD = Path(__file__).resolve().parents[1] / "dashboard.py"


async def health(request: Request) -> JSONResponse:
    """Liveness for load balancers and operators: the process serves HTTP."""
    return JSONResponse({"status": "ok"})


@asynccontextmanager
async def prepare_layers(_app: st.App):
    """Before the first request: the store's layers prepared (`webui.warmup`)."""
    await asyncio.to_thread(warm_up)
    yield


quiet_client_errors()
app = st.App(
    str(DASHBOARD),
    routes=[
        Route("/healthz", health),
        *PHONE_ROUTES,
        *MAP_CACHE_ROUTES,
        Mount("/ogc", app=ogc_app(lambda: open_store(load_settings().store))),
    ],
    middleware=[Middleware(SecurityMiddleware)],
    lifespan=prepare_layers,
)
