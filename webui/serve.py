"""Start the dashboard: ``python -m webui.serve [--server.port=8501 ...]`` (used by ``make run``).

Runs `webui.server.app` (the dashboard plus the app's own routes) with Streamlit's options
given as ``--section.option=value`` or ``--section.option value``. Before the first session,
Streamlit's legacy mode for apps with a ``pages/`` folder is switched off, so even the very
first deep link after a start (e.g. a phone scanning ``/mitmachen``) goes through
dashboard.py's navigation instead of showing Streamlit's "Page not found" dialog.
"""

from __future__ import annotations

import sys

from streamlit.runtime.pages_manager import PagesManager


def parse_options(argv: list[str]) -> dict[str, object]:
    """``["--server.port=8502", "--server.headless", "true"]`` → ``{"server.port": 8502, …}``,
    each value of its option's type: a string "false" given for a bool option would count as
    true, and breaks every run's session message (``browser.gatherUsageStats``)."""
    options, rest = {}, list(argv)
    while rest:
        arg = rest.pop(0)
        if not arg.startswith("--") or "." not in arg:
            raise SystemExit(f"unknown argument {arg!r}: use --section.option=value")
        name, eq, value = arg[2:].partition("=")
        if not eq:  # "--name value", or a bare "--name" for true
            value = rest.pop(0) if rest and not rest[0].startswith("--") else "true"
        options[name] = typed(name, value)
    return options


def typed(name: str, value: str) -> object:
    """`value` as the type Streamlit's option `name` has (unknown options stay text)."""
    from streamlit import config

    option = config.get_config_options().get(name)
    kind = option.type if option is not None else str
    if kind is bool:
        if value.lower() not in ("true", "false"):
            raise SystemExit(f"--{name} takes true or false, not {value!r}")
        return value.lower() == "true"
    if kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            raise SystemExit(f"--{name} takes a number, not {value!r}") from None
    return value


def main(argv: list[str] | None = None) -> int:
    PagesManager.uses_pages_directory = False  # we route with st.navigation only
    from webui.server import app

    app.run(config=parse_options(sys.argv[1:] if argv is None else argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
