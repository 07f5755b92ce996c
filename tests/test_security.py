"""Security: hostile uploads, spreadsheet formulas, and script payloads in every text we show.

Unit level: CSV exports neutralise formulas; zip-slip, zip bombs and oversized uploads are
refused through `read_upload`; payloads in attribute values, column names, layer titles,
file names and attributions stay inert in the display frame, detail rows, legend and the
rendered map. The same payloads in a real browser: tests/test_browser_security.py.
"""

from __future__ import annotations

import csv
import html
import io
import re
import zipfile
from collections import Counter
from html.parser import HTMLParser

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, Polygon
from xss_payloads import GEOJSON, IMG, PAYLOADS, hostile_frame

from geo.config import Settings
from geo.errors import GeoError, TooLargeError
from geo.exports import export_layer, read_csv_export
from geo.imports.formats import read_upload
from geo.maps.build import MapLayer, build_map
from geo.maps.details import feature_rows
from geo.maps.display import display_frame
from geo.maps.legend import legend_html
from geo.store import LayerInfo

FORMULAS = ('=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=cmd|'/c calc'!A0")


# --- CSV exports: spreadsheet formulas -----------------------------------------------------


def test_csv_export_neutralises_formula_cells():
    gdf = gpd.GeoDataFrame(
        {"name": list(FORMULAS), "zahl": range(len(FORMULAS)), "harmlos": ["a"] * len(FORMULAS)},
        geometry=[Point(11.6, 51.8)] * len(FORMULAS),
        crs="EPSG:4326",
    )
    gdf["minus"] = -1.5  # numbers stay numbers: a negative value is no formula
    out = read_csv_export(export_layer(gdf, "csv"))
    assert list(out["name"]) == ["'" + v for v in FORMULAS]
    assert set(out["harmlos"]) == {"a"}
    assert set(out["minus"]) == {"-1.5"}
    for column in out.columns:
        for cell in out[column].dropna():
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), (column, cell)


def test_csv_export_neutralises_formula_column_names():
    """Column names come from uploaded files too: a header cell is a cell."""
    columns = {'=HYPERLINK("http://x")': ["a"], "@x": ["b"]}
    gdf = gpd.GeoDataFrame(columns, geometry=[Point(11, 51)], crs=4326)
    header = read_csv_export(export_layer(gdf, "csv")).columns
    assert not [c for c in header if c.startswith(("=", "+", "-", "@"))], list(header)


def test_imported_formula_survives_as_text_and_is_neutralised_on_export():
    csv = b"name;lon;lat\n=1+1;11.6;51.8\n@SUM(A1);11.7;51.9\n"
    layer = read_upload("formeln.csv", csv)[0]
    assert list(layer.gdf["name"]) == ["=1+1", "@SUM(A1)"]  # stored as typed, shown as text
    assert list(read_csv_export(export_layer(layer.gdf, "csv"))["name"]) == ["'=1+1", "'@SUM(A1)"]


def test_csv_export_quotes_line_breaks_so_no_row_starts_with_a_formula():
    """A CR or LF inside a cell must not start a new spreadsheet row with a formula in it."""
    values = ['harmlos\r=HYPERLINK("http://x")', "zwei\n+1+1", "drei\r\n@SUM(A1)"]
    gdf = gpd.GeoDataFrame({"name": values}, geometry=[Point(11.6, 51.8)] * 3, crs="EPSG:4326")
    text = export_layer(gdf, "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert [row[0] for row in rows[1:]] == values  # each value whole, in one quoted cell
    assert len(rows) == 4


# --- hostile archives and sizes --------------------------------------------------------------


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=method) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return buf.getvalue()


@pytest.mark.parametrize(
    "member",
    [
        "../evil.geojson",
        "a/../../evil.geojson",
        "/etc/evil.geojson",
        "..\\evil.geojson",
        "C:/evil.geojson",
        "C:\\Windows\\evil.geojson",
    ],  # fmt: skip
)
def test_zip_slip_is_refused_and_writes_nothing(tmp_path, monkeypatch, member):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    with pytest.raises(GeoError) as err:
        read_upload("daten.zip", _zip({"gut.geojson": GEOJSON, member: GEOJSON}))
    assert err.value.key == "err.zip_unsafe"
    assert not list(tmp_path.iterdir()), "the import left files behind"


