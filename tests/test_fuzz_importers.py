"""Fuzzing the importers: hostile bytes end in stored layers or a `GeoError`, nothing else.

Strategies: random bytes under every supported suffix, truncated and bit-flipped copies of
real GeoPackages, mutated GeoJSON, mutated CSV and ZIP archives with odd members. Every
example must return `ImportedLayer`s that the store accepts (and reads back with the same
count) or raise `GeoError`; any other exception is an importer bug.

Budget: the ``ci`` profile (default) keeps the whole file under about a minute on two cores.
A longer run: ``HYPOTHESIS_PROFILE=long .venv/bin/pytest tests/test_fuzz_importers.py``.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import struct
import tempfile
import zipfile
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.config import Settings
from geo.errors import GeoError
from geo.imports.formats import SUFFIXES, list_source_layers, read_upload
from geo.store import open_store

pytestmark = [
    pytest.mark.filterwarnings("ignore::RuntimeWarning"),  # GDAL's notes on broken input
    pytest.mark.filterwarnings("ignore::pandas.errors.ParserWarning"),  # rows with extra fields
    pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning"),  # odd archives on purpose
]
# Named "fuzz-…": re-registering "ci" would overwrite Hypothesis' built-in CI profile, which is
# active for every test module when CI is set. HYPOTHESIS_PROFILE=long picks the long run.
settings.register_profile(
    "fuzz-ci",
    max_examples=100,
    deadline=None,
    derandomize=True,  # CI runs are reproducible; the long profile explores
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "fuzz-long",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = settings.get_profile("fuzz-long" if os.environ.get("HYPOTHESIS_PROFILE") == "long" else "fuzz-ci")
# Small limits, so size checks are reachable by the fuzzer too.
LIMITS = Settings(data="", max_upload_mb=1, max_unzipped_mb=2, max_zip_members=50, language="de")
SMALL_GPKGS = (
    "robustness/test_allcorrect.gpkg",
    "robustness/test_dimensions.gpkg",
    "robustness/test_gpkg_nulls.gpkg",
    "robustness/curve.gpkg",
    "robustness/test_geometry_null.gpkg",
    "robustness/test_correct_attribute_with_many_to_many.gpkg",
    "boundaries/salzlandkreis_demo_25832.gpkg",
)


class Outcome:
    """Runs one import, stores what it returns and checks the store stays consistent.

    Imports unpack into a private temporary folder that must be empty again afterwards:
    a file left there escaped the import's own folder (zip-slip) or was never cleaned up.
    """

    def __init__(self, root: Path) -> None:
        self.location = str(root / "store")
        self.scratch = root / "scratch"
        self.scratch.mkdir()
        self.store = open_store(self.location)
        self.expected = len(self.store.list_layers())
        self.outcomes: Counter = Counter()

    def run(self, filename: str, data: bytes | Path, **kwargs) -> str:
        """'stored', or the key of the `GeoError` raised; other exceptions propagate."""
        outcome = self._import(filename, data, **kwargs)
        self.outcomes[outcome] += 1
        return outcome

    def _import(self, filename: str, data: bytes | Path, **kwargs) -> str:
        previous, tempfile.tempdir = tempfile.tempdir, str(self.scratch)
        try:
            layers = read_upload(filename, data, settings=LIMITS, **kwargs)
        except GeoError as err:
            assert err.message("de") and err.message("en"), err.key
            return err.key
        finally:
            tempfile.tempdir = previous
            leftovers = list(self.scratch.iterdir())
            for path in leftovers:
                shutil.rmtree(path, ignore_errors=True)
            assert not leftovers, f"files outside the import folder: {leftovers}"
        assert layers, "read_upload returned no layers and no error"
        written = []
        for item in layers:
            assert len(item.gdf) == item.report.features_stored > 0
            assert item.gdf.crs is not None
            info = self.store.write(
                item.gdf,
                title=item.suggestion["title"] or "x",
                kind="other",
                source_file=filename,
                roles=item.suggestion["roles"],
            )
            written.append(info)
        self.expected += len(written)
        self.check(written)
        return "stored"

    def check(self, written) -> None:
        """A freshly opened store lists every layer and reads the new ones with their counts."""
        fresh = open_store(self.location)
        assert len(fresh.list_layers()) == self.expected
        for info in written:
            assert fresh.get(info.id).feature_count == info.feature_count
            assert len(fresh.read(info.id)) == info.feature_count


@pytest.fixture(scope="module")
def outcome(tmp_path_factory) -> Outcome:
    return Outcome(tmp_path_factory.mktemp("fuzz"))


@pytest.fixture(scope="module")
def seed_gpkgs(shared_data, tmp_path_factory) -> list[bytes]:
    """Small real GeoPackages and a demo-store layer file, in memory (never copied into the repo)."""
    from geo.demo import build_demo

    store_dir = tmp_path_factory.mktemp("demo") / "store"
    build_demo(open_store(str(store_dir)), today=date(2025, 6, 1))
    demo_files = sorted((store_dir / "layers").rglob("*.gpkg"), key=lambda p: p.stat().st_size)
    return [(shared_data / name).read_bytes() for name in SMALL_GPKGS] + [demo_files[0].read_bytes()]


# --- random bytes ------------------------------------------------------------------------

MAGIC = (b"", b"SQLite format 3\x00", b"PK\x03\x04", b"PK\x05\x06", b"{", b'{"type":"FeatureCollection"',
         b"<?xml version='1.0'?><kml>", b"\xef\xbb\xbf", b"\xff\xfe", b"lon;lat\n")  # fmt: skip


@settings(PROFILE)
@given(
    suffix=st.sampled_from([*SUFFIXES, ".SHP.ZIP", ".GeoJSON", ".txt", ""]),
    magic=st.sampled_from(MAGIC),
    body=st.binary(max_size=1500),
)
def test_random_bytes(outcome, suffix, magic, body):
    outcome.run(f"zufall{suffix}", magic + body)


# --- GeoPackages: truncated and bit-flipped ----------------------------------------------


@settings(PROFILE)
@given(data=st.data())
def test_damaged_geopackages(outcome, seed_gpkgs, data):
    raw = bytearray(data.draw(st.sampled_from(seed_gpkgs), label="seed"))
    if data.draw(st.booleans(), label="truncate"):
        raw = raw[: data.draw(st.integers(0, len(raw)), label="cut")]
    flips = data.draw(
        st.lists(st.tuples(st.integers(0, max(len(raw) * 8 - 1, 0)), st.booleans()), max_size=12),
        label="flips",
    )
    for bit, header in flips:
        if raw:
            pos = (bit % (8 * 4096)) if header else bit  # the header page is where damage matters most
            raw[(pos // 8) % len(raw)] ^= 1 << (pos % 8)
    outcome.run("beschädigt.gpkg", bytes(raw))
    with contextlib.suppress(GeoError):  # the preview may refuse it too; other exceptions are bugs
        list_source_layers("beschädigt.gpkg", bytes(raw), settings=LIMITS)


# --- GeoJSON ------------------------------------------------------------------------------

NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-180, 180),
    st.integers(-(2**70), 2**70),
    st.sampled_from([1e308, -1e308, 0, 5e-324]),
)
COORD = st.lists(NUMBERS, min_size=0, max_size=4)
JSON_SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, st.text(max_size=20))
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=5), c, max_size=3),
    max_leaves=8,
)


@st.composite
def geometries(draw):
    kind = draw(
        st.sampled_from(["Point", "LineString", "Polygon", "MultiPoint", "GeometryCollection", "Bogus", None])
    )
    if kind is None:
        return draw(JSON_VALUES)
    if kind == "Point":
        coords = draw(COORD)
    elif kind in ("LineString", "MultiPoint"):
        coords = draw(st.lists(COORD, max_size=5))
    elif kind == "Polygon":
        ring = draw(st.lists(COORD, max_size=6))
        coords = [ring + ring[:1]] if draw(st.booleans()) else [ring]
    elif kind == "GeometryCollection":
        return {
            "type": kind,
            "geometries": draw(st.lists(st.just({"type": "Point", "coordinates": [1, 2]}), max_size=2)),
        }
    else:
        coords = draw(JSON_VALUES)
    geom = {"type": kind, "coordinates": coords}
    if draw(st.booleans()):
        geom.pop(draw(st.sampled_from(["type", "coordinates"])))
    return geom


@st.composite
def features(draw):
    feature = {
        "type": "Feature",
        "geometry": draw(geometries()),
        "properties": draw(st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=4) | JSON_VALUES),
    }
    for key in draw(st.lists(st.sampled_from(["type", "geometry", "properties"]), max_size=1)):
        feature.pop(key, None)
    return feature


CRS_NAMES = ["urn:ogc:def:crs:EPSG::25832", "EPSG:4326", "urn:ogc:def:crs:EPSG::99999", "quatsch"]


@st.composite
def geojson_documents(draw):
    doc = {
        "type": draw(st.sampled_from(["FeatureCollection", "Feature", "Point", "Nonsense"])),
        "features": draw(st.lists(features(), max_size=6)),
    }
    if draw(st.booleans()):
        name = draw(st.sampled_from(CRS_NAMES))
        doc["crs"] = {"type": "name", "properties": {"name": name}}
    text = json.dumps(doc, allow_nan=True)
    if draw(st.booleans()):
        text = text[: draw(st.integers(0, len(text)))]
    return text.encode("utf-8")


@settings(PROFILE)
@given(doc=geojson_documents(), suffix=st.sampled_from([".geojson", ".json"]))
def test_mutated_geojson(outcome, doc, suffix):
    outcome.run(f"mutiert{suffix}", doc)


# --- CSV ----------------------------------------------------------------------------------

HEADERS = (("lon", "lat"), ("Längengrad [DG]", "Breitengrad [DG]"), ("Laenge", "Breite"), ("x", "y"),
           ("Rechtswert", "Hochwert"), ("wkt",), ("AGS", "Name"))  # fmt: skip
CELLS = st.one_of(
    st.text(max_size=12),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.floats(-200, 200).map(lambda v: f"{v:.5f}".replace(".", ",")),
    st.sampled_from(
        [
            "POINT (11 51)",
            "SRID=25832;POINT(680000 5750000)",
            "POLYGON((0 0,1 0,0 0))",
            "LINESTRING EMPTY",
            "0815",
            "=1+1",
            '"',
            "",
            "NA",
            "1e400",
        ]
    ),  # fmt: skip
)


@st.composite
def csv_documents(draw):
    cols = [*draw(st.sampled_from(HEADERS)), *draw(st.lists(st.text(max_size=6), max_size=3))]
    rows = draw(st.lists(st.lists(CELLS, min_size=len(cols) - 1, max_size=len(cols) + 1), max_size=8))
    delimiter = draw(st.sampled_from([";", ",", "\t", "|"]))
    lines = [delimiter.join(cols)] + [delimiter.join(row) for row in rows]
    if draw(st.booleans()):
        lines.insert(0, f"sep={delimiter}")
    text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]))
    raw = text.encode(encoding, errors="replace")
    wrong = st.tuples(st.text(max_size=4), st.text(max_size=4))
    xy = draw(st.one_of(st.none(), st.just(tuple(cols[:2])), wrong))
    return raw, xy


@settings(PROFILE)
@given(doc=csv_documents(), crs=st.sampled_from([None, None, "25832", "4326", "EPSG:99999", "quatsch"]))
def test_mutated_csv(outcome, doc, crs):
    raw, xy = doc
    x, y = xy if xy and len(xy) == 2 else (None, None)
    outcome.run("tabelle.csv", raw, x=x, y=y, crs=crs)


# --- ZIP archives ---------------------------------------------------------------------------

POINT = {"type": "Point", "coordinates": [11.7, 51.8]}
FEATURE = {"type": "Feature", "properties": {"name": "A"}, "geometry": POINT}
POINT_GEOJSON = json.dumps({"type": "FeatureCollection", "features": [FEATURE]}).encode()
ODD_NAMES = ["", "/", "ordner/", "a.geojson", "../a.geojson", "/etc/a.geojson", "C:/a.geojson",
             "..\\a.geojson", "x/../../a.geojson", "__MACOSX/._a.geojson", "a.GEOJSON", "b.shp", "b.shx",
             "b.dbf", "c.gpkg", "inner.zip", "./a.geojson", "a\x00.geojson", "ä ö.kml"]  # fmt: skip
MEMBER_NAMES = st.one_of(st.sampled_from(ODD_NAMES), st.text(max_size=12))


def _inner_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as inner:
        inner.writestr("a.geojson", POINT_GEOJSON)
    return buf.getvalue()


MEMBER_DATA = st.one_of(st.just(POINT_GEOJSON), st.binary(max_size=200), st.just(b""),
                        st.builds(_inner_zip), st.just(b"\x00" * 3000))  # fmt: skip


def _lie_about_sizes(raw: bytes, declared: int) -> bytes:
    """Patch every central-directory entry to declare `declared` uncompressed bytes."""
    out = bytearray(raw)
    pos = out.find(b"PK\x01\x02")
    while pos != -1:
        struct.pack_into("<I", out, pos + 24, declared & 0xFFFFFFFF)
        pos = out.find(b"PK\x01\x02", pos + 4)
    return bytes(out)


@st.composite
def zip_archives(draw):
    buf = io.BytesIO()
    members = draw(st.lists(st.tuples(MEMBER_NAMES, MEMBER_DATA), max_size=6))
    method = draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
    with zipfile.ZipFile(buf, "w", compression=method) as archive:
        for name, payload in members:
            info = zipfile.ZipInfo(name or "")
            info.compress_type = method
            if name.endswith("/"):
                info.external_attr = 0o40775 << 16 | 0x10  # a directory entry
            archive.writestr(info, payload)  # duplicate names are written twice on purpose
    raw = buf.getvalue()
    lie = draw(st.sampled_from([None, 0, 1, 2**31, 2**32 - 1]))
    return raw if lie is None else _lie_about_sizes(raw, lie)


@settings(PROFILE)
@given(raw=zip_archives(), name=st.sampled_from(["paket.zip", "daten.shp.zip"]))
def test_odd_zip_archives(outcome, raw, name):
    outcome.run(name, raw)


def test_bomb_with_honest_small_declared_size_is_refused(outcome):
    """A member that inflates beyond the limit while claiming a tiny size stops mid-stream."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.geojson", b" " * (3 * 1024 * 1024))
    assert outcome.run("bombe.zip", _lie_about_sizes(buf.getvalue(), 10)) in (
        "err.zip_too_large",
        "err.unreadable",
    )


def test_store_is_consistent_after_fuzzing(outcome):
    """Every layer the store lists is readable with its count (runs after the fuzzers)."""
    store = open_store(outcome.location)
    for info in store.list_layers():
        assert len(store.read(info.id)) == info.feature_count, info.id
    # the strategies reach both ends: layers that get stored, and many different refusals
    print(f"fuzz outcomes: {dict(outcome.outcomes.most_common())}")
    assert outcome.outcomes["stored"] >= 10, outcome.outcomes
    assert len(outcome.outcomes) >= 8, outcome.outcomes
