"""The launcher's command line: Streamlit options arrive typed, as `App.run` needs them."""

from __future__ import annotations

import pytest

from webui.serve import parse_options


def test_options_get_streamlit_types():
    options = parse_options(
        ["--server.port=8502", "--server.headless", "true", "--browser.gatherUsageStats=false"]
        + ["--server.address", "127.0.0.1"]
    )
    # a str "false" for a bool option made every later session message fail with a TypeError
    assert options == {
        "server.port": 8502,
        "server.headless": True,
        "browser.gatherUsageStats": False,
        "server.address": "127.0.0.1",
    }


@pytest.mark.parametrize(
    "argv", [["--server.port=acht"], ["--no.such=1"], ["server.port=1"], ["--server.headless=vielleicht"]]
)
def test_bad_options_stop_with_one_line(argv):
    with pytest.raises(SystemExit, match="unknown argument|not a number|not true or false"):
        parse_options(argv)
