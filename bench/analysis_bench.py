"""Benchmark: smart-region indicators and coverage for all 10,997 German Gemeinden.

Run: ``.venv/bin/python bench/analysis_bench.py [--naive-sample N]``

Data: VG5000 2021 Gemeinden (no population, so area-based indicators only; AGS key, GEN
name) against 9,690 charging points and 6,519 DB stations, read from ``../shared/data``
beside the checkout. Targets on the project machine: indicators ≤ 2 s, coverage at
5 km ≤ 5 s. File reading is timed separately. The naive baselines (a Python loop per
municipality over all points; one union of all buffers, then per-municipality intersection
without a spatial index) run on a sample of municipalities and are extrapolated, because
the full naive run takes minutes; the script checks that both give the same numbers.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo.analysis.coverage import QUAD_SEGS, coverage  # noqa: E402
from geo.analysis.indicators import centre_points, indicators, prepare_municipalities  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
BOUNDARIES = DATA / "boundaries" / "de_vg5000_2021_ebenen_25832.gpkg"
POINTS = DATA / "points" / "de_points_4326.gpkg"
ROLES = {"key": "AGS", "name": "GEN"}
DISTANCE_M = 5000.0
TARGET_INDICATORS_S, TARGET_COVERAGE_S = 2.0, 5.0


def timed(fn, *args, repeat: int = 1, **kwargs):
    """(result, best wall time in seconds) over `repeat` runs."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn(*args, **kwargs)
        best = min(best, time.perf_counter() - start)
    return result, best


def load() -> tuple[gpd.GeoDataFrame, dict[str, gpd.GeoDataFrame]]:
    munis = gpd.read_file(BOUNDARIES, layer="vg5000_gem", engine="pyogrio")
    offers = {
        "charging": gpd.read_file(POINTS, layer="ladesaeulen_bnetza2019", engine="pyogrio"),
        "station": gpd.read_file(POINTS, layer="bahnhoefe_db2020", engine="pyogrio"),
    }
    return munis, offers


def naive_indicators(table: gpd.GeoDataFrame, points: gpd.GeoSeries) -> tuple[np.ndarray, np.ndarray]:
    """Counts and nearest distance (km) with a loop over municipalities and all points each time."""
    centres = centre_points(table.geometry.to_numpy())
    counts, nearest = np.zeros(len(table), dtype=int), np.zeros(len(table))
    pts = points.to_numpy()
    for i, geom in enumerate(table.geometry):
        counts[i] = int(shapely.intersects(geom, pts).sum())
        nearest[i] = float(shapely.distance(centres[i], pts).min()) / 1000
    return counts, nearest


def naive_coverage(table: gpd.GeoDataFrame, points: gpd.GeoSeries) -> tuple[np.ndarray, float]:
    """Area shares via one union of all buffers, then one intersection per municipality."""
    start = time.perf_counter()
    union = shapely.union_all(shapely.buffer(points.to_numpy(), DISTANCE_M, quad_segs=QUAD_SEGS))
    union_s = time.perf_counter() - start
    shares = np.array([shapely.intersection(g, union).area / g.area for g in table.geometry])
    return shares, union_s


def row(label: str, seconds: float, target: float | None = None) -> None:
    mark = "" if target is None else ("  OK" if seconds <= target else f"  over target {target:.0f} s")
    print(f"  {label:<60} {seconds:8.3f} s{mark}")


def fast_runs(munis, offers, repeat: int) -> tuple[gpd.GeoDataFrame, dict, dict]:
    """The timed library calls: indicators once for all kinds, coverage per offer set."""
    table, ind_s = timed(indicators, munis, offers, ROLES, repeat=repeat)
    row("indicators, all kinds (prep + counts + per km² + nearest)", ind_s, TARGET_INDICATORS_S)
    results, seconds = {}, {"indicators": ind_s}
    for kind, layer in [*offers.items(), ("charging+station", list(offers.values()))]:
        results[kind], seconds[kind] = timed(coverage, munis, layer, DISTANCE_M, ROLES, repeat=repeat)
        row(f"coverage 5 km, {kind} (incl. white-spot polygons)", seconds[kind], TARGET_COVERAGE_S)
        d = results[kind].district
        print(f"      area share {d['area_share']:.4f}, white spots {d['white_km2']:,.0f} km²")
    return table, results, seconds


def naive_runs(munis, offers, table, results, seconds, sample_size: int) -> None:
    """Naive baselines on a random sample, extrapolated; asserts they agree with the library."""
    prepared = prepare_municipalities(munis, ROLES)
    rng = np.random.default_rng(0)
    sample = prepared.iloc[np.sort(rng.choice(len(prepared), sample_size, replace=False))]
    factor = len(prepared) / len(sample)
    print(f"Naive baselines on {len(sample)} random Gemeinden, extrapolated ×{factor:.1f}:")
    naive_ind_s = 0.0
    mine = table.set_index("key").loc[sample["key"]]
    for kind, layer in offers.items():
        (counts, nearest), s = timed(naive_indicators, sample, layer.geometry.to_crs(prepared.crs))
        naive_ind_s += s * factor
        assert (mine[f"{kind}_count"].to_numpy() == counts).all(), f"{kind}: counts differ"
        assert np.allclose(mine[f"{kind}_nearest_km"].to_numpy(), nearest), f"{kind}: distances differ"
    row("naive indicators (Python loop over Gemeinden), extrapolated", naive_ind_s)
    print(f"      speed-up ×{naive_ind_s / seconds['indicators']:.0f}, same counts and distances")
    pts = offers["station"].geometry.to_crs(prepared.crs)
    (shares, union_s), s = timed(naive_coverage, sample, pts)
    naive_cov_s = union_s + (s - union_s) * factor
    fast = results["station"].per_municipality.set_index("key").loc[sample["key"], "area_share"].to_numpy()
    assert np.allclose(fast, shares, atol=1e-6), "coverage shares differ"
    row("naive coverage 5 km, station: union of all buffers", union_s)
    row("naive coverage 5 km, station: + intersections, extrapolated", naive_cov_s)
    print(f"      speed-up ×{naive_cov_s / seconds['station']:.0f}, same shares")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--naive-sample", type=int, default=300, help="Gemeinden for the naive runs")
    parser.add_argument("--repeat", type=int, default=3, help="runs per fast measurement (best is shown)")
    args = parser.parse_args()
    if not (BOUNDARIES.is_file() and POINTS.is_file()):
        print(f"Real data not found under {DATA} (../shared/data beside the checkout); nothing to measure.")
        return 2
    (munis, offers), read_s = timed(load)
    print(f"Data: {len(munis):,} Gemeinden, " + ", ".join(f"{len(g):,} {k}" for k, g in offers.items()))
    print(f"Timings (best of {args.repeat}; wall clock, 2 shared cores):")
    row("read files (not part of the targets)", read_s)
    table, results, seconds = fast_runs(munis, offers, args.repeat)
    naive_runs(munis, offers, table, results, seconds, args.naive_sample)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
