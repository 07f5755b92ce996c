"""The OGC API – Features service as a Starlette app, mounted at ``/ogc`` by `webui.server`.

pygeoapi does the API (landing page, collections, items, HTML and JSON, CRS, paging); this
module only routes requests to it with a configuration made from the store. The
configuration is remade when the store's layers or rounds change (checked per request: two
small catalogue queries) and per base URL, so links follow the host and port clients use.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from http import HTTPStatus
from pathlib import Path

import pygeoapi
import pygeoapi.api as core_api
import pygeoapi.api.itemtypes as itemtypes_api
from pygeoapi.api import API, F_HTML, APIRequest
from pygeoapi.openapi import get_oas
from pygeoapi.util import render_j2_template, to_json
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from geo.maps.assets import VENDOR_NAMES, source_path
from geo.ogc.collections import revision, service_config
from geo.ogc.metadata import dcat_record
from geo.store import Store

LOGGER = logging.getLogger(__name__)
PYGEOAPI_STATIC = Path(pygeoapi.__file__).parent / "static"
_MAX_APIS = 8  # one per base URL clients use (localhost, the LAN address, the proxy's name)

# What this service implements (pygeoapi's own list also claims transactions and CQL).
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-common-2/1.0/conf/collections",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
]


def landing_page(api: API, request: APIRequest) -> tuple[dict, int, str]:
    """pygeoapi's landing page without links to APIs this service does not offer."""
    headers, status, content = core_api.landing_page(api, request)
    if request.format in (None, "json") and isinstance(content, str) and status == HTTPStatus.OK:
        data = json.loads(content)
        data["links"] = [link for link in data["links"] if "/ogc/1.0/" not in link["rel"]]
        content = to_json(data, api.pretty_print)
    return headers, status, content


def conformance(api: API, request: APIRequest) -> tuple[dict, int, str]:
    """The conformance classes, as pygeoapi's handlers answer (headers, status, content)."""
    headers = request.get_response_headers(**api.api_headers)
    data = {"conformsTo": CONFORMANCE}
    if request.format == F_HTML:
        content = render_j2_template(
            api.tpl_config, api.config["server"]["templates"], "conformance.html", data, request.locale
        )
        return headers, HTTPStatus.OK, content
    return headers, HTTPStatus.OK, to_json(data, api.pretty_print)


def openapi(api: API, request: APIRequest) -> tuple[dict, int, str]:
    """The OpenAPI document of the current collections (JSON only: no CDN viewer)."""
    headers = request.get_response_headers(**api.api_headers)
    headers["Content-Type"] = "application/vnd.oai.openapi+json;version=3.0"
    return headers, HTTPStatus.OK, to_json(get_oas(api.config), api.pretty_print)


def base_url(request: Request) -> str:
    """The service's URL as this client reached it (``http://host:port/ogc``)."""
    return f"{request.url.scheme}://{request.url.netloc}{request.scope.get('root_path', '')}".rstrip("/")


class Service:
    """The store's collections behind pygeoapi; one `API` per base URL and store revision."""

    def __init__(self, open_store: Callable[[], Store]) -> None:
        self._open_store = open_store
        self._store: Store | None = None
        self._apis: OrderedDict[str, tuple[tuple, API]] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = self._open_store()
        return self._store

    def api(self, base_url: str) -> API:
        """pygeoapi for `base_url`, remade when the published collections changed."""
        current = revision(self.store)
        with self._lock:
            cached = self._apis.get(base_url)
            if cached and cached[0] == current:
                self._apis.move_to_end(base_url)
                return cached[1]
        api = API(service_config(self.store, base_url), {})
        with self._lock:
            self._apis[base_url] = (current, api)
            while len(self._apis) > _MAX_APIS:
                self._apis.popitem(last=False)
        return api

    async def call(self, request: Request, handler: Callable, *args: str, check: bool = True) -> Response:
        """Run a pygeoapi handler in a worker thread and turn its answer into a response."""
        api = await run_in_threadpool(self.api, base_url(request))
        api_request = await APIRequest.from_starlette(request, api.locales)
        if check and not api_request.is_valid():
            headers, status, content = api.get_format_exception(api_request)
        else:
            headers, status, content = await run_in_threadpool(handler, api, api_request, *args)
        if isinstance(content, dict):
            content = json.dumps(content)
        response_type = HTMLResponse if headers.get("Content-Type") == "text/html" else Response
        response = response_type(content, status_code=status)
        response.headers.update(headers)
        return response


def _routes(service: Service) -> list:
    def route(path: str, handler: Callable, *params: str, check: bool = True) -> Route:
        async def endpoint(request: Request) -> Response:
            args = [request.path_params[p] for p in params]
            return await service.call(request, handler, *args, check=check)

        return Route(path, endpoint, methods=["GET"])

    async def metadata(request: Request) -> Response:
        record = await run_in_threadpool(
            dcat_record, service.store, request.path_params["collection_id"], base_url(request)
        )
        if record is None:
            return Response(status_code=404)
        return Response(json.dumps(record, ensure_ascii=False), media_type="application/ld+json")

    async def vendor(request: Request) -> Response:
        name = request.path_params["name"]
        return FileResponse(source_path(name)) if name in VENDOR_NAMES else Response(status_code=404)

    items = itemtypes_api
    return [
        route("/", landing_page),
        route("/conformance", conformance),
        route("/openapi", openapi),
        route("/api", openapi),
        route("/collections", core_api.describe_collections),
        route("/collections/{collection_id}", core_api.describe_collections, "collection_id"),
        route("/collections/{collection_id}/queryables", items.get_collection_queryables, "collection_id"),
        route("/collections/{collection_id}/schema", core_api.get_collection_schema, "collection_id"),
        route("/collections/{collection_id}/items", items.get_collection_items, "collection_id", check=False),
        route(
            "/collections/{collection_id}/items/{item_id}",
            items.get_collection_item,
            "collection_id",
            "item_id",
        ),
        Route("/collections/{collection_id}/metadata", metadata, methods=["GET"]),
        Route("/static/vendor/{name:path}", vendor, methods=["GET"]),
        Mount("/static", app=StaticFiles(directory=PYGEOAPI_STATIC)),
    ]


def ogc_app(open_store: Callable[[], Store]) -> Starlette:
    """The service over the store `open_store()` returns (opened on the first request).

    CORS is open for reading, as GDI-DE's download-service guidance asks: web clients on other
    hosts may load the layers.
    """
    service = Service(open_store)
    cors = Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET"], allow_headers=["*"])
    return Starlette(routes=_routes(service), middleware=[cors])
