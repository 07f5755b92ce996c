"""pygeoapi's feature provider over the project's store interfaces (`LayerStore`, `RoundStore`).

pygeoapi instantiates a provider per request from its configuration, so the store itself is
looked up by location in a registry the service fills, and stored layer versions (immutable)
are kept in a small cache: paging through 10,000 features reads the version once. A
participation round is read afresh on every request, so moderation takes effect at once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import geopandas as gpd
import numpy as np
from pygeoapi.provider.base import (
    BaseProvider,
    ProviderInvalidQueryError,
    ProviderItemNotFoundError,
    ProviderQueryError,
)

from geo.errors import GeoError, LayerNotFoundError
from geo.ogc import features as ft
from geo.participation.rounds import contributions_frame, export_frame
from geo.store import Store

_STORES: dict[str, Store] = {}
_CACHE_SIZE = 8
_frames: OrderedDict[tuple, gpd.GeoDataFrame] = OrderedDict()
_lock = threading.Lock()


def register_store(store: Store) -> str:
    """Make `store` reachable for providers; returns the key the configuration names."""
    _STORES[store.location] = store
    return store.location


def layer_frame(store: Store, layer_id: str, version: int) -> gpd.GeoDataFrame:
    """A stored layer version (read once, then from the cache; versions never change)."""
    key = (store.location, layer_id, version)
    with _lock:
        if key in _frames:
            _frames.move_to_end(key)
            return _frames[key]
    frame = store.read(layer_id, version)
    frame.sindex  # noqa: B018 - built once here, not by the first bbox query of each request
    with _lock:
        _frames[key] = frame
        while len(_frames) > _CACHE_SIZE:
            _frames.popitem(last=False)
    return frame


def round_frame(store: Store, round_id: str) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """A round's visible contributions (no device data), with their ids as feature ids."""
    visible = store.list_contributions(round_id)  # hidden and deleted ones are left out
    frame = export_frame(contributions_frame(visible))
    ids = frame["id"].to_numpy(dtype="int64")
    return frame.drop(columns="id"), ids


def published_frame(store: Store, source: dict) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """The frame a collection publishes and its feature ids (1-based rows for layers)."""
    if "round" in source:
        return round_frame(store, source["round"])
    frame = layer_frame(store, source["layer"], int(source["version"]))
    return frame, np.arange(1, len(frame) + 1, dtype="int64")


class StoreProvider(BaseProvider):
    """One published layer or round as pygeoapi feature provider (read-only)."""

    def __init__(self, provider_def: dict) -> None:
        super().__init__(provider_def)
        self.storage_crs = provider_def["storage_crs"]
        self._source = provider_def["source"]
        self._time = provider_def.get("time_columns")
        try:
            self._frame, self._ids = published_frame(_STORES[self.data], self._source)
        except LayerNotFoundError as err:  # deleted since the configuration was made
            raise ProviderItemNotFoundError(user_msg=err.message("en")) from err
        except GeoError as err:
            raise ProviderQueryError(user_msg=err.message("en")) from err
        self._fields = ft.field_types(self._frame)

    def get_fields(self) -> dict:
        return self._fields

    def query(
        self,
        offset=0,
        limit=10,
        resulttype="results",
        bbox=None,
        datetime_=None,
        properties=None,
        sortby=None,
        select_properties=None,
        skip_geometry=False,
        crs_transform_spec=None,
        q=None,
        filterq=None,
        **kwargs,
    ) -> dict:
        """A page of the matching features, with the total count (``numberMatched``)."""
        if filterq is not None:
            raise ProviderInvalidQueryError(user_msg="CQL filters are not supported; use property=value")
        query = ft.Query(
            offset=int(offset),
            limit=int(limit),
            bbox=ft.bbox_in_storage(bbox, self._frame.crs) if bbox else None,
            datetime=datetime_ if self._time else None,
            properties=tuple(properties or ()),
            sortby=tuple((s["property"], s["order"]) for s in sortby or ()),
            select=tuple(select_properties or ()),
            q=q,
            skip_geometry=bool(skip_geometry),
            target_wkt=crs_transform_spec.target_crs_wkt if crs_transform_spec else None,
        )
        rows = ft.select_rows(self._frame, query, tuple(self._time) if self._time else None)
        page = rows[query.offset : query.offset + query.limit]
        collection = {
            "type": "FeatureCollection",
            "numberMatched": len(rows),
            "numberReturned": 0 if resulttype == "hits" else len(page),
            "features": [],
        }
        if resulttype != "hits":
            collection["features"] = ft.features(self._frame, self._ids, page, query)
        return collection

    def get(self, identifier, crs_transform_spec=None, **kwargs) -> dict:
        """One feature by its id."""
        try:
            rows = np.flatnonzero(self._ids == int(identifier))
        except (TypeError, ValueError):
            rows = np.array([], dtype="int64")
        if not len(rows):
            raise ProviderItemNotFoundError(user_msg=f"no feature {identifier!s:.40}")
        target = crs_transform_spec.target_crs_wkt if crs_transform_spec else None
        feature = ft.features(self._frame, self._ids, rows, ft.Query(target_wkt=target))[0]
        position = int(rows[0])  # pygeoapi links the neighbours from "prev"/"next"
        if position > 0:
            feature["prev"] = int(self._ids[position - 1])
        if position < len(self._ids) - 1:
            feature["next"] = int(self._ids[position + 1])
        return feature

    def __repr__(self) -> str:
        return f"<StoreProvider> {self._source}"
