"""Compact map payload: round trip, shared borders, no lost feature, escaping, size."""

from __future__ import annotations

import html
import json

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st

from geo.maps.build import asset_links, use_local_assets
from geo.maps.display import display_frame
from geo.maps.fastlayer import CompactLayer, payload_json
from geo.maps.payload import (
    METRIC_CRS,
    auto_tolerance,
    decode_layer,
    encode_layer,
    grid_step,
    pack_counts,
    pack_deltas,
    unpack_counts,
    unpack_deltas,
)
from geo.maps.tilecache import publish_text
from geo.store import LayerInfo


def _info(name: str = "name", category: str = "typ", kind: str = "other") -> LayerInfo:
    return LayerInfo(
        id="test", title="Test", kind=kind, source_file="", source_crs="", feature_count=0,
        bbox=(0, 0, 0, 0), attribution="", created_at="", updated_at="", version=1,
        roles={"name": name, "category": category},
    )  # fmt: skip


def _frame(geoms: list, crs: str = "EPSG:4326", names: list | None = None) -> gpd.GeoDataFrame:
    n = len(geoms)
    return gpd.GeoDataFrame(
        {
            "fid": range(n),
            "name": names or [f"f{i}" for i in range(n)],
            "category": ["a", "b"] * (n // 2) + ["a"] * (n % 2),
        },
        geometry=geoms,
        crs=crs,
    )


def _coverage(cols: int = 6, rows: int = 5) -> gpd.GeoDataFrame:
    """Cells between wiggly borders (a vertex every 20 m), noded once: a coverage worth simplifying."""
    x0, y0, size = 600_000, 5_700_000, 5_000
    t = np.linspace(0, 1, 1 + size * max(cols, rows) // 20)
    lines = [shapely.box(x0, y0, x0 + cols * size, y0 + rows * size).boundary]
    for i in range(1, cols):
        ys = y0 + t * rows * size
        lines.append(shapely.LineString(np.column_stack([x0 + i * size + 300 * np.sin(ys / 700), ys])))
    for j in range(1, rows):
        xs = x0 + t * cols * size
        lines.append(shapely.LineString(np.column_stack([xs, y0 + j * size + 300 * np.sin(xs / 900)])))
    cells = shapely.get_parts(shapely.polygonize(shapely.get_parts(shapely.union_all(lines))))
    assert len(cells) == cols * rows and shapely.coverage_is_valid(cells)
    return _frame(list(cells), crs=METRIC_CRS)


def _metric(gdf: gpd.GeoDataFrame) -> np.ndarray:
    return shapely.make_valid(gdf.to_crs(METRIC_CRS).geometry.values)


def _assert_gap_and_overlap_free(geoms: np.ndarray, rel: float = 1e-6) -> None:
    union = shapely.union_all(geoms).area
    assert shapely.area(geoms).sum() == pytest.approx(union, rel=rel)


@given(st.lists(st.integers(min_value=-(2**40), max_value=2**40), max_size=200))
def test_delta_varints_round_trip(values):
    assert unpack_deltas(pack_deltas(np.array(values, dtype=np.int64))).tolist() == values
    counts = [abs(v) for v in values]
    assert unpack_counts(pack_counts(np.array(counts, dtype=np.int64))).tolist() == counts


def test_mixed_geometry_types_round_trip_within_the_grid():
    hole = shapely.Polygon(
        [(11.70, 51.80), (11.80, 51.80), (11.80, 51.90), (11.70, 51.90)],
        [[(11.73, 51.83), (11.77, 51.83), (11.77, 51.87), (11.73, 51.87)]],
    )
    geoms = [
        shapely.Point(11.6, 51.7),
        shapely.MultiPoint([(11.61, 51.71), (11.62, 51.72)]),
        shapely.LineString([(11.5, 51.7), (11.6, 51.75), (11.7, 51.71)]),
        shapely.MultiLineString(
            [[(11.5, 52.0), (11.6, 52.05)], [(11.62, 52.02), (11.7, 52.0), (11.8, 52.1)]]
        ),
        hole,
        shapely.MultiPolygon([shapely.box(11.9, 51.8, 12.0, 51.9), shapely.box(12.1, 51.8, 12.2, 51.9)]),
        shapely.GeometryCollection([shapely.Point(12.3, 51.9), shapely.box(12.3, 51.7, 12.4, 51.8)]),
        None,
    ]
    frame = _frame(geoms, names=["a &amp; b", None, "L", "ML", "&lt;img&gt;", "MP", "GC", "leer"])
    payload = json.loads(json.dumps(encode_layer(frame, tolerance_m=1)))
    back = decode_layer(payload)

    assert len(back) == len(frame)
    assert back["fid"].tolist() == list(range(len(geoms)))
    assert payload["columns"]["name"] == ["a &amp; b", None, "L", "ML", "&lt;img&gt;", "MP", "GC", "leer"]
    assert back["category"].tolist() == frame["category"].tolist()
    grid = payload["polygons"]["grid"]
    for original, decoded in zip(geoms[:-1], back.geometry[:-1], strict=True):
        assert decoded.geom_type == original.geom_type
        assert shapely.hausdorff_distance(original, decoded) <= grid
    assert back.geometry.iloc[-1] is None  # kept, just nothing to draw
    assert len(back.geometry.iloc[4].interiors) == 1


def test_coverage_simplified_without_gaps_or_overlaps():
    frame = _coverage()
    payload = encode_layer(frame, tolerance_m=200)
    back = decode_layer(payload)
    before, after = frame.geometry.values, _metric(back)
    assert len(back) == len(frame) and not shapely.is_empty(after).any()
    assert shapely.get_num_coordinates(after).sum() < shapely.get_num_coordinates(before).sum() / 5
    _assert_gap_and_overlap_free(after)
    assert shapely.union_all(after).area == pytest.approx(shapely.union_all(before).area, rel=1e-3)


def test_no_feature_lost_even_when_smaller_than_the_tolerance():
    big = shapely.box(600_000, 5_700_000, 601_000, 5_701_000)
    tiny = shapely.box(601_000, 5_700_000, 601_002, 5_700_002)
    rest = shapely.box(601_000, 5_700_002, 602_000, 5_701_000).union(
        shapely.box(601_002, 5_700_000, 602_000, 5_700_002)
    )
    back = decode_layer(encode_layer(_frame([big, tiny, rest], crs=METRIC_CRS), tolerance_m=800))
    assert len(back) == 3
    assert (shapely.area(_metric(back)) > 0).all()


def test_tolerance_and_grid_follow_the_extent():
    germany = (280_000, 5_235_000, 921_000, 6_101_000)  # EPSG:25832
    district = (640_000, 5_720_000, 690_000, 5_770_000)
    assert 500 <= auto_tolerance(germany) <= 1000
    assert 20 <= auto_tolerance(district) <= 50
    assert grid_step(auto_tolerance(district)) == pytest.approx(1e-5)  # about 1 m
    assert grid_step(auto_tolerance(germany)) == pytest.approx(1e-4)


def test_extra_columns_and_dictionary_encoding():
    n = 20
    frame = _frame([shapely.Point(11 + i / 100, 51) for i in range(n)])
    frame["EWZ"] = np.arange(n) * 1000 + 7
    frame["score"] = [0.5] * (n - 1) + [np.nan]
    frame["beginn"] = pd.Timestamp("2025-05-01 18:00")
    payload = encode_layer(frame, columns=["EWZ", "score", "beginn"])
    assert set(payload["columns"]) == {"fid", "name", "category", "EWZ", "score", "beginn"}
    assert "dict" in payload["columns"]["category"]  # two values for twenty features
    back = decode_layer(json.loads(json.dumps(payload)))
    assert back["EWZ"].tolist() == frame["EWZ"].tolist()
    assert back["score"].iloc[-1] is None or np.isnan(back["score"].iloc[-1])
    assert back["beginn"].iloc[0] == "2025-05-01T18:00:00"


def test_embedded_payload_cannot_close_the_script_tag():
    text = payload_json({"columns": {"name": ["</script><script>alert(1)</script>", "a\u2028b"]}})
    assert "<" not in text and "\u2028" not in text
    assert json.loads(text)["columns"]["name"][0].startswith("</script>")


def test_compact_layer_escapes_title_and_loads_only_local_script():
    m = use_local_assets(folium.Map(tiles=None))
    gdf = gpd.GeoDataFrame({"name": ["<b>x</b>"], "typ": ["a"]}, geometry=[shapely.Point(11, 51)], crs=4326)
    payload = encode_layer(display_frame(gdf, _info()))
    CompactLayer(payload, "<i>Titel</i>", {"a": "#000"}, attribution="<script>").add_to(m)
    folium.LayerControl().add_to(m)
    page = m.get_root().render()
    assert "<i>Titel</i>" not in page and html.escape("<i>Titel</i>") in page.replace("\\u0026", "&")
    assert "<b>x</b>" not in page and '<script>"' not in page
    links = asset_links(m)
    assert any("app/static/js/compact_layer.js?v=" in link for link in links)
    assert not [link for link in links if "://" in link or link.startswith("//")]


def test_published_file_is_atomic_idempotent_and_named_safely(tmp_path):
    text = payload_json(encode_layer(_frame([shapely.Point(11, 51)])))
    name = publish_text(text, "../Böse Ebene/x", 3, tmp_path)
    assert name == publish_text(text, "../Böse Ebene/x", 3, tmp_path)
    files = list(tmp_path.iterdir())
    assert [f.name for f in files] == [name]
    assert name.startswith("b-se-ebene-x-v3-") and name.endswith(".json")
    assert files[0].read_text(encoding="utf-8") == text


def test_salzlandkreis_gemeinden_compact_and_gap_free(shared_data):
    gdf = gpd.read_file(
        shared_data / "boundaries" / "salzlandkreis_demo_25832.gpkg", layer="gemeinden_vg5000"
    )
    frame = display_frame(gdf, _info("GEN", "BEZ", "municipalities"))
    payload = encode_layer(frame)
    size = len(payload_json(payload).encode())
    dates = [c for c in gdf.columns if pd.api.types.is_datetime64_any_dtype(gdf[c])]
    naive = len(gdf.to_crs(4326).astype(dict.fromkeys(dates, str)).to_json().encode())
    assert 20 <= payload["tolerance"] <= 50
    assert size <= 5_000 and naive / size >= 8, (size, naive)
    back = decode_layer(payload)
    assert len(back) == len(gdf) == 21
    assert set(back["name"]) == {html.escape(n) for n in gdf["GEN"]}
    _assert_gap_and_overlap_free(_metric(back))


def test_invalid_vg5000_gemeinden_repaired_not_dropped(shared_data):
    gdf = gpd.read_file(shared_data / "boundaries" / "de_vg5000_2021_ebenen_25832.gpkg", layer="vg5000_gem")
    bad = gdf.geometry[~gdf.is_valid].values
    assert len(bad) == 3
    near = np.unique(shapely.STRtree(gdf.geometry.values).query(bad, predicate="intersects")[1])
    subset = gdf.iloc[near].reset_index(drop=True)
    back = decode_layer(encode_layer(display_frame(subset, _info("GEN", "BEZ", "municipalities"))))
    assert len(back) == len(subset)
    geoms = _metric(back)
    assert (shapely.area(geoms) > 0).all()
    _assert_gap_and_overlap_free(geoms, rel=1e-5)


def test_invalid_and_degenerate_polygons_repaired_or_kept():
    bowtie = shapely.Polygon([(11.0, 51.0), (11.1, 51.1), (11.1, 51.0), (11.0, 51.1)])
    flat = shapely.Polygon([(11.2, 51.0), (11.3, 51.0), (11.4, 51.0), (11.2, 51.0)])
    back = decode_layer(encode_layer(_frame([bowtie, flat, shapely.box(11.5, 51.0, 11.6, 51.1)])))
    assert len(back) == 3 and back.geometry.notna().all()
    assert back.geometry.iloc[0].area == pytest.approx(shapely.make_valid(bowtie).area, rel=0.01)
