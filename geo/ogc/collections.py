"""What the service publishes, and pygeoapi's configuration made from it.

Every layer in the store that is not in the trash, and every participation round that has
started (its visible contributions only, without device data). The configuration is made
from the store on demand, so layers added, replaced or deleted while the app runs appear
and disappear without a restart; `revision` tells when it must be made again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from geo import clock
from geo.clock import LOCAL_TZ
from geo.i18n import LANGUAGES, t
from geo.ogc import features as ft
from geo.ogc.provider import layer_frame, register_store
from geo.store import LayerInfo, Store

ROUND_PREFIX = "beteiligung_"  # "_" never occurs in layer ids, so the two cannot collide
PROVIDER = "geo.ogc.provider.StoreProvider"
TEMPLATES = Path(__file__).parent / "templates"
DEFAULT_ITEMS = 100
MAX_ITEMS = 10_000
# Licences named in attribution texts (BKG's dl-de, Creative Commons, ODbL) → their pages.
LICENCES = (
    (re.compile(r"dl-de/by-2[-.]0", re.I), "Datenlizenz Deutschland – Namensnennung – 2.0",
     "https://www.govdata.de/dl-de/by-2-0"),
    (re.compile(r"dl-de/zero-2[-.]0", re.I), "Datenlizenz Deutschland – Zero – 2.0",
     "https://www.govdata.de/dl-de/zero-2-0"),
    (re.compile(r"CC[ -]BY[ -]4\.0", re.I), "CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    (re.compile(r"CC0", re.I), "CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    (re.compile(r"ODbL|OpenStreetMap", re.I), "ODbL 1.0", "https://opendatacommons.org/licenses/odbl/1-0/"),
)  # fmt: skip


@dataclass(frozen=True)
class Published:
    """One collection of the service: a layer version or a round."""

    id: str
    title: str
    kind: str
    attribution: str
    updated_at: str  # ISO 8601
    bbox: tuple[float, float, float, float]  # lon/lat
    storage_crs: str  # e.g. "EPSG:25832"
    feature_count: int | None
    source: dict = field(default_factory=dict)  # {"layer": id, "version": n} or {"round": id}
    time_columns: tuple[str, str | None] | None = None


def licence(attribution: str) -> tuple[str, str] | None:
    """(name, URL) of the licence an attribution text names, if we know it."""
    for pattern, name, url in LICENCES:
        if pattern.search(attribution or ""):
            return name, url
    return None


def _layer(info: LayerInfo) -> Published:
    start, end = info.roles.get("start"), info.roles.get("end")
    return Published(
        id=info.id,
        title=info.title,
        kind=info.kind,
        attribution=info.attribution,
        updated_at=info.updated_at,
        bbox=tuple(info.bbox),
        storage_crs=info.source_crs or "EPSG:4326",
        feature_count=info.feature_count,
        source={"layer": info.id, "version": info.version},
        time_columns=(start, end) if info.kind == "events" and start else None,
    )


def published(store: Store) -> list[Published]:
    """Layers not in the trash, then the rounds that have started."""
    items = [_layer(info) for info in store.list_layers()]
    now = clock.now()
    for rnd in store.list_rounds():
        if rnd.status(now) == "planned":
            continue
        items.append(
            Published(
                id=f"{ROUND_PREFIX}{rnd.id}",
                title=rnd.question,
                kind="participation",
                attribution="",
                updated_at=rnd.created_at,
                bbox=tuple(rnd.bbox),
                storage_crs="EPSG:4326",
                feature_count=None,
                source={"round": rnd.id},
            )
        )
    return items


def revision(store: Store) -> tuple:
    """Changes whenever the published collections or their metadata change."""
    now = clock.now()
    layers = tuple((i.id, i.version, i.updated_at) for i in store.list_layers())
    rounds = tuple((r.id, r.closed, r.status(now)) for r in store.list_rounds())
    return layers, rounds


def _texts(key: str, **params: object) -> dict[str, str]:
    return {lang: t(key, lang, **params) for lang in LANGUAGES}


def _temporal(store: Store, item: Published) -> dict:
    """The events' first start and last end, as UTC instants."""
    frame = layer_frame(store, item.source["layer"], item.source["version"])
    start, end = item.time_columns
    first = pd.to_datetime(frame[start], errors="coerce")
    last = pd.to_datetime(frame[end], errors="coerce").fillna(first) if end else first
    if first.isna().all():
        return {}

    def utc(stamp: pd.Timestamp) -> datetime:
        stamp = stamp if stamp.tzinfo else stamp.tz_localize(LOCAL_TZ)
        return stamp.tz_convert(UTC).to_pydatetime()

    return {"temporal": {"begin": utc(first.min()), "end": utc(last.max())}}


def _links(item: Published, base_url: str) -> list[dict]:
    links = [
        {
            "type": "application/ld+json",
            "rel": "describedby",
            "title": _texts("ogc.metadata_link"),
            "href": f"{base_url}/collections/{item.id}/metadata",
        }
    ]
    named = licence(item.attribution)
    if named:
        links.append({"type": "text/html", "rel": "license", "title": named[0], "href": named[1]})
    return links


def resource(store: Store, item: Published, base_url: str) -> dict:
    """pygeoapi's resource entry of one collection."""
    storage = ft.crs_uri(item.storage_crs)
    kind = t(f"kind.{item.kind}", "de") if item.kind != "participation" else "Beteiligung"
    extents: dict = {"spatial": {"bbox": list(item.bbox), "crs": ft.CRS84}}
    if item.time_columns:
        extents.update(_temporal(store, item))
    description = {
        lang: t(
            "ogc.collection_description",
            lang,
            kind=t(f"kind.{item.kind}", lang) if item.kind != "participation" else t("ogc.round", lang),
            attribution=item.attribution or t("ogc.no_attribution", lang),
            updated=item.updated_at,
        )
        for lang in LANGUAGES
    }
    return {
        "type": "collection",
        "title": item.title,
        "description": description,
        "keywords": [kind, item.kind],
        "links": _links(item, base_url),
        "extents": extents,
        "providers": [
            {
                "type": "feature",
                "name": PROVIDER,
                "data": register_store(store),
                "source": item.source,
                "id_field": "id",
                "title_field": None,
                "storage_crs": storage,
                "crs": ft.supported_crs(storage),
                "time_columns": list(item.time_columns) if item.time_columns else None,
            }
        ],
    }


def service_config(store: Store, base_url: str) -> dict:
    """pygeoapi's whole configuration: server, metadata and one resource per collection."""
    resources = {item.id: resource(store, item, base_url) for item in published(store)}
    return {
        "server": {
            "bind": {"host": "127.0.0.1", "port": 0},
            "url": base_url,
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "languages": list(LANGUAGES),
            "limits": {"default_items": DEFAULT_ITEMS, "max_items": MAX_ITEMS},
            "map": {"url": "", "attribution": ""},  # no basemap: no third-party requests
            "templates": {"path": str(TEMPLATES)},
            "pretty_print": False,
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": _texts("ogc.service_title"),
                "description": _texts("ogc.service_description"),
                "keywords": ["Smart Region", "OGC API Features", "GDI-DE"],
                "keywords_type": "theme",
                "terms_of_service": "",
                "url": base_url,
            },
            "license": {"name": _texts("ogc.licence_per_collection"), "url": base_url + "/collections"},
            "provider": {"name": "Smart-Region-Dashboard", "url": base_url},
            "contact": {"name": "", "position": "", "email": "", "url": base_url, "role": "pointOfContact"},
        },
        "resources": resources,
    }
