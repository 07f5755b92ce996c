"""Feature filters: every combination of category, municipality and date works on the
read-only arrays pandas 3 hands out (copy-on-write), and masks are fresh arrays."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geo.maps.filters import Filters, filter_layer
from geo.store import LayerInfo


def _info(layer_id: str, kind: str, roles: dict[str, str]) -> LayerInfo:
    return LayerInfo(
        id=layer_id,
        title=layer_id,
        kind=kind,
        source_file="",
        source_crs="EPSG:25832",
        feature_count=0,
        bbox=(0, 0, 0, 0),
        attribution="",
        created_at="",
        updated_at="",
        version=1,
        roles=roles,
    )


@pytest.fixture
def offers() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "typ": ["bushaltestelle", "ladepunkt", "bushaltestelle", "carsharing"],
            "start": pd.to_datetime(["2026-01-05 10:00", "2026-02-01 00:00", "2026-03-01 00:00", None]),
        },
        geometry=[Point(1, 1), Point(5, 5), Point(11, 1), Point(15, 5)],
        crs=25832,
    )


@pytest.fixture
def areas() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"ags": ["1"]}, geometry=[box(0, 0, 10, 10)], crs=25832)


def test_filter_layer_one_category_removed(offers):
    info = _info("angebote", "mobility", {"category": "typ"})
    mask = filter_layer(offers, info, Filters({"angebote": ("bushaltestelle", "carsharing")}), None, "typ")
    assert mask.tolist() == [True, False, True, True]
    mask[0] = False  # the caller may change its mask: it is a fresh, writable array


def test_filter_layer_all_categories_removed(offers):
    info = _info("angebote", "mobility", {"category": "typ"})
    assert not filter_layer(offers, info, Filters({"angebote": ()}), None, "typ").any()


def test_filter_layer_categories_and_municipality_and_dates(offers, areas):
    info = _info("termine", "events", {"category": "typ", "start": "start"})
    filters = Filters(
        {"termine": ("bushaltestelle", "ladepunkt")}, ("1",), date(2026, 1, 1), date(2026, 2, 28)
    )
    assert filter_layer(offers, info, filters, areas, "typ").tolist() == [True, True, False, False]


def test_filter_layer_on_read_only_columns(offers, areas):
    """pandas 3 returns read-only views; a filter must never write into them."""
    frozen = offers.copy()
    for col in ("typ",):
        values = frozen[col].to_numpy().copy()
        values.setflags(write=False)
        frozen[col] = values
    info = _info("gemeinden", "municipalities", {"category": "typ"})
    mask = filter_layer(frozen, info, Filters({"gemeinden": ("ladepunkt",)}, ("1",)), areas, "typ")
    assert isinstance(mask, np.ndarray) and mask.tolist() == [False, True, False, False]
