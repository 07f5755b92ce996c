"""How the benchmarks read a map in the browser: what it has drawn, and where a click hits a feature.

The one place to adapt to a new way of drawing (page_bench.py and load_sessions.py use it).
Leaflet paths and markers carrying a feature count one each, also those a marker cluster
holds; a vector tile layer (static/js/tile_layer.js) counts the distinct features on the tiles
of the view, and only once every tile of the view is rendered (`TileLayer.drawn`).
"""

from __future__ import annotations

DRAWN_JS = """() => {
  if (!window.L) return 0;
  const seen = new Set(); let tiled = 0;
  const take = l => { if (l.feature && (l instanceof L.Path || l instanceof L.Marker)) seen.add(l); };
  Object.values(window).filter(v => v instanceof L.Map).forEach(m => m.eachLayer(l => {
    take(l);
    if (L.MarkerClusterGroup && l instanceof L.MarkerClusterGroup) l.getLayers().forEach(take);
    if (l._tileGrid) tiled += window.TileLayer.drawn(l._tileGrid) || 0;
  }));
  return seen.size + tiled;
}"""

# Whether every tile layer of the map has rendered all tiles of its view (a click may aim).
VIEW_READY_JS = """() => { let ready = !!(window.L && window.map);
  if (ready) window.map.eachLayer(l => { if (l._tileGrid) ready = ready && window.TileLayer.drawn(l._tileGrid) !== null; });
  return ready; }"""  # noqa: E501

# A point of the map (container pixels) where every feature a click could hit (tiles, paths,
# markers) has texts the page does not show yet (`shown`), the same ones 5 px around (not on an
# edge), and nothing else (a cluster icon, a control) lies on top; null when the view has none.
TARGET_JS = """(shown) => {
  const m = window.map, size = m.getSize(), box = m.getContainer().getBoundingClientRect();
  const grids = [], paths = [], markers = [];
  m.eachLayer(l => {
    if (l._tileGrid) grids.push(l._tileGrid);
    else if (l.feature && l instanceof L.Path) paths.push(l);
    else if (l.feature && l instanceof L.Marker) markers.push(l);
  });
  const hits = p => {
    const lp = m.containerPointToLayerPoint(p), out = [];
    grids.forEach(g => { const f = window.TileLayer.featureAt(g, p); if (f) out.push(f); });
    paths.forEach(l => { if (l._containsPoint(lp)) out.push(l.feature.properties); });
    markers.forEach(l => { if (m.latLngToContainerPoint(l.getLatLng()).distanceTo(p) < 8) out.push(l.feature.properties); });
    return out.map(props => Object.values(props || {}).filter(v => typeof v === 'string' && v));
  };
  for (let y = 60; y < size.y - 50; y += 23) for (let x = 60; x < size.x - 60; x += 23) {
    const p = L.point(x, y), found = hits(p), key = JSON.stringify(found);
    if (!found.length || found.some(t => !t.length || t.some(s => shown.includes(s)))) continue;
    const top = document.elementFromPoint(box.left + x, box.top + y);
    if (!top || !['CANVAS', 'path'].includes(top.tagName)) continue;
    if ([[5, 0], [-5, 0], [0, 5], [0, -5]].every(([dx, dy]) => JSON.stringify(hits(L.point(x + dx, y + dy))) === key))
      return [x, y];
  }
  return null;
}"""  # noqa: E501
