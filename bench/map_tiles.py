"""Map component bench: the compact payload file against PMTiles vector tiles, for big areas.

For the 10,997 VG5000 Gemeinden and the 400 full-resolution VG250 Kreise it measures, on
the server, the time to prepare each form once per layer version (encode + write, or GDAL's
tile cut), and what a browser downloads (gzip-compressed bytes, as the app sends them):

- compact: the one payload file, whatever the view (simplified for the whole extent, ~700 m);
- tiles at a Germany view (zoom 6, 900 × 600 px): the zoom-6 tiles it covers;
- tiles at a zoom-12 view (900 × 600 px, drawn from the zoom-10 tiles at full detail): the
  worst and the median of every such view over the data (a 2 × 2 block of zoom-10 tiles
  covers any view of that size).

Run: .venv/bin/python bench/map_tiles.py [--datasets gemeinden kreise]
"""

from __future__ import annotations

import argparse
import gzip
import math
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "boundaries"
sys.path[:0] = [str(REPO)]

import geopandas as gpd  # noqa: E402
from pmtiles.reader import MmapSource, all_tiles  # noqa: E402

from geo.maps.fastlayer import payload_json  # noqa: E402
from geo.maps.payload import encode_layer  # noqa: E402
from geo.maps.tilecache import MAX_ZOOM, build_tiles, publish_text  # noqa: E402

GERMANY = (5.87, 47.27, 15.04, 55.06)


def load(dataset: str) -> gpd.GeoDataFrame:
    """A display frame (fid, name, category) of the dataset, in lon/lat."""
    if dataset == "gemeinden":
        gdf = gpd.read_file(DATA / "de_vg5000_2021_ebenen_25832.gpkg", layer="vg5000_gem")
    else:
        gdf = gpd.read_file(DATA / "vg250_kreise_2025.geojson")
        gdf = gdf[gdf["GF"] == 4].reset_index(drop=True)
    frame = gpd.GeoDataFrame(
        {"fid": range(len(gdf)), "name": gdf["GEN"], "category": gdf["BEZ"]}, geometry=gdf.geometry
    )
    return frame.to_crs("EPSG:4326")


def _tile(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


def view_costs(path: Path) -> tuple[int, int, int]:
    """(Germany view at z6, worst z12 view, median z12 view) in bytes."""
    sizes: dict[tuple[int, int, int], int] = {}
    with path.open("rb") as fh:
        for zxy, data in all_tiles(MmapSource(fh)):
            sizes[zxy] = len(data)
    (x0, y0), (x1, y1) = _tile(GERMANY[0], GERMANY[3], 6), _tile(GERMANY[2], GERMANY[1], 6)
    germany = sum(sizes.get((6, x, y), 0) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1))
    blocks: dict[tuple[int, int], int] = defaultdict(int)
    for (z, x, y), n in sizes.items():
        if z == MAX_ZOOM:
            for dx in (0, 1):
                for dy in (0, 1):
                    blocks[(x - dx, y - dy)] += n
    views = list(blocks.values())
    return germany, max(views), int(statistics.median(views))


def measure(dataset: str) -> dict:
    frame = load(dataset)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        name = publish_text(payload_json(encode_layer(frame)), dataset, 1, Path(tmp))
        compact_s = time.perf_counter() - started
        compact = len(gzip.compress(Path(tmp, name).read_bytes()))
        started = time.perf_counter()
        tiles = Path(tmp, build_tiles(frame, dataset, 1, "bench", Path(tmp)))
        tiles_s = time.perf_counter() - started
        germany, worst, median = view_costs(tiles)
        file_size = tiles.stat().st_size
    return {
        "features": len(frame),
        "compact_s": compact_s,
        "compact": compact,
        "tiles_s": tiles_s,
        "file": file_size,
        "germany": germany,
        "z12_worst": worst,
        "z12_median": median,
    }


def kb(n: float) -> str:
    return f"{n / 1e3:,.0f} KB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--datasets", nargs="*", default=["gemeinden", "kreise"], choices=["gemeinden", "kreise"]
    )
    args = parser.parse_args()
    print(
        "| data | compact: prepare | compact: any view | tiles: prepare | tile file "
        "| tiles: Germany z6 | tiles: z12 view worst / median |"
    )
    print("|---|---|---|---|---|---|---|")
    for dataset in args.datasets:
        r = measure(dataset)
        print(
            f"| {dataset} ({r['features']:,}) | {r['compact_s']:.1f} s | {kb(r['compact'])} "
            f"| {r['tiles_s']:.1f} s | {kb(r['file'])} | {kb(r['germany'])} "
            f"| {kb(r['z12_worst'])} / {kb(r['z12_median'])} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