def test_zip_slip_through_a_symlink_member_is_not_followed(tmp_path, monkeypatch):
    """A member stored as a symlink is extracted as a plain file, never as a link."""
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        link = zipfile.ZipInfo("link.geojson")
        link.external_attr = 0o120777 << 16  # S_IFLNK
        archive.writestr(link, "/etc/passwd")
    with pytest.raises(GeoError):
        read_upload("link.zip", buf.getvalue())
    assert not list(tmp_path.iterdir())


def test_zip_bomb_is_refused_by_declared_and_by_real_size():
    limits = Settings(data="", max_upload_mb=5, max_unzipped_mb=1, max_zip_members=10)
    bomb = _zip({"bombe.geojson": b" " * (20 * 1024 * 1024)})
    assert len(bomb) < 100_000
    with pytest.raises(TooLargeError) as err:
        read_upload("bombe.zip", bomb, settings=limits)
    assert err.value.key == "err.zip_too_large"
    # the same bomb claiming to be small is stopped while it inflates
    lying = bytearray(bomb)
    for header, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        pos = lying.find(header)
        lying[pos + offset : pos + offset + 4] = (100).to_bytes(4, "little")
    with pytest.raises(GeoError) as err:
        read_upload("bombe.zip", bytes(lying), settings=limits)
    assert err.value.key in ("err.zip_too_large", "err.unreadable")


def test_zip_with_too_many_members_is_refused():
    limits = Settings(data="", max_zip_members=20)
    with pytest.raises(TooLargeError) as err:
        read_upload("viele.zip", _zip({f"f{i}.txt": b"x" for i in range(21)}), settings=limits)
    assert err.value.key == "err.zip_too_many_files"


def test_upload_over_the_limit_is_refused_before_parsing(tmp_path):
    limits = Settings(data="", max_upload_mb=1)
    big = b" " * (1024 * 1024 + 1)
    for name in ("gross.geojson", "gross.gpkg", "gross.csv", "gross.zip"):
        with pytest.raises(TooLargeError) as err:
            read_upload(name, big, settings=limits)
        assert err.value.key == "err.too_large" and "1" in err.value.message("de")
    path = tmp_path / "gross.geojson"
    path.write_bytes(big)
    with pytest.raises(TooLargeError):
        read_upload(path.name, path, settings=limits)


def test_limits_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("SMART_REGION_MAX_UPLOAD_MB", "3")
    with pytest.raises(TooLargeError):
        read_upload("gross.geojson", b" " * (3 * 1024 * 1024 + 1))


# --- script payloads in everything we render -------------------------------------------------


def _info(title: str, attribution: str, source_file: str, kind: str = "other", **kw) -> LayerInfo:
    return LayerInfo(
        id="test-layer", title=title, kind=kind, source_file=source_file, source_crs="EPSG:4326",
        feature_count=len(PAYLOADS), bbox=(11.0, 51.0, 12.0, 52.0), attribution=attribution,
        created_at="", updated_at="", version=1, geometry_type=kw.get("geometry_type", "Point"),
        roles={"name": "name", "category": "typ"},
    )  # fmt: skip


