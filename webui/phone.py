"""The light phone path of a participation round: a small page of its own and a JSON API.

A phone at a forum loads one HTML page, the app's own Leaflet and a small script (about
170 KB before compression, instead of Streamlit's ~3 MB front end) and posts to plain HTTP
endpoints. No websocket, no session: any replica behind the proxy answers any request. The
rules are the store's (`RoundStore.contribute`/`support`: time, extent, rate limit, cap, one
"+1" per device, request ids against duplicates), the same as on the Streamlit page. User
text only ever reaches the page as JSON rendered with ``textContent``; the page's own values
are HTML-escaped. The projector view stays in Streamlit.
"""

from __future__ import annotations

import functools
import json
import secrets

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from geo.config import REPO_ROOT, load_settings
from geo.errors import GeoError
from geo.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from geo.maps.assets import LEAFLET_CSS, LEAFLET_JS, source_path
from geo.participation.rounds import DEVICE_COOKIE as COOKIE
from geo.participation.rounds import DEVICE_COOKIE_MAX_AGE_S as COOKIE_MAX_AGE_S
from geo.participation.rounds import valid_device_token
from geo.store import RoundStore, open_store
from webui.phone_page import basemap_origin, page_html

MAX_BODY = 8 * 1024  # bytes: a contribution is a few hundred
ASSETS = {
    "leaflet.js": (source_path(LEAFLET_JS), "text/javascript"),
    "leaflet.css": (source_path(LEAFLET_CSS), "text/css"),
    "phone.js": (REPO_ROOT / "static" / "phone" / "phone.js", "text/javascript"),
}
_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


@functools.lru_cache(maxsize=4)
def _open(location: str) -> RoundStore:
    return open_store(location)


def _store() -> RoundStore:
    return _open(load_settings().store)


def request_device(request: Request) -> tuple[str, bool]:
    """This phone's device token and whether it is new (then the response sets the cookie).

    The one place the phone path decides who a device is; the Streamlit page does the same
    in `webui.participation.device_token`. Signed, server-issued tokens replace both here.
    """
    cookie = request.cookies.get(COOKIE, "")
    if valid_device_token(cookie):
        return cookie, False
    return secrets.token_urlsafe(24), True


def _lang(request: Request) -> str:
    value = request.query_params.get("lang", load_settings().language or DEFAULT_LANGUAGE)
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def _reply(body: dict, status: int, device: tuple[str, bool]) -> JSONResponse:
    response = JSONResponse(body, status_code=status, headers={**_HEADERS, "Cache-Control": "no-store"})
    if device[1]:
        response.set_cookie(
            COOKIE, device[0], max_age=COOKIE_MAX_AGE_S, path="/", samesite="lax", httponly=True
        )
    return response


_STATUS = {
    "err.part_round_not_found": 404,
    "err.part_contribution_not_found": 404,
    "err.part_rate_limit": 429,
    "err.phone_bad_request": 400,
    "err.part_already_supported": 409,
}


def _refusal(err: GeoError, lang: str, device: tuple[str, bool]) -> JSONResponse:
    """A refusal the page shows as it is: the message in the page's language, and its key."""
    body = {"error": err.message(lang), "code": err.key}
    return _reply(body, _STATUS.get(err.key, 422), device)


async def _json_body(request: Request) -> dict:
    """The posted JSON object, or a `GeoError` for anything else (too big, not JSON)."""
    body = await request.body()
    if len(body) > MAX_BODY:
        raise GeoError("err.phone_bad_request")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise GeoError("err.phone_bad_request") from None
    if not isinstance(data, dict):
        raise GeoError("err.phone_bad_request")
    return data


async def page(request: Request) -> Response:
    """GET /m/<round>: the phone page (also for ended rounds: it says so)."""
    lang, device = _lang(request), request_device(request)
    try:
        rnd = await run_in_threadpool(_store().get_round, request.path_params["round_id"])
    except GeoError as err:
        return HTMLResponse(page_html(None, lang, err.message(lang)), status_code=404, headers=_HEADERS)
    body, csp = page_html(rnd, lang, basemap=request.query_params.get("basemap")), _policy(request)
    response = HTMLResponse(
        body, headers={**_HEADERS, "Content-Security-Policy": csp, "Cache-Control": "no-cache"}
    )
    if device[1]:
        response.set_cookie(
            COOKIE, device[0], max_age=COOKIE_MAX_AGE_S, path="/", samesite="lax", httponly=True
        )
    return response


def _policy(request: Request) -> str:
    """Scripts and styles only from the app; images also from the chosen basemap's host."""
    origin = basemap_origin(request.query_params.get("basemap"))
    return (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data: {origin}; connect-src 'self'; frame-ancestors 'none'"
    )


async def asset(request: Request) -> Response:
    """GET /m/assets/<name>: Leaflet from its installed package and the page's script."""
    found = ASSETS.get(request.path_params["name"])
    if found is None:
        return Response(status_code=404)
    headers = {**_HEADERS, "Cache-Control": "public, max-age=86400"}
    return FileResponse(found[0], media_type=found[1], headers=headers)


async def items(request: Request) -> JSONResponse:
    """GET /api/rounds/<round>/contributions: visible contributions and this device's "+1"s."""
    lang, device = _lang(request), request_device(request)
    round_id, store = request.path_params["round_id"], _store()

    def listing() -> dict:
        rnd = store.get_round(round_id)
        found = store.list_contributions(round_id)
        return {
            "status": rnd.status(),
            "items": [
                {
                    "id": c.id,
                    "category": c.category,
                    "text": c.text,
                    "support": c.support,
                    "lon": c.lon,
                    "lat": c.lat,
                }
                for c in found
            ],
            "supported": sorted(store.supported_by(round_id, device[0])),
        }

    try:
        return _reply(await run_in_threadpool(listing), 200, device)
    except GeoError as err:
        return _refusal(err, lang, device)


async def contribute(request: Request) -> JSONResponse:
    """POST /api/rounds/<round>/contributions {lon, lat, category, text, request_id}."""
    lang, device = _lang(request), request_device(request)
    try:
        data = await _json_body(request)
        item = await run_in_threadpool(
            functools.partial(
                _store().contribute,
                request.path_params["round_id"],
                lon=data.get("lon"),
                lat=data.get("lat"),
                category=str(data.get("category") or ""),
                text=str(data.get("text") or ""),
                device=device[0],
                request_id=str(data.get("request_id") or "")[:64] or None,
            )
        )
    except GeoError as err:
        return _refusal(err, lang, device)
    return _reply({"id": item.id, "message": t("ui.part.thanks", lang)}, 201, device)


async def support(request: Request) -> JSONResponse:
    """POST /api/rounds/<round>/contributions/<id>/support: this device's "+1" (once)."""
    lang, device = _lang(request), request_device(request)
    round_id, contribution_id = request.path_params["round_id"], request.path_params["contribution_id"]
    try:
        count = await run_in_threadpool(
            functools.partial(_store().support, round_id, contribution_id, device=device[0])
        )
    except GeoError as err:
        return _refusal(err, lang, device)
    return _reply({"support": count, "message": t("ui.part.supported", lang)}, 200, device)


ROUTES = [
    Route("/m/assets/{name}", asset),
    Route("/m/{round_id}", page),
    Route("/api/rounds/{round_id}/contributions", items, methods=["GET"]),
    Route("/api/rounds/{round_id}/contributions", contribute, methods=["POST"]),
    Route("/api/rounds/{round_id}/contributions/{contribution_id:int}/support", support, methods=["POST"]),
]
