"""Routes serving the map caches of `geo.maps.tilecache` from the data directory.

``/map-cache/<file>.json`` (a compact payload) and ``/map-cache/<file>.pmtiles/{z}/{x}/{y}.pbf``
(one vector tile). A file is served only while its layer version is the current one of a
layer outside the trash (security finding 6); any other request for a cache file is refused
and the stale files are removed. Names are matched against the files' own pattern, never
used as paths unchecked. File names carry version and content digest, so responses are
immutable for browsers.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from geo.config import load_settings
from geo.maps.tilecache import cache_dir, is_public, prune, read_tile
from geo.store import open_store

_IMMUTABLE = "public, max-age=31536000, immutable"
_stores: dict[str, object] = {}  # one store (pool) per location, opened on the first request


def _live_file(name: str):
    """The cache file `name` if it is public, else None (and stale files are pruned)."""
    settings = load_settings()
    store = _stores.get(settings.store)
    if store is None:
        store = _stores[settings.store] = open_store(settings.store)
    layers = store.list_layers()
    folder = cache_dir(settings.data)
    if is_public(name, layers) and (folder / name).is_file():
        return folder / name
    prune(folder, layers)
    return None


async def payload(request: Request) -> Response:
    name = request.path_params["name"]
    path = await run_in_threadpool(_live_file, name) if name.endswith(".json") else None
    if path is None:
        return Response("Not Found", status_code=404, media_type="text/plain")
    return FileResponse(path, media_type="application/json", headers={"cache-control": _IMMUTABLE})


async def tile(request: Request) -> Response:
    p = request.path_params
    path = await run_in_threadpool(_live_file, p["name"]) if p["name"].endswith(".pmtiles") else None
    if path is None:
        return Response("Not Found", status_code=404, media_type="text/plain")
    data, gzipped = await run_in_threadpool(read_tile, path, p["z"], p["x"], p["y"])
    headers = {"cache-control": _IMMUTABLE}
    if gzipped:
        headers["content-encoding"] = "gzip"
    return Response(data, media_type="application/vnd.mapbox-vector-tile", headers=headers)


ROUTES = [
    Route("/map-cache/{name}", payload, methods=["GET"]),
    Route("/map-cache/{name}/{z:int}/{x:int}/{y:int}.pbf", tile, methods=["GET"]),
]
