"""Security finding 4: a viewer's ``clear_cache`` message must not empty the shared caches.

Streamlit empties ``st.cache_data``/``st.cache_resource`` for every user when any client sends
``BackMsg(clear_cache=True)``; no sign-in is needed, a script speaking the websocket protocol
can send it in a loop. Here an attacker does exactly that against the real app server. To see
whether the shared caches survived, the layer's stored file is moved away after the first
page view: from then on the page can only show the layer from what the caches hold, and an
emptied cache ends in an error box ("Datei fehlt").
"""

from __future__ import annotations

import geopandas as gpd
import pytest
from harness import app_server, shown_errors, streamlit_socket, wait_until
from shapely.geometry import box

from geo.maps.layer_caches import revision
from geo.maps.tilecache import cache_dir, tiles_name
from geo.store import open_store

pytestmark = pytest.mark.browser


def _legend_texts(messages: list) -> str:
    """Everything the run drew (Markdown, HTML, widget labels), as text."""
    return " ".join(
        str(m.delta.new_element)
        for m in messages
        if m.WhichOneof("type") == "delta" and m.delta.WhichOneof("type") == "new_element"
    )


def test_a_viewers_clear_cache_message_leaves_shared_caches_alone(tmp_path):
    data = tmp_path / "data"
    store = open_store(str(data))
    areas = gpd.GeoDataFrame(
        {"GEN": ["Aschersleben", "Bernburg", "Calbe"], "AGS": ["15089015", "15089030", "15089055"]},
        geometry=[box(11.4, 51.7, 11.6, 51.8), box(11.6, 51.7, 11.8, 51.8), box(11.7, 51.8, 11.9, 51.9)],
        crs="EPSG:4326",
    )
    info = store.write(
        areas, title="Gemeinden Test", kind="municipalities", roles={"name": "GEN", "key": "AGS"}
    )
    with app_server(data) as url, streamlit_socket(url) as viewer, streamlit_socket(url) as attacker:
        first = viewer.run("basemap=none")
        assert not shown_errors(first) and "Gemeinden Test" in _legend_texts(first)

        stored = sorted((data / "layers" / info.id).glob("*.gpkg"))
        assert stored, "the GeoPackage backend keeps one file per version"
        for path in stored:  # from here on, a store read fails: only cached data can be shown
            path.rename(path.with_suffix(".moved"))

        attacker.clear_caches()
        attacked = attacker.run("basemap=none")
        again = viewer.run("basemap=none&lang=en")
        attacker.clear_caches()
        with streamlit_socket(url) as newcomer:
            third = newcomer.run("basemap=none")
        for run in (attacked, again, third):
            assert not shown_errors(run), "the caches were emptied by a viewer"
            assert "Gemeinden Test" in _legend_texts(run)


def test_the_server_prepares_the_layers_before_its_first_visitor(tmp_path):
    """`webui.warmup`: a fresh server reads and prepares every layer while it starts, so the
    first visitor does not wait for it. Seen from outside: a big area layer written without its
    tiles (as by a restore) has them cut with nobody visiting, and once the stored files are
    gone, the very first session still shows the layer, from what the start prepared."""
    data = tmp_path / "data"
    store = open_store(str(data))
    # 2,000 areas: drawn from vector tiles
    cells = [
        box(11.7 + i / 250, 51.76 + j / 400, 11.7 + (i + 1) / 250, 51.76 + (j + 1) / 400)
        for j in range(40)
        for i in range(50)
    ]
    names = [f"Zelle {k}" for k in range(len(cells))]
    areas = gpd.GeoDataFrame({"name": names}, geometry=cells, crs="EPSG:4326")
    info = store.write(areas, title="Zellen", kind="other", roles={"name": "name"})
    tiles = cache_dir(str(data)) / tiles_name(info.id, info.version, revision(info))
    assert not tiles.exists()
    with app_server(data) as url:
        wait_until(tiles.is_file, 60, "no tiles cut while the server started")
        for path in (data / "layers" / info.id).glob("*.gpkg"):
            path.rename(path.with_suffix(".moved"))  # from here on only prepared data can be shown
        with streamlit_socket(url) as first:
            run = first.run("basemap=none")
        assert not shown_errors(run), "the first visitor's run read the layer itself"
        assert "Zellen" in _legend_texts(run)
