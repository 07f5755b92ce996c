"""Layers from web services: OGC API – Features and WFS, read by GDAL's OAPIF and WFS drivers.

A service URL takes the place of a file: `list_service_layers` lists its collections,
`read_service` reads one through the same cleanup and report as an uploaded file, and
`geo.imports.save` stores it on the one write path. Only http(s) addresses are accepted, and
the address goes to GDAL only behind its driver prefix, never as a path. A service that does not
answer, or answers but is no WFS or OGC API, ends in one readable `GeoError`.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import urlsplit

import geopandas as gpd
import pyogrio
import pyogrio.errors

from geo.errors import GeoError
from geo.imports.cleaning import parse_crs
from geo.imports.formats import clean_layer
from geo.imports.report import ImportedLayer

TIMEOUT_S = 30
MAX_URL_CHARS = 2000
PAGE_SIZE = "1000"  # features per OGC API request (GDAL's default of 10 makes large layers slow)
_OGR_ERRORS = (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError)
_GDAL_HTTP = {"GDAL_HTTP_TIMEOUT": str(TIMEOUT_S), "GDAL_HTTP_MAX_RETRY": "0"}


def is_service_url(text: object) -> bool:
    """Whether an import source names a web service rather than a file."""
    return str(text).strip().lower().startswith(("http://", "https://"))


def shown_url(url: str) -> str:
    """The address as messages and reports show it: printable, at most 200 characters."""
    text = "".join(ch for ch in str(url) if ch.isprintable()).strip()
    return text if len(text) <= 200 else text[:199] + "…"


def checked_url(text: object) -> str:
    """An http(s) address with a host and no spaces or control characters."""
    url = str(text).strip()
    parts = urlsplit(url)
    clean = all(ch.isprintable() and not ch.isspace() for ch in url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or not clean:
        raise GeoError("err.service_bad_url", url=shown_url(url))
    if len(url) > MAX_URL_CHARS:
        raise GeoError("err.service_bad_url", url=shown_url(url))
    return url


def _probe(url: str) -> None:
    """Refuse an address nothing answers at, before GDAL's vaguer errors."""
    request = urllib.request.Request(url, headers={"Accept": "application/json, application/xml"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S):  # noqa: S310 - http(s) checked
            return
    except urllib.error.HTTPError:
        return  # a server answered; whether it is a service, GDAL finds out
    except OSError as exc:  # URLError and timeouts are OSErrors
        reason = getattr(exc, "reason", exc)
        raise GeoError(
            "err.service_unreachable", detail=repr(exc), url=shown_url(url), reason=str(reason)
        ) from None


def _candidates(url: str) -> list[str]:
    """GDAL dataset names to try: WFS first when the address says so, else OGC API first."""
    if "wfs" in url.lower():
        return [f"WFS:{url}", f"OAPIF:{url}"]
    return [f"OAPIF:{url}", f"WFS:{url}"]


def _open(url: str) -> tuple[str, list[tuple[str, str]]]:
    """The dataset name that works and its (layer, geometry type) pairs."""
    url = checked_url(url)
    _probe(url)
    pyogrio.set_gdal_config_options(_GDAL_HTTP)
    errors = []
    for dataset in _candidates(url):
        try:
            layers = pyogrio.list_layers(dataset)
        except _OGR_ERRORS as exc:
            errors.append(str(exc))
            continue
        return dataset, [(str(name), str(geometry or "")) for name, geometry in layers]
    raise GeoError("err.service_not_ogc", detail="; ".join(errors), url=shown_url(url))


def list_service_layers(url: str) -> list[dict]:
    """The service's layers, shaped like `formats.list_source_layers` (counts unknown: None)."""
    _, layers = _open(url)
    return [
        {"name": name, "geometry_type": geometry or None, "features": None, "spatial": bool(geometry)}
        for name, geometry in layers
    ]


def _chosen(url: str, layers: list[tuple[str, str]], layer: str | None) -> str:
    names = [name for name, _ in layers]
    if layer is None and len(names) == 1:
        return names[0]
    if layer is None:
        raise GeoError("err.service_choose_layer", url=shown_url(url), available=", ".join(names))
    if layer not in names:
        raise GeoError(
            "err.service_layer_unknown", url=shown_url(url), layer=layer, available=", ".join(names)
        )
    return layer


def _read(dataset: str, layer: str, url: str) -> tuple[gpd.GeoDataFrame, dict]:
    options = {"PAGE_SIZE": PAGE_SIZE} if dataset.startswith("OAPIF:") else {}
    try:
        gdf = pyogrio.read_dataframe(dataset, layer=layer, on_invalid="fix", **options)
        info = pyogrio.read_info(dataset, layer=layer, **options)
    except _OGR_ERRORS as exc:
        raise GeoError(
            "err.service_read_failed", detail=str(exc), url=shown_url(url), layer=layer, reason=str(exc)[:200]
        ) from None
    return gdf, info


def read_service(url: str, *, layer: str | None = None, crs: str | int | None = None) -> list[ImportedLayer]:
    """One layer of the service (`layer`, or the only one), cleaned like an uploaded file.

    The layer keeps the service's storage CRS where it advertises one (OGC API Part 2), so a
    layer published by this app comes back in the CRS it was stored in.
    """
    dataset, layers = _open(url)
    name = _chosen(url, layers, layer)
    gdf, info = _read(dataset, name, url)
    if gdf.crs is not None and gdf.crs.equals("OGC:CRS84"):  # GDAL's name for lon/lat WGS 84
        gdf = gdf.set_crs("EPSG:4326", allow_override=True)
    target = parse_crs(crs) if crs not in (None, "") else None
    item = clean_layer(gdf, shown_url(url), name, target)
    title = (info.get("layer_metadata") or {}).get("TITLE")
    if title:
        item.suggestion["title"] = " ".join(str(title).split())[:200]
    return [item]
