"""Writers that run in other processes, for the store's concurrency and crash tests.

Imported by spawned `multiprocessing` children (so it must stay importable without side
effects) and run as a script by the crash test: ``python store_worker.py LOCATION N``
writes an N-point layer in an endless loop of write/replace until it is killed.
"""

from __future__ import annotations

import sys

import geopandas as gpd
import numpy as np


def points(n: int, seed: int = 0, crs: int = 25832) -> gpd.GeoDataFrame:
    """`n` random points around Bernburg (Salzlandkreis), with a few typed columns."""
    rng = np.random.default_rng(seed)
    return gpd.GeoDataFrame(
        {
            "name": [f"P{i:06d}" for i in range(n)],
            "value": rng.random(n),
            "count": np.arange(n, dtype="int64"),
        },
        geometry=gpd.points_from_xy(rng.uniform(660_000, 700_000, n), rng.uniform(5_730_000, 5_770_000, n)),
        crs=crs,
    )


def replace_many(location: str, layer_id: str, sizes: list[int], author: str) -> list[int]:
    """Replace `layer_id` once per size (spawned by the multi-process test); returns versions."""
    from geo.store import open_store

    store = open_store(location)
    return [store.replace(layer_id, points(n, seed=n), author=author).version for n in sizes]


def crash_loop(location: str, n: int) -> None:
    """Write and replace a large layer forever; report each commit on stdout."""
    from geo.store import open_store

    store = open_store(location)
    big = points(n, seed=1)
    print("ready", flush=True)
    layer_id = None
    for i in range(1_000_000):
        if layer_id is None or i % 3 == 0:
            layer_id = store.write(big, title="Groß", kind="other", author="crash").id
        else:
            store.replace(layer_id, big.iloc[: n - i], author="crash")
        print("committed", layer_id, flush=True)


if __name__ == "__main__":
    crash_loop(sys.argv[1], int(sys.argv[2]))
