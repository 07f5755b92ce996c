/*
 * Vector tile layers for the Smart-Region dashboard (the project's own code, MIT).
 *
 * Draws a layer's Mapbox Vector Tiles (one PMTiles set per layer version, cut by GDAL and
 * served tile by tile by the app: /map-cache/<file>/{z}/{x}/{y}.pbf) with the vendored
 * Leaflet.VectorGrid on canvas tiles. Style, tooltip and the click contract are those of
 * compact_layer.js (its CompactLayer.util): a click hands streamlit-folium a feature whose
 * toGeoJSON() carries {layer, fid, name, category}, and the clicked feature is highlighted.
 * Property values are shown as text only: never handed to innerHTML.
 */
(function () {
  "use strict";

  // Two fixes to Leaflet.VectorGrid 1.3.0's canvas tiles (the last release):
  // - Leaflet 1.8 removed L.DomEvent.fakeStop, which a click on them calls (issue #274; fixed
  //   upstream by PR #288, unreleased): stop the event the way Leaflet 1.9 checks (_stopped);
  // - they hit-test in unscaled tile pixels, so a tile drawn above its own zoom (maxNativeZoom:
  //   the deepest tiles scaled up at zoom 12 and beyond) answered for the wrong place: the
  //   mouse is mapped into the tile's own pixels.
  function tilePoint(tile, e) {
    return pixelAt(tile._map, tile._tileCoord.z, tile._map.mouseEventToLayerPoint(e))
      .subtract(tile._tileCoord.scaleBy(tile._size));
  }

  // a point of the map's layer as a pixel of the whole world at tile zoom z
  function pixelAt(map, z, layerPoint) {
    return layerPoint.add(map.getPixelOrigin()).divideBy(map.getZoomScale(map.getZoom(), z));
  }

  L.Canvas.Tile.include({
    _onClick: function (e) {
      var point = tilePoint(this, e), clicked = null;
      for (var id in this._layers) {
        var layer = this._layers[id];
        if (layer.options.interactive && layer._containsPoint(point) && !this._map._draggableMoved(layer)) {
          clicked = layer;
        }
      }
      if (clicked) {
        e._stopped = true;
        this._fireEvent([clicked], e);
      }
    },
    _onMouseMove: function (e) {
      if (!this._map || this._map.dragging.moving() || this._map._animatingZoom) return;
      this._handleMouseHover(e, tilePoint(this, e));
    },
  });

  var util = window.CompactLayer.util;

  // base64 bits (little bit order) indexed by fid -> whether a feature is drawn; null: all are
  function keeper(bits) {
    if (!bits) return function () { return true; };
    var bin = atob(bits);
    return function (fid) { return ((bin.charCodeAt(fid >> 3) >> (fid & 7)) & 1) === 1; };
  }

  // A choropleth (opts.choropleth: per fid a class as one character, "0" + index into the
  // palette, and the value as text) fills each feature by its class and shows its value.
  function tileStyle(opts, kept) {
    var chart = opts.choropleth;
    return function (props) {
      if (!kept(props.fid)) return [];  // filtered out: not drawn
      if (!chart) return util.styleFor(opts.family, opts, props.category, false);
      var fill = chart.palette[chart.classes.charCodeAt(props.fid) - 48] || chart.palette[0];
      return { color: opts.base, weight: 1, fill: true, fillColor: fill, fillOpacity: 0.8 };
    };
  }

  function shownProperties(opts, props) {
    var chart = opts.choropleth;
    return chart ? L.extend({}, props, { category: chart.values[props.fid] }) : props;
  }

  // One selected feature per map, whichever layer (compact or tiles) it belongs to.
  function select(map, grid, fid, style) {
    var previous = map._compactSelected;
    if (previous && previous.setStyle && previous._compactStyle) previous.setStyle(previous._compactStyle);
    if (previous && previous.grid) previous.grid.resetFeatureStyle(previous.fid);
    grid.setFeatureStyle(fid, L.extend({}, style, { color: "#ffbf00", weight: (style.weight || 1) + 2 }));
    map._compactSelected = { grid: grid, fid: fid };
  }

  function tooltip(map, grid, opts) {
    var tip = L.tooltip({ sticky: true }), content = util.tooltipContent(opts.labels || { name: "Name", type: "Typ" });
    grid.on("mouseover mousemove", function (e) {
      if (!e.layer || !e.layer.properties) return;
      tip.setContent(content({ feature: { properties: shownProperties(opts, e.layer.properties) } }))
        .setLatLng(e.latlng);
      if (!map.hasLayer(tip)) tip.addTo(map);
    });
    grid.on("mouseout remove", function () { map.removeLayer(tip); });
  }

  /**
   * Fill `group` (an L.featureGroup, switched by the layer control) with the tiles at `url`
   * (a {z}/{x}/{y} template). opts: layerId, kind, family (polygons or lines), base, colours,
   * labels {name, type}, show, maxZoom (deepest zoom of the set), keep (fid bits or null),
   * choropleth ({classes, palette, values} or null).
   */
  function add(map, group, url, opts) {
    var kept = keeper(opts.keep), style = tileStyle(opts, kept);
    var grid = L.vectorGrid.protobuf(url, {
      rendererFactory: L.canvas.tile,
      interactive: true,
      maxNativeZoom: opts.maxZoom,
      vectorTileLayerStyles: { features: style },
      getFeatureId: function (f) { return f.properties.fid; },
      fetchOptions: { credentials: "same-origin" },
    });
    grid.on("click", function (e) {
      if (!e.layer || !e.layer.properties) return;
      var props = L.extend({}, e.layer.properties, { layer: opts.layerId });
      var feature = { type: "Feature", properties: props, geometry: null };
      e.layer.feature = feature;  // streamlit-folium reports layer.toGeoJSON() (last_active_drawing)
      e.layer.toGeoJSON = function () { return feature; };
      select(map, grid, props.fid, style(props)[0] || style(props));
    });
    grid.on("load", function () { group._tilesReady = true; group.fire("compactready"); });
    tooltip(map, grid, opts);
    if (!opts.show) group.addEventParent(util.hub(map));
    group.addLayer(grid);
    group._tileGrid = grid;
    return group;
  }

  /**
   * What `grid` has drawn for the current view, read only when asked (the page benchmark; no
   * per-frame work): the number of distinct features (by fid) on the view's tiles once every
   * one of them is rendered, else null. Features a filter leaves out are not on a tile.
   */
  function drawn(grid) {
    var map = grid._map;
    if (!map || grid._tileZoom === undefined) return null;
    var z = grid._tileZoom, range = grid._pxBoundsToTileRange(grid._getTiledPixelBounds(map.getCenter()));
    var ids = {}, n = 0;
    for (var x = range.min.x; x <= range.max.x; x++) {
      for (var y = range.min.y; y <= range.max.y; y++) {
        var coords = L.point(x, y);
        coords.z = z;
        if (!grid._isValidTile(coords)) continue;
        var key = grid._tileCoordsToKey(coords), tile = grid._tiles[key], canvas = grid._vectorTiles[key];
        if (!tile || !tile.loaded || !canvas) return null;
        for (var id in canvas._features) {
          if (!ids[id]) { ids[id] = true; n++; }
        }
      }
    }
    return n;
  }

  /**
   * The properties of the feature of `grid` a click at `containerPoint` (pixels in the map)
   * would hit, as the tiles' own click does, or null: where the page benchmark clicks.
   */
  function featureAt(grid, containerPoint) {
    var map = grid._map;
    if (!map || grid._tileZoom === undefined) return null;
    var z = grid._tileZoom, size = grid.getTileSize();
    var px = pixelAt(map, z, map.containerPointToLayerPoint(containerPoint));
    var coords = px.unscaleBy(size).floor();
    coords.z = z;
    var canvas = grid._vectorTiles[grid._tileCoordsToKey(coords)], hit = null;
    if (!canvas) return null;
    var local = px.subtract(coords.scaleBy(size));
    for (var id in canvas._layers) {
      if (canvas._layers[id]._containsPoint(local)) hit = canvas._layers[id];
    }
    return hit && hit.properties;
  }

  window.TileLayer = { add: add, drawn: drawn, featureAt: featureAt };
})();
