"""Cleanup every import goes through: geometry repair and reduction, safe attribute values."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import shapely

from geo.imports.cleaning import clean_attributes, clean_geometries
from geo.imports.formats import ImportReport, json_default


def test_geometry_cleanup_repairs_and_reduces():
    gdf = gpd.GeoDataFrame(
        {"n": range(5)},
        geometry=[
            shapely.from_wkt("POLYGON ((0 0, 2 2, 2 0, 0 2, 0 0))"),  # bow-tie → repaired
            shapely.from_wkt("POLYGON ((0 0, 1 1, 2 2, 0 0))"),  # collapses to a line → dropped
            shapely.from_wkt("GEOMETRYCOLLECTION (POINT (5 5), POLYGON ((0 0, 1 0, 1 1, 0 0)))"),
            None,
            shapely.from_wkt("POINT EMPTY"),
        ],
    )
    report = ImportReport("t.gpkg", "t")
    out = clean_geometries(gdf, report)
    assert list(out["n"]) == [0, 2] and report.repaired == 1
    assert report.dropped == {
        "drop.null_geometry": 1,
        "drop.empty_geometry": 1,
        "drop.invalid_after_repair": 1,
    }
    assert list(out.geom_type) == ["MultiPolygon", "Polygon"]


def test_attribute_cleanup_makes_values_safe():
    gdf = gpd.GeoDataFrame(
        {" a ": [b"\x00\x01", None], "": [{"k": 1}, [1, 2]], "A": ["x", "y"], "geometry_x": [1, 2]},
        geometry=gpd.points_from_xy([0, 1], [0, 1]),
    )
    gdf["d"] = pd.Series([pd.Timestamp("2024-01-01").date(), None], dtype=object)
    report = ImportReport("t.csv", "t")
    out = clean_attributes(gdf, report)
    assert list(out.columns) == ["a", "spalte_2", "A_2", "geometry_x", "d", "geometry"]
    assert out["a"].iloc[0] == "AAE=" and out["spalte_2"].tolist() == ['{"k": 1}', "[1, 2]"]
    assert pd.api.types.is_datetime64_any_dtype(out["d"])
    assert report.warnings[0][0] == "warn.columns_renamed"
    json.loads(out.to_json(default=json_default))
