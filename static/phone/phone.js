// The light phone page of a participation round (served by webui/phone.py).
// All user text is set with textContent, never as HTML. Sends are retried with the same
// request id, so a lost answer or a restarted server never stores an idea twice.
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("config").textContent);
  var T = cfg.texts;
  var api = "../api/rounds/" + encodeURIComponent(cfg.round) + "/contributions";
  var lang = "?lang=" + encodeURIComponent(cfg.lang);
  var RETRIES = [500, 1000, 2000, 4000, 4000, 4000, 4000];
  var point = null;
  var requestId = newId();
  var supported = {};

  function fill(text, params) {
    return text.replace(/\{(\w+)\}/g, function (m, k) { return k in params ? params[k] : m; });
  }
  function newId() {
    var a = new Uint8Array(16);
    crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function show(el, text, ok) {
    el.textContent = text;
    el.className = "msg " + (ok ? "ok" : "err");
  }

  // POST with retries on network errors and 5xx (another replica answers the retry).
  function post(url, body, attempt) {
    attempt = attempt || 0;
    return fetch(url + lang, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(body || {})
    }).then(function (r) {
      if (r.status >= 500 && attempt < RETRIES.length) { throw new Error("retry"); }
      return r.json().then(function (data) { return { status: r.status, data: data }; });
    }).catch(function (err) {
      if (attempt >= RETRIES.length) { throw err; }
      var msg = document.getElementById("msg");
      if (msg) { show(msg, T["ui.phone.retrying"], true); }
      return new Promise(function (ok) { setTimeout(ok, RETRIES[attempt]); })
        .then(function () { return post(url, body, attempt + 1); });
    });
  }

  var map = L.map("map", { zoomControl: true });
  if (cfg.tiles) {
    L.tileLayer(cfg.tiles, { attribution: cfg.attribution, maxZoom: cfg.maxZoom }).addTo(map);
  }
  var b = cfg.bbox;
  var bounds = [[b[1], b[0]], [b[3], b[2]]];
  L.rectangle(bounds, { color: "#0b5394", weight: 2, fill: false, interactive: false }).addTo(map);
  map.fitBounds(bounds);
  var marks = L.layerGroup().addTo(map);
  var picked = null;

  var form = document.getElementById("form");
  if (form) {
    map.on("click", function (e) {
      point = [Math.round(e.latlng.lng * 1e6) / 1e6, Math.round(e.latlng.lat * 1e6) / 1e6];
      if (picked) { map.removeLayer(picked); }
      picked = L.circleMarker(e.latlng, { radius: 11, color: "#a50e0e", weight: 3 }).addTo(map);
      document.getElementById("point").textContent =
        fill(T["ui.part.point"], { lat: point[1].toFixed(4), lon: point[0].toFixed(4) });
    });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var button = document.getElementById("send");
      var msg = document.getElementById("msg");
      var cat = form.querySelector("input[name=cat]:checked");
      button.disabled = true;
      post(api, {
        lon: point && point[0], lat: point && point[1], category: cat ? cat.value : "",
        text: document.getElementById("text").value, request_id: requestId
      }).then(function (res) {
        if (res.status === 201) {
          show(msg, res.data.message, true);
          document.getElementById("text").value = "";
          requestId = newId();
          load();
        } else {
          show(msg, res.data.error, false);
        }
      }).catch(function () { show(msg, T["ui.phone.offline"], false); })
        .then(function () { button.disabled = false; });
    });
  }

  function plusOne(item, button, note) {
    button.disabled = true;
    post(api + "/" + item.id + "/support").then(function (res) {
      if (res.status === 200 || res.data.code === "err.part_already_supported") {
        supported[item.id] = true;
        button.textContent = "\u2713 " + fill(T["ui.part.plus_one"], { n: res.data.support || item.support });
        show(note, res.status === 200 ? res.data.message : T["ui.part.plus_one_done"], true);
      } else {
        button.disabled = false;
        show(note, res.data.error, false);
      }
    }).catch(function () { button.disabled = false; show(note, T["ui.phone.offline"], false); });
  }

  function render(data) {
    supported = {};
    data.supported.forEach(function (id) { supported[id] = true; });
    document.getElementById("list-title").textContent = fill(T["ui.part.list_title"], { n: data.items.length });
    var list = document.getElementById("list");
    list.textContent = "";
    marks.clearLayers();
    data.items.slice().reverse().slice(0, 40).forEach(function (item) {
      var li = document.createElement("li");
      var c = document.createElement("div");
      c.className = "c";
      c.textContent = item.category;
      var p = document.createElement("p");
      p.textContent = item.text;
      var button = document.createElement("button");
      button.type = "button";
      var done = supported[item.id];
      button.textContent = (done ? "\u2713 " : "") + fill(T["ui.part.plus_one"], { n: item.support });
      button.disabled = !!done || !cfg.open;
      var note = document.createElement("div");
      button.addEventListener("click", function () { plusOne(item, button, note); });
      li.append(c, p, button, note);
      list.appendChild(li);
    });
    data.items.forEach(function (item) {
      L.circleMarker([item.lat, item.lon], { radius: 6, color: "#0b5394", weight: 2 }).addTo(marks);
    });
  }

  function load() {
    fetch(api + lang, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { render(data); } })
      .catch(function () { /* the next poll tries again */ });
  }
  load();
  setInterval(load, 20000);
})();
