"""The OGC API – Features service at /ogc of the running app, read by real clients.

One app server (``python -m webui.serve``, as `make run` starts it) on a store with the demo
layers and the 10,997 German Gemeinden imported from ../shared/data. OWSLib and GDAL's OAPIF
driver read every feature back with paging and compare counts (with `geo list`), attributes and
coordinates (1 cm) in EPSG:4326 and 25832; the CLI imports from the service's URL (round trip).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from accounts import quick_hash
from harness import app_server, block_outside, chromium
from test_browser_upload import PASSWORD, TIMEOUT, choose, main, sign_in
from test_cli import geo as geo_cli
from test_cli import listing

from geo.demo import build_demo
from geo.imports.save import import_file
from geo.ogc.features import json_value
from geo.store import open_store

pytestmark = pytest.mark.browser  # starts the app server: run under the shared lock
HOLDOUT = "boundaries/de_vg5000_2021_ebenen_25832.gpkg"
EPSG = "http://www.opengis.net/def/crs/EPSG/0/{}"
CM_DEGREES = 1e-7  # 1 cm is about 9e-8 degrees of latitude


@pytest.fixture(scope="module")
def app(tmp_path_factory, shared_data):
    data = tmp_path_factory.mktemp("ogc") / "data"
    store = open_store(str(data))
    build_demo(store)
    import_file(
        store, "de_vg5000_2021_ebenen_25832.gpkg", shared_data / HOLDOUT, author="test", layer="vg5000_gem"
    )
    env = {"SMART_REGION_PLANNERS": json.dumps({"planer": quick_hash(PASSWORD)})}
    with app_server(data, env=env) as url:
        yield url + "/ogc", data


def get(url: str, accept: str = "application/json") -> tuple[int, Message, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def get_json(url: str) -> dict:
    status, _, body = get(url)
    assert status == 200, body[:300]
    return json.loads(body)


def listed(data: Path) -> dict[str, dict]:
    """`geo list --json`: the counts the service must match."""
    return {entry["id"]: entry for entry in listing(data)}


def assert_same_features(stored: gpd.GeoDataFrame, properties: list[dict], geometries, crs: str) -> None:
    """Attributes equal (as JSON values) and every vertex within 1 cm, in `crs` (x = east/lon)."""
    columns = [c for c in stored.columns if c != stored.geometry.name]
    expected = [{c: json_value(v) for c, v in row.items()} for row in stored[columns].to_dict("records")]
    got = [
        {c: _as_text(json_value(p.get(c)), e[c]) for c in columns}
        for p, e in zip(properties, expected, strict=True)
    ]
    assert got == expected
    reference = stored.geometry.to_crs(crs).values
    tolerance = CM_DEGREES if crs in ("EPSG:4326", "OGC:CRS84") else 0.01
    assert shapely.equals_exact(reference, np.asarray(geometries), tolerance=tolerance).all()


def _as_text(got: object, expected: object) -> object:
    """GDAL reads a text column of ISO dates ("2017-12-13") as dates: compare those as text."""
    if isinstance(expected, str) and isinstance(got, str) and got == f"{expected}T00:00:00":
        return expected
    return got


def owslib_items(url: str, collection: str, crs: int | None) -> tuple[list[dict], int]:
    """Every feature through OWSLib, 1,000 per page; also the number of pages."""
    from owslib.ogcapi.features import Features

    service, features, pages = Features(url), [], 0
    extra = {"crs": EPSG.format(crs)} if crs else {}
    while True:
        page = service.collection_items(collection, limit=1000, offset=len(features), **extra)
        features += page["features"]
        pages += 1
        if len(features) >= page["numberMatched"] or not page["features"]:
            return features, pages


def owslib_geometries(features: list[dict], crs: int | None) -> list:
    shapes = [shapely.geometry.shape(f["geometry"]) for f in features]
    if crs == 4326:  # EPSG:4326 comes latitude first (OGC API Part 2); compare as lon/lat
        shapes = list(shapely.transform(np.asarray(shapes), lambda xy: xy[:, ::-1]))
    return shapes


@pytest.mark.parametrize("crs", [4326, 25832])
def test_owslib_reads_every_feature_of_every_layer(app, crs):
    url, data = app
    store = open_store(str(data))
    layers = listed(data)
    assert {c["id"] for c in get_json(url + "/collections")["collections"]} >= set(layers)
    for layer_id, entry in layers.items():
        features, pages = owslib_items(url, layer_id, crs)
        assert len(features) == entry["feature_count"], layer_id
        assert [f["id"] for f in features] == list(range(1, len(features) + 1))
        stored = store.read(layer_id)
        props = [f["properties"] for f in features]
        assert_same_features(stored, props, owslib_geometries(features, crs), f"EPSG:{crs}")
        if layer_id == "vg5000-gem":
            assert (len(features), pages) == (10_997, 11)


@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:25832"])
def test_gdal_oapif_reads_every_feature_of_every_layer(app, crs):
    url, data = app
    store = open_store(str(data))
    for layer_id, entry in listed(data).items():
        read = pyogrio.read_dataframe(f"OAPIF:{url}", layer=layer_id, CRS=crs, PAGE_SIZE="1000")
        assert len(read) == entry["feature_count"], layer_id
        assert read.crs.equals(crs, ignore_axis_order=True)  # GDAL names EPSG:4326 in lon/lat "CRS84"
        stored = store.read(layer_id)
        props = pd.DataFrame(read.drop(columns="geometry")).to_dict("records")
        assert_same_features(stored, props, read.geometry.values, crs)


def test_round_trip_import_from_the_service_yields_the_same_layer(app, tmp_path):
    url, data = app
    source = open_store(str(data))
    for layer_id in ("gemeinden-salzlandkreis", "veranstaltungen-demo", "bahnhoefe-db-2020"):
        out = geo_cli("import", url, "--layer", layer_id, data=tmp_path / "copy")
        assert out.returncode == 0, out.stderr
        original, copy = source.get(layer_id), open_store(str(tmp_path / "copy")).get(layer_id)
        assert (copy.title, copy.kind, copy.source_crs) == (
            original.title,
            original.kind,
            original.source_crs,
        )
        assert copy.feature_count == original.feature_count
        assert copy.source_file == url
        a, b = source.read(layer_id), open_store(str(tmp_path / "copy")).read(layer_id)
        pd.testing.assert_frame_equal(
            pd.DataFrame(a.drop(columns="geometry")), pd.DataFrame(b.drop(columns="geometry"))
        )
        assert a.crs == b.crs
        assert shapely.equals_exact(a.geometry.values, b.geometry.values, tolerance=0.01).all()


@pytest.mark.parametrize(
    ("target", "phrase"),
    [
        ("http://127.0.0.1:9/ogc", "ist nicht erreichbar"),
        ("{app}/../healthz", "antwortet kein WFS und keine OGC API"),
        ("{app}", "bietet mehrere Ebenen an"),
        ("{app} --layer gibt-es-nicht", "hat keine Ebene „gibt-es-nicht“"),
    ],
)
def test_import_refuses_unreachable_or_non_ogc_urls_with_one_line(app, tmp_path, target, phrase):
    url, _ = app
    address, *rest = target.format(app=url).split()
    address = address.replace("/ogc/../", "/")
    out = geo_cli("import", address, *rest, data=tmp_path / "store")
    assert out.returncode == 2
    assert phrase in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert "Traceback" not in out.stderr
    assert open_store(str(tmp_path / "store")).list_layers(include_deleted=True) == []


@pytest.mark.dated
def test_collections_follow_the_store_without_restart(app):
    url, data = app
    store = open_store(str(data))
    store.delete("coworking-spaces-demo", author="test")
    try:
        assert "coworking-spaces-demo" not in [c["id"] for c in get_json(url + "/collections")["collections"]]
        assert get(url + "/collections/coworking-spaces-demo/items")[0] == 404
    finally:
        store.undelete("coworking-spaces-demo", author="test")
    assert get_json(url + "/collections/coworking-spaces-demo/items")["numberMatched"] == 6
    rnd = next(r for r in store.list_rounds() if r.status() == "open")
    spam = store.contribute(
        rnd.id, lon=11.6, lat=51.8, category=rnd.categories[0], text="Spam", device="dev-x"
    )
    items = f"{url}/collections/beteiligung_{rnd.id}/items"
    assert spam.id in [f["id"] for f in get_json(items)["features"]]
    store.moderate(spam.id, "hide", author="test")
    published = get_json(items)["features"]
    assert spam.id not in [f["id"] for f in published]
    assert get(f"{items}/{spam.id}")[0] == 404
    assert all("device" not in json.dumps(f) and "dev-" not in json.dumps(f) for f in published)


def test_bbox_crs_datetime_property_filters_and_item_by_id(app):
    url, data = app
    items = url + "/collections/vg5000-gem/items"
    in_crs84 = get_json(items + "?bbox=11.70,51.78,11.76,51.81&limit=100")
    lat_lon = get_json(items + f"?bbox=51.78,11.70,51.81,11.76&bbox-crs={EPSG.format(4326)}&limit=100")
    assert in_crs84["numberMatched"] == lat_lon["numberMatched"] > 0
    assert {f["id"] for f in in_crs84["features"]} == {f["id"] for f in lat_lon["features"]}
    hits = get_json(items + "?GEN=Bernburg%20(Saale)")
    assert hits["numberMatched"] == 1 and hits["features"][0]["properties"]["GEN"] == "Bernburg (Saale)"
    one = get_json(f"{items}/{hits['features'][0]['id']}?crs={EPSG.format(25833)}")
    assert one["properties"]["GEN"] == "Bernburg (Saale)"
    assert 250_000 < one["geometry"]["coordinates"][0][0][0][0] < 350_000  # UTM 33 easting
    events = open_store(str(data)).read("veranstaltungen-demo")
    first = events["beginn"].min()
    window = f"{first:%Y-%m-%d}T00:00:00/{first:%Y-%m-%d}T23:59:59"
    on_day = get_json(url + f"/collections/veranstaltungen-demo/items?datetime={window}")
    expected = int((events["beginn"].dt.normalize() == first.normalize()).sum())
    assert on_day["numberMatched"] == expected >= 1
    status, headers, _ = get(items + "?crs=http://www.opengis.net/def/crs/EPSG/0/3857")
    assert status == 400  # only the published CRSs
    status, headers, _ = get(items + "?limit=1")
    assert headers.get("Content-Crs") == "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>"


def test_landing_page_conformance_cors_html_and_metadata(app):
    url, _ = app
    request = urllib.request.Request(
        url + "/collections?f=json", headers={"Origin": "https://geoportal.example"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.headers["Access-Control-Allow-Origin"] == "*"
    rels = {link["rel"] for link in get_json(url + "/?f=json")["links"]}
    assert {"service-desc", "conformance", "data"} <= rels and not any("processes" in r for r in rels)
    conforms = get_json(url + "/conformance?f=json")["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs" in conforms
    assert not any("create-replace-delete" in c for c in conforms)
    assert get_json(url + "/openapi")["openapi"].startswith("3.")
    status, _, html = get(url + "/collections/gemeinden-salzlandkreis/items?f=html", accept="text/html")
    assert status == 200 and b"Bernburg" in html
    assert b"unpkg" not in html and b"cdn" not in html
    record = get_json(url + "/collections/gemeinden-salzlandkreis/metadata")
    assert "dl-de/by-2-0" in record["dcatde:licenseAttributionByText"]
    assert get(url + "/collections/nicht-da/metadata")[0] == 404


def test_items_page_draws_the_features_without_third_party_requests(app):
    url, _ = app
    with chromium() as browser:
        context = browser.new_context()
        blocked = block_outside(context, url)
        page = context.new_page()
        page.goto(url + "/collections/gemeinden-salzlandkreis/items?f=html&limit=50")
        page.wait_for_function("() => document.querySelectorAll('.leaflet-interactive').length === 21")
        assert page.get_by_text("Bernburg (Saale)").count() >= 1
        assert blocked == []


def test_planner_imports_a_layer_from_a_service_on_the_upload_page(app):
    """From another server's /ogc, as a district imports a Land's service. (The page cannot
    import from its own process's /ogc: GDAL keeps Python's lock while it waits for the answer.)"""
    page_url, data = app
    with app_server(data) as other, chromium() as browser:
        url = other + "/ogc"
        page = browser.new_context(viewport={"width": 1400, "height": 1100}).new_page()
        page.goto(page_url.removesuffix("/ogc") + "/upload")
        sign_in(page)
        area = main(page)
        area.get_by_text("Dienst (WFS / OGC API)").click()
        address = area.get_by_label("Adresse des Dienstes", exact=True)
        address.fill("http://127.0.0.1:9/ogc")
        address.press("Enter")
        area.get_by_text("ist nicht erreichbar").wait_for(timeout=TIMEOUT)
        address.fill(url)
        address.press("Enter")
        choose(page, area.get_by_label("Ebene des Dienstes"), "veranstaltungen-demo (Point)")
        area.get_by_text("Importbericht").wait_for(timeout=TIMEOUT)
        read = area.get_by_test_id("stMetric").filter(has_text="Objekte gelesen")
        assert read.inner_text().splitlines()[-1].strip() == "9"
        area.get_by_label("Titel").fill("Veranstaltungen aus dem Dienst")
        area.get_by_role("button", name="Speichern").click()
        area.get_by_text("Gespeichert: „Veranstaltungen aus dem Dienst“").wait_for(timeout=TIMEOUT)
    store = open_store(str(data))
    info = next(i for i in store.list_layers() if i.title == "Veranstaltungen aus dem Dienst")
    assert (info.kind, info.feature_count, info.source_file, info.updated_by) == ("events", 9, url, "planer")
    assert info.roles.get("start") == "beginn"
