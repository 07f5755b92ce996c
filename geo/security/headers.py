"""The security headers of every HTTP response the app server sends.

The Content-Security-Policy allows images only from the app itself (including ``data:`` and
``blob:`` URLs it makes) and from the basemap tile servers in `geo.maps.build.BASEMAPS`: a
remote image in uploaded text can no longer load (no tracking beacons for viewers), and no
page may be framed by another site. Scripts stay limited to the app's own origin; Streamlit's
frontend, its components and folium build and evaluate script text at run time, which needs
``'unsafe-inline'`` and ``'unsafe-eval'`` (text from users never becomes script: it is escaped).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from geo.maps.build import BASEMAPS


def tile_origins() -> list[str]:
    """``https://host`` of every basemap's tiles, sorted."""
    return sorted(
        {f"{urlsplit(b.url).scheme}://{urlsplit(b.url).netloc}" for b in BASEMAPS.values() if b.url}
    )


def content_security_policy(image_origins: list[str]) -> str:
    images = " ".join(["'self'", "data:", "blob:", *image_origins])
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            f"img-src {images}",
            "font-src 'self' data:",
            "connect-src 'self'",
            "media-src 'self' blob: data:",
            "worker-src 'self' blob:",
            "frame-src 'self' blob: data:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        ]
    )


def security_headers() -> list[tuple[str, str]]:
    """(name, value) of the headers added to every response."""
    return [
        ("Content-Security-Policy", content_security_policy(tile_origins())),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "SAMEORIGIN"),
        # tile servers (OpenStreetMap's usage policy) want to see which site asks: the origin only
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]
