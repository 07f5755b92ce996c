"""The light phone path of a participation round: a small page of its own and a JSON API.

A phone at a forum loads one HTML page, the app's own Leaflet and a small script (about
170 KB before compression, instead of Streamlit's ~3 MB front end) and posts to plain HTTP
endpoints. No websocket, no session: any replica behind the proxy answers any request. The
rules are the store's (`RoundStore.contribute`/`support`: time, extent, rate limits per device
and per client address, cap, bursts held for moderation, join code, one "+1" per device,
request ids against duplicates), the same as on the Streamlit page. A device is the
server-signed ``sr_device`` token (`geo.participation.devices`): the page issues it, and a
send without one is refused (an invented or altered cookie is no device). User
text only ever reaches the page as JSON rendered with ``textContent``; the page's own values
are HTML-escaped. The projector view stays in Streamlit.
"""

from __future__ import annotations

import functools
import json

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from geo import clock
from geo.config import REPO_ROOT, load_settings
from geo.errors import GeoError
from geo.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from geo.maps.assets import LEAFLET_CSS, LEAFLET_JS, source_path
from geo.participation.devices import COOKIE, device_cookie, device_id, new_device_token
from geo.security.addresses import client_key
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


class Device:
    """Who a phone request comes from: its verified device id (None: no token from us) and
    address key, plus a fresh token to give it when it had none."""

    def __init__(self, request: Request) -> None:
        now = clock.timestamp()
        self.id = device_id(request.cookies.get(COOKIE), now)
        self.new_token = None if self.id else new_device_token(now)
        self.address = client_key(request.client.host if request.client else "")
        self.secure = request.url.scheme == "https"

    def known(self) -> str:
        """The device id for a send; a phone without a server token is refused (it gets one)."""
        if self.id is None:
            raise GeoError("err.part_no_device")
        return self.id

    def viewer(self) -> str:
        """The id to read "+1"s and admission with: the new token's id for a new phone."""
        return self.id or device_id(self.new_token, clock.timestamp()) or ""

    def give(self, response: Response) -> Response:
        if self.new_token:
            response.headers.append("set-cookie", device_cookie(self.new_token, self.secure))
        return response


def request_device(request: Request) -> Device:
    """The one place the phone path decides who a device is (the Streamlit pages use
    `webui.client.device`; both verify the same server-signed token)."""
    return Device(request)


def _lang(request: Request) -> str:
    value = request.query_params.get("lang", load_settings().language or DEFAULT_LANGUAGE)
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def _reply(body: dict, status: int, device: Device) -> Response:
    return device.give(
        JSONResponse(body, status_code=status, headers={**_HEADERS, "Cache-Control": "no-store"})
    )


_STATUS = {
    "err.part_round_not_found": 404,
    "err.part_contribution_not_found": 404,
    "err.part_rate_limit": 429,
    "err.part_address_limit": 429,
    "err.part_support_address_limit": 429,
    "err.part_busy": 429,
    "err.part_no_device": 403,
    "err.part_code_required": 403,
    "err.phone_bad_request": 400,
    "err.part_already_supported": 409,
}


def _refusal(err: GeoError, lang: str, device: Device) -> Response:
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


def _admit(store: RoundStore, round_id: str, device: str, code: str) -> tuple[bool, str]:
    """Whether the phone may send (a round with join code: after the code from the QR link or
    the page's form); with the refusal's key when a code was given and did not fit."""
    if store.admitted(round_id, device):
        return True, ""
    if not code:
        return False, ""
    try:
        store.join_round(round_id, device=device, code=code)
    except GeoError as err:
        return False, err.key
    return True, ""


async def page(request: Request) -> Response:
    """GET /m/<round>[?code=…]: the phone page (also for ended rounds: it says so); a round
    that requires its join code shows the code field until the phone entered the code."""
    lang, device, store = _lang(request), request_device(request), _store()
    round_id, code = request.path_params["round_id"], request.query_params.get("code", "")[:12]
    try:
        rnd = await run_in_threadpool(store.get_round, round_id)
        admitted, refusal = await run_in_threadpool(_admit, store, round_id, device.viewer(), code)
    except GeoError as err:
        return HTMLResponse(page_html(None, lang, err.message(lang)), status_code=404, headers=_HEADERS)
    body = page_html(
        rnd,
        lang,
        basemap=request.query_params.get("basemap"),
        join=None if admitted else (t(refusal, lang) if refusal else ""),
    )
    headers = {**_HEADERS, "Content-Security-Policy": _policy(request), "Cache-Control": "no-cache"}
    return device.give(HTMLResponse(body, headers=headers))


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
            "supported": sorted(store.supported_by(round_id, device.viewer())),
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
                device=device.known(),
                address=device.address,
                request_id=str(data.get("request_id") or "")[:64] or None,
            )
        )
    except GeoError as err:
        return _refusal(err, lang, device)
    thanks = t("ui.part.held_thanks" if item.held else "ui.part.thanks", lang)
    return _reply({"id": item.id, "message": thanks}, 201, device)


async def support(request: Request) -> JSONResponse:
    """POST /api/rounds/<round>/contributions/<id>/support: this device's "+1" (once)."""
    lang, device = _lang(request), request_device(request)
    round_id, contribution_id = request.path_params["round_id"], request.path_params["contribution_id"]
    try:
        count = await run_in_threadpool(
            functools.partial(
                _store().support, round_id, contribution_id, device=device.known(), address=device.address
            )
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
