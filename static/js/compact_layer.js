/*
 * Compact map layers for the Smart-Region dashboard (the project's own code, MIT).
 *
 * Decodes the payload written by geo/payload.py (column arrays + base64 zigzag varint
 * coordinates) into Leaflet layers drawn on one shared canvas renderer per map. Every
 * drawn layer carries `.feature = {type, properties}` so streamlit-folium reports clicks
 * (last_active_drawing) like for GeoJSON, and so tests can count drawn features.
 * Property values are shown as text only: never handed to innerHTML.
 */
(function () {
  "use strict";

  // --- integer unpacking -------------------------------------------------------------------

  function counts(b64) {
    if (b64 === null || b64 === undefined) return null;
    var bin = atob(b64), out = [], v = 0, scale = 1;
    for (var i = 0; i < bin.length; i++) {
      var b = bin.charCodeAt(i);
      v += (b & 127) * scale;
      if (b & 128) {
        scale *= 128;
      } else {
        out.push(v);
        v = 0;
        scale = 1;
      }
    }
    return out;
  }

  function deltas(b64) {
    var z = counts(b64), acc = 0;
    for (var i = 0; i < z.length; i++) {
      acc += z[i] % 2 ? -(z[i] + 1) / 2 : z[i] / 2;
      z[i] = acc;
    }
    return z;
  }

  function column(col, n) {
    if (Array.isArray(col)) return col;
    if (col.start !== undefined) {
      var seq = new Array(n);
      for (var k = 0; k < n; k++) seq[k] = col.start + k;
      return seq;
    }
    if (col.int !== undefined) return deltas(col.int);
    var codes = counts(col.codes), out = new Array(codes.length);
    for (var i = 0; i < codes.length; i++) out[i] = col.dict[codes[i]];
    return out;
  }

  // --- geometry ------------------------------------------------------------------------------

  // [{feat, parts}] per family; parts are latlngs, lines or polygons (lists of rings).
  function family(data, kind, n) {
    var xs = deltas(data.x), ys = deltas(data.y), g = data.grid;
    var feat = data.feat ? deltas(data.feat) : null, m = feat ? feat.length : n;
    var parts = counts(data.parts), rings = counts(data.rings), verts = counts(data.verts);
    var out = [], c = 0, p = 0, r = 0;
    for (var k = 0; k < m; k++) {
      var nParts = parts ? parts[k] : 1, geom = [];
      for (var j = 0; j < nParts; j++, p++) {
        if (kind === "points") {
          geom.push(new L.LatLng(ys[c] * g, xs[c] * g));
          c++;
          continue;
        }
        var nRings = kind === "polygons" && rings ? rings[p] : 1, piece = [];
        for (var q = 0; q < nRings; q++, r++) {
          var ring = new Array(verts[r]);
          for (var v = 0; v < verts[r]; v++, c++) ring[v] = new L.LatLng(ys[c] * g, xs[c] * g);
          piece.push(ring);
        }
        geom.push(kind === "polygons" ? piece : piece[0]);
      }
      out.push({ feat: feat ? feat[k] : k, parts: geom });
    }
    return out;
  }

  // --- text and style --------------------------------------------------------------------------

  var ENTITIES = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#x27;": "'", "&#39;": "'" };

  // Values arrive HTML-escaped (geo/display.py); undo that for display as plain text.
  function plain(value) {
    if (value === null || value === undefined) return "";
    return String(value).replace(/&(amp|lt|gt|quot|#x27|#39);/g, function (e) { return ENTITIES[e]; });
  }

  function tooltipContent(labels) {
    return function (layer) {
      if (!layer.feature && layer.getChildCount) return String(layer.getChildCount());  // a cluster
      var props = (layer.feature && layer.feature.properties) || {}, box = document.createElement("div");
      [[labels.name, props.name], [labels.type, props.category]].forEach(function (row) {
        if (!plain(row[1])) return;
        var line = document.createElement("div"), label = document.createElement("b");
        label.textContent = row[0] + ": ";
        line.appendChild(label);
        line.appendChild(document.createTextNode(plain(row[1])));
        box.appendChild(line);
      });
      return box;
    };
  }

  function styleFor(kind, opts, category, many) {
    var colour = (opts.colours && opts.colours[category]) || opts.base;
    if (kind === "polygons" && opts.kind === "municipalities") {
      return { color: opts.base, weight: 1.5, fill: true, fillColor: "#9ecae1", fillOpacity: 0.25 };
    }
    if (kind === "polygons") return { color: colour, weight: 2, dashArray: "6 4", fill: true, fillOpacity: 0.15 };
    if (kind === "lines") return { color: colour, weight: 3, opacity: 0.9 };
    return { radius: many ? 4 : 7, color: "#ffffff", weight: many ? 1 : 1.5, fill: true,
             fillColor: colour, fillOpacity: 0.95 };
  }

  function renderer(map) {
    if (!map._compactRenderer) map._compactRenderer = L.canvas({ padding: 0.5, tolerance: 3 });
    return map._compactRenderer;
  }

  // --- building ----------------------------------------------------------------------------

  function properties(payload, layerId) {
    var names = Object.keys(payload.columns), cols = {}, out = new Array(payload.n);
    names.forEach(function (name) { cols[name] = column(payload.columns[name], payload.n); });
    for (var i = 0; i < payload.n; i++) {
      var props = { layer: layerId };
      for (var j = 0; j < names.length; j++) props[names[j]] = cols[names[j]][i];
      out[i] = { type: "Feature", properties: props };
    }
    return out;
  }

  function build(map, group, payload, opts) {
    var timings = group._compactTimings, features = properties(payload, opts.layerId);
    var shared = renderer(map), layers = [];
    var many = payload.points && payload.n > 2000;
    // large point layers cluster (opts.cluster: Leaflet.markercluster options, served by the app)
    var clusters = opts.cluster && L.markerClusterGroup ? L.markerClusterGroup(opts.cluster) : null;
    ["polygons", "lines", "points"].forEach(function (kind) {
      if (!payload[kind]) return;
      family(payload[kind], kind, payload.n).forEach(function (entry) {
        if (!entry.parts.length) return;
        var feature = features[entry.feat], style = styleFor(kind, opts, feature.properties.category, many);
        style.renderer = shared;
        var made = kind === "points"
          ? entry.parts.map(function (ll) { return L.circleMarker(ll, style); })
          : [kind === "polygons" ? L.polygon(entry.parts, style) : L.polyline(entry.parts, style)];
        made.forEach(function (layer) {
          layer.feature = feature;
          layer._compactStyle = style;
          layers.push(layer);
        });
      });
    });
    timings.built = performance.now();
    layers.forEach(function (layer) {
      if (clusters && layer instanceof L.CircleMarker) clusters.addLayer(layer);
      else group.addLayer(layer);
    });
    if (clusters) {
      // Leaflet 1.9.3: the group's tooltip, opened by a click, sets aria-describedby on each
      // child's element and throws on a child without one (this cluster group); the throw ended
      // the click before the highlight and streamlit-folium heard it: no details for a point.
      clusters.getElement = function () { return null; };
      group.addLayer(clusters);
    }
    timings.added = performance.now();
    group._compactReady = true;
    group.fire("compactready", { count: layers.length });
  }

  // One highlighted feature per map, whichever compact layer it belongs to.
  function highlight(map) {
    return function (e) {
      var layer = e.layer, previous = map._compactSelected;
      if (!layer || !layer.setStyle) return;
      if (previous && previous.grid) previous.grid.resetFeatureStyle(previous.fid);  // tile_layer.js
      else if (previous && previous !== layer) previous.setStyle(previous._compactStyle);
      layer.setStyle({ color: "#ffbf00", weight: (layer._compactStyle.weight || 1) + 2 });
      if (layer.bringToFront) layer.bringToFront();
      map._compactSelected = layer;
    };
  }

  // Clicks reach streamlit-folium through the group (it listens on every layer of the map
  // when the component starts). A group hidden at start is not on the map then, so its
  // events also bubble to one always-present, empty hub layer.
  function hub(map) {
    if (!map._compactHub) map._compactHub = L.featureGroup().addTo(map);
    return map._compactHub;
  }

  function load(map, group, source, opts) {
    var timings = (group._compactTimings = { start: performance.now() });  // ms, for the benchmark
    var fill = function (payload) {
      timings.received = performance.now();
      build(map, group, payload, opts);
    };
    var fail = function (err) {
      group._compactError = String(err);
      if (window.console) console.error("compact layer " + opts.layerId + ": " + err);
    };
    if (typeof source === "string") {
      fetch(source, { credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
        .then(fill)
        .catch(fail);
    } else {
      // after the component's start-up hook, so it does not bind a listener to every feature
      setTimeout(function () { try { fill(source); } catch (err) { fail(err); } }, 0);
    }
  }

  /**
   * Fill `group` (an L.featureGroup, switched by the layer control) from `source`: the
   * payload object, or the URL of its JSON file. opts: layerId, kind, base, colours,
   * labels {name, type}, show, cluster (markercluster options, or null: points drawn one by one).
   * A layer hidden at start is fetched and built when first shown.
   */
  function add(map, group, source, opts) {
    group.bindTooltip(tooltipContent(opts.labels || { name: "Name", type: "Typ" }), { sticky: true });
    group.on("click", highlight(map));
    if (opts.show) {
      load(map, group, source, opts);
    } else {
      group.addEventParent(hub(map));
      group.once("add", function () { load(map, group, source, opts); });
    }
    return group;
  }

  window.CompactLayer = {
    add: add,
    decode: { counts: counts, deltas: deltas, family: family },
    // shared with tile_layer.js: one look and one tooltip for every big layer
    util: { tooltipContent: tooltipContent, styleFor: styleFor, hub: hub, counts: counts },
  };
})();
