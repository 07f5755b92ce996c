"""The HTML of the light phone page (see `webui.phone`): server-made, escaped, small.

Everything the page's script needs (round, texts in the chosen language, basemap) travels
as one JSON block that is data, not code (``type="application/json"``, ``<`` escaped), so no
user text is ever parsed as HTML or script.
"""

from __future__ import annotations

import html
import json
from urllib.parse import urlsplit

from geo.i18n import t
from geo.maps.build import BASEMAPS, DEFAULT_BASEMAP
from geo.participation.rounds import Round, local_text

_TEXT_KEYS = (
    "ui.part.tap_hint",
    "ui.part.no_point",
    "ui.part.point",
    "ui.part.category",
    "ui.part.text",
    "ui.part.placeholder",
    "ui.part.send",
    "ui.part.thanks",
    "ui.part.supported",
    "ui.part.list_title",
    "ui.part.plus_one",
    "ui.part.plus_one_done",
    "ui.part.extent",
    "ui.phone.retrying",
    "ui.phone.offline",
)

_STYLE = """
body{margin:0;font:18px/1.4 system-ui,sans-serif;color:#111;background:#fff}
main{max-width:760px;margin:0 auto;padding:12px}
h1{font-size:24px;line-height:1.25;margin:4px 0 6px}
#map{height:340px;border:1px solid #888;border-radius:6px}
fieldset{border:0;padding:0;margin:12px 0}
legend,label.t{font-weight:600;display:block;margin-bottom:6px}
.cats label{display:flex;align-items:center;min-height:44px;gap:10px}
.cats input{width:22px;height:22px}
textarea{width:100%;box-sizing:border-box;font:inherit;min-height:96px;padding:8px}
button{font:inherit;min-height:52px;min-width:64px;border-radius:6px;border:1px solid #0b5394;
background:#fff;color:#0b5394}
button.primary{width:100%;background:#0b5394;color:#fff;font-weight:700}
button:disabled{opacity:.55}
.msg{padding:10px;border-radius:6px;margin:10px 0}
.ok{background:#e6f4ea;color:#0d652d}.err{background:#fce8e6;color:#a50e0e}
.note{font-size:15px;color:#333}
ol{list-style:none;padding:0}
li{border:1px solid #bbb;border-radius:6px;padding:8px;margin:8px 0}
li .c{font-size:14px;color:#333}
li p{margin:4px 0 8px;white-space:pre-wrap;overflow-wrap:anywhere}
"""


def basemap_origin(name: str | None) -> str:
    """Scheme and host of the basemap's tiles ('' for none), for the page's security policy."""
    url = BASEMAPS.get(name or DEFAULT_BASEMAP, BASEMAPS[DEFAULT_BASEMAP]).url
    if not url:
        return ""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _config(rnd: Round, lang: str, basemap: str | None) -> str:
    base = BASEMAPS.get(basemap or DEFAULT_BASEMAP, BASEMAPS[DEFAULT_BASEMAP])
    data = {
        "round": rnd.id,
        "bbox": list(rnd.bbox),
        "categories": list(rnd.categories),
        "maxText": rnd.max_text,
        "open": rnd.status() == "open",
        "lang": lang,
        "tiles": base.url,
        "attribution": base.attribution,
        "maxZoom": base.max_zoom,
        "texts": {key: t(key, lang) for key in _TEXT_KEYS},
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace("&", "\\u0026")


def _status(rnd: Round, lang: str) -> str:
    status = rnd.status()
    if status == "open":
        return t("ui.part.status_open", lang, end=local_text(rnd.end))
    if status == "planned":
        return t("ui.part.status_planned", lang, start=local_text(rnd.start))
    return t(
        "ui.part.status_closed" if status == "closed" else "ui.part.status_ended",
        lang,
        end=local_text(rnd.end),
    )


def page_html(rnd: Round | None, lang: str, error: str = "", basemap: str | None = None) -> str:
    """The whole page; with `rnd` None only `error` (e.g. an unknown round) is shown."""
    e = html.escape
    head = (
        f'<!doctype html><html lang="{e(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{e(t('ui.part.title', lang))}</title>"
        f'<link rel="stylesheet" href="assets/leaflet.css"><style>{_STYLE}</style></head><body><main>'
    )
    if rnd is None:
        return head + f'<p class="msg err" role="alert">{e(error)}</p></main></body></html>'
    cats = "".join(
        f'<label><input type="radio" name="cat" value="{e(c)}"{" checked" if i == 0 else ""}> {e(c)}</label>'
        for i, c in enumerate(rnd.categories)
    )
    form = (
        f'<form id="form" novalidate><p class="note">{e(t("ui.part.tap_hint", lang).replace("**", ""))}</p>'
        f'<p id="point" class="note" aria-live="polite">{e(t("ui.part.no_point", lang))}</p>'
        f'<fieldset class="cats"><legend>{e(t("ui.part.category", lang))}</legend>{cats}</fieldset>'
        f'<label class="t" for="text">{e(t("ui.part.text", lang))}</label>'
        f'<textarea id="text" maxlength="{rnd.max_text}" placeholder="{e(t("ui.part.placeholder", lang))}">'
        f'</textarea><p id="msg" role="status" aria-live="polite"></p>'
        f'<button class="primary" id="send" type="submit">{e(t("ui.part.send", lang))}</button></form>'
    )
    return (
        head
        + f'<h1>{e(rnd.question)}</h1><p class="note">{e(_status(rnd, lang))}</p>'
        + f'<p class="note">{e(t("ui.part.privacy", lang))}</p>'
        + f'<div id="map" role="application" aria-label="{e(t("ui.part.extent", lang))}"></div>'
        + (form if rnd.status() == "open" else "")
        + '<h2 id="list-title"></h2><ol id="list"></ol>'
        + f'<script id="config" type="application/json">{_config(rnd, lang, basemap)}</script>'
        + '<script src="assets/leaflet.js"></script><script src="assets/phone.js"></script>'
        + "</main></body></html>"
    )
