"""`webui.warmup`: the store's layers prepared before the first visitor; a broken layer is
logged and left to the page, it never stops the server's start."""

from __future__ import annotations

import logging

import geopandas as gpd
from shapely.geometry import box

from geo.store import open_store
from webui.common import display_layer
from webui.warmup import warm_up


def test_warm_up_prepares_every_layer_and_logs_a_broken_one(tmp_path, monkeypatch, caplog):
    data = tmp_path / "data"
    store = open_store(str(data))
    areas = gpd.GeoDataFrame(
        {"GEN": ["Aschersleben", "Bernburg"], "AGS": ["15089015", "15089030"]},
        geometry=[box(11.4, 51.7, 11.6, 51.8), box(11.6, 51.7, 11.8, 51.8)],
        crs="EPSG:4326",
    )
    good = store.write(areas, title="Gemeinden", kind="municipalities", roles={"name": "GEN", "key": "AGS"})
    broken = store.write(areas, title="Kaputt", kind="other", roles={"name": "GEN"})
    for path in (data / "layers" / broken.id).glob("*.gpkg"):
        path.unlink()
    monkeypatch.setenv("SMART_REGION_DATA", str(data))

    with caplog.at_level(logging.ERROR, logger="smart_region.maps"):
        assert warm_up() == 1
    assert f"preparing layer {broken.id} v{broken.version} failed" in caplog.text

    for path in (data / "layers" / good.id).glob("*.gpkg"):
        path.unlink()  # prepared: shown from the shared cache, not read again
    assert list(display_layer(good)["name"]) == ["Aschersleben", "Bernburg"]
