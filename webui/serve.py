"""Start the dashboard: ``python -m webui.serve [streamlit options]`` (used by ``make run``).

Same as ``streamlit run dashboard.py``, except that Streamlit's legacy mode for apps with a
``pages/`` folder is switched off before the first session, so even the very first deep
link after a start (e.g. ``/veranstaltungen``) goes through dashboard.py's navigation.
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

DASHBOARD = Path(__file__).resolve().parents[1] / "dashboard.py"


def main() -> int:
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(DASHBOARD), *sys.argv[1:]]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