class _Tags(HTMLParser):
    """Every element and attribute name of a document, with event-handler attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter = Counter()
        self.handlers: list[tuple[str, str]] = []
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags[(tag, tuple(sorted(name for name, _ in attrs)))] += 1
        self.handlers += [(tag, name) for name, _ in attrs if name.startswith("on")]
        self.urls += [value or "" for name, value in attrs if name in ("href", "src")]


def _tags(markup: str) -> _Tags:
    parser = _Tags()
    parser.feed(markup)
    return parser


def _same_markup_as_benign(render) -> tuple[_Tags, str]:
    """`render(texts)` with payloads must produce exactly the elements it produces with plain words."""
    hostile = render(PAYLOADS)
    benign = render(tuple(f"wort{i}" for i in range(len(PAYLOADS))))
    tags = _tags(hostile)
    assert tags.tags == _tags(benign).tags, "a payload created or removed elements"
    assert not tags.handlers, tags.handlers
    assert not [u for u in tags.urls if u.strip().lower().startswith("javascript:")], tags.urls
    for payload in PAYLOADS:  # no payload's raw markup added (the app's own "<img" may be there)
        if "<" in payload:
            assert hostile.count(payload) == benign.count(payload), payload
    return tags, hostile


def test_display_frame_escapes_names_and_categories():
    frame = display_frame(hostile_frame(), _info("t", "a", "f"))
    assert list(frame["name"]) == [html.escape(p) for p in PAYLOADS]
    assert list(frame["category"]) == [html.escape(p) for p in PAYLOADS]
    assert set(frame.columns) == {"fid", "name", "category", "geometry"}  # nothing else reaches the map


def test_detail_rows_escape_values_labels_and_links():
    def render(texts):
        row = pd.Series(
            {**{t: t for t in texts}, "link": "javascript:window.__xss=8", "geometry": Point(1, 2)}
        )
        return "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in feature_rows(row))

    _, markup = _same_markup_as_benign(render)
    assert "href" not in markup  # a javascript: value is shown, never linked
    assert html.escape(IMG) in markup
    odd = dict(feature_rows(pd.Series({"link": 'https://example.org/"><script>x</script>'})))
    assert "<script" not in odd["Webseite"] and not _tags(odd["Webseite"]).handlers


def test_legend_escapes_titles_and_categories():
    def render(texts):
        gdf = hostile_frame().assign(name=list(texts), typ=list(texts))
        layers = [MapLayer(_info(t, t, t), display_frame(gdf, _info(t, t, t))) for t in texts[:3]]
        return legend_html(layers, {}, "de")

    _, markup = _same_markup_as_benign(render)
    assert html.escape(IMG) in markup


def _map_html(texts, kind: str = "other") -> str:
    gdf = hostile_frame().assign(name=list(texts), typ=list(texts))
    layers = []
    for i, text in enumerate(texts[:3]):
        info = _info(text, text, text, kind=kind)
        info = LayerInfo(**{**info.__dict__, "id": f"layer-{i}"})
        layers.append(MapLayer(info, display_frame(gdf, info)))
    area = gpd.GeoDataFrame({"name": list(texts[:1]), "typ": list(texts[:1])}, crs="EPSG:4326",
                            geometry=[Polygon([(11, 51), (12, 51), (12, 52)])])  # fmt: skip
    ainfo = LayerInfo(**{**_info(texts[3], texts[4], texts[5], "municipalities").__dict__, "id": "areas"})
    layers.append(MapLayer(ainfo, display_frame(area, ainfo)))
    return build_map(layers, basemap="none").get_root().render()


def test_rendered_map_keeps_payloads_inside_strings():
    """Titles (layer control), attributions and tooltip values stay data, never markup or code."""
    _, page = _same_markup_as_benign(_map_html)
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", page, flags=re.S)
    assert any("__xss" in script for script in scripts)  # the payloads are there, as data
    for script in scripts:
        for needle in ("__xss", "alert(4)"):
            assert _only_in_strings(script, needle), needle


def _only_in_strings(script: str, needle: str) -> bool:
    """Whether every occurrence of `needle` in `script` lies inside a JS string literal."""
    literal = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'')
    return needle not in literal.sub('""', script)


def test_uploaded_file_name_becomes_a_harmless_title():
    layer = read_upload(f"{IMG}.geojson", GEOJSON)[0]
    assert layer.report.source_file == f"{IMG}.geojson"  # kept as text, escaped where it is shown
    title = layer.suggestion["title"]
    markup = legend_html(
        [MapLayer(_info(title, "", IMG), display_frame(layer.gdf, _info(title, "", IMG)))], {}
    )
    assert IMG not in markup and "&lt;img src=x" in markup and not _tags(markup).handlers
    with pytest.raises(GeoError):
        read_upload("../../etc/passwd", GEOJSON)  # no suffix we read: refused, never a path
