"""Start the dashboard: ``python -m webui.serve [--server.port=8501 ...]`` (used by ``make run``).

Runs `webui.server.app` (the dashboard plus the app's own routes) with Streamlit's options
given as ``--section.option=value`` or ``--section.option value``. Before the first session,
Streamlit's legacy mode for apps with a ``pages/`` folder is switched off, so even the very
first deep link after a start (e.g. a phone scanning ``/mitmachen``) goes through
dashboard.py's navigation instead of showing Streamlit's "Page not found" dialog.

The client address every limit counts by is the connection's, or the one a trusted reverse
proxy forwards (``SMART_REGION_TRUSTED_PROXIES``, passed on to uvicorn as
``FORWARDED_ALLOW_IPS``): ``X-Forwarded-For`` from anybody else is ignored. Started with
``uvicorn`` directly, give uvicorn ``--forwarded-allow-ips`` yourself.
"""

from __future__ import annotations

import os
import sys

from streamlit import config as st_config
from streamlit.runtime.pages_manager import PagesManager

from geo.config import load_settings
from geo.errors import GeoError
from geo.security.addresses import trusted_proxies
from geo.security.tokens import secret_key


def parse_options(argv: list[str]) -> dict[str, object]:
    """``["--server.port=8502", "--server.headless", "true"]`` → ``{"server.port": 8502, …}``.

    Values get the type Streamlit declares for the option: `App.run` takes them as given, and
    a string where Streamlit expects a bool ("false" for ``browser.gatherUsageStats``) broke
    every later session message of the server."""
    known, options, rest = st_config.get_config_options(), {}, list(argv)
    while rest:
        arg = rest.pop(0)
        name, eq, value = arg[2:].partition("=")
        if not arg.startswith("--") or name not in known:
            raise SystemExit(f"unknown argument {arg!r}: use --section.option=value")
        options[name] = _typed(known[name].type, value if eq else (rest.pop(0) if rest else "true"))
    return options


def _typed(kind: type, value: str) -> object:
    if kind is bool:
        if value.lower() not in ("true", "false", "1", "0"):
            raise SystemExit(f"not true or false: {value!r}")
        return value.lower() in ("true", "1")
    try:
        return kind(value) if kind in (int, float) else value
    except ValueError:
        raise SystemExit(f"not a number: {value!r}") from None


def main(argv: list[str] | None = None) -> int:
    PagesManager.uses_pages_directory = False  # we route with st.navigation only
    try:  # uvicorn trusts loopback's X-Forwarded-For by default: only the configured proxies here
        os.environ["FORWARDED_ALLOW_IPS"] = ",".join(trusted_proxies(load_settings().trusted_proxies))
        secret_key()  # a key that is set but too short stops the start, with the reason
    except GeoError as err:
        print(f"Fehler: {err.message('de')}", file=sys.stderr)
        return 2
    from webui.server import app

    app.run(config=parse_options(sys.argv[1:] if argv is None else argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
