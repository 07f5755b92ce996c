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

# A point of the map (container pixels) where a click hits a feature whose texts the page does
# not show yet (`shown`), and the same one 4 px around (not on an edge); null when the view has
# none. What a click hits is found as the browser and Leaflet find it: the topmost element (an
# SVG path, a feature's marker icon or what is inside it, a canvas; a cluster icon or a control is
# no target), on a canvas the last drawn feature containing the point, on a vector tile
# `TileLayer.featureAt`.
TARGET_JS = """(shown) => {
  const m = window.map, size = m.getSize(), box = m.getContainer().getBoundingClientRect();
  const svg = new Map(), canvas = [], grids = new Map(), icons = new Map();
  m.eachLayer(l => {
    if (l._tileGrid) Object.values(l._tileGrid._vectorTiles).forEach(t => grids.set(t._container, l._tileGrid));
    else if (l.feature && l instanceof L.Path && l._path) svg.set(l._path, l);
    else if (l.feature && l instanceof L.Path) canvas.push(l);
    else if (l.feature && l instanceof L.Marker && l._icon) icons.set(l._icon, l);
  });
  const hit = p => {
    const top = document.elementFromPoint(box.left + p.x, box.top + p.y);
    if (!top) return null;
    if (svg.has(top)) return svg.get(top).feature.properties;
    if (grids.has(top)) return window.TileLayer.featureAt(grids.get(top), p);
    for (let e = top; e && e !== m.getContainer(); e = e.parentElement)
      if (icons.has(e)) return icons.get(e).feature.properties;
    if (top.tagName !== 'CANVAS') return null;
    const lp = m.containerPointToLayerPoint(p);
    for (let i = canvas.length - 1; i >= 0; i--)
      if (canvas[i]._renderer._container === top && canvas[i]._containsPoint(lp)) return canvas[i].feature.properties;
    return null;
  };
  const texts = props => Object.values(props || {}).filter(v => typeof v === 'string' && v);
  for (let y = 60; y < size.y - 50; y += 23) for (let x = 60; x < size.x - 60; x += 23) {
    const found = texts(hit(L.point(x, y))), key = JSON.stringify(found);
    if (!found.length || found.some(s => shown.includes(s))) continue;
    if ([[4, 0], [-4, 0], [0, 4], [0, -4]].every(([dx, dy]) => JSON.stringify(texts(hit(L.point(x + dx, y + dy)))) === key))
      return [x, y];
  }
  return null;
}"""  # noqa: E501
