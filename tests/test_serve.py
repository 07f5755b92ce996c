"""The app server's command line: Streamlit options reach Streamlit with their own types."""

from __future__ import annotations

import pytest

from webui.serve import parse_options


def test_options_get_their_types():
    argv = ["--browser.gatherUsageStats=false", "--server.port", "8502", "--server.headless"]
    options = parse_options(argv + ["--server.address=127.0.0.1", "--server.maxUploadSize=50"])
    assert options == {
        "browser.gatherUsageStats": False,  # the text "false" broke every run's session message
        "server.port": 8502,
        "server.headless": True,
        "server.address": "127.0.0.1",
        "server.maxUploadSize": 50,
    }


@pytest.mark.parametrize("arg", ["--server.headless=maybe", "--server.port=eighty", "server.port=1"])
def test_bad_options_are_refused_readably(arg):
    with pytest.raises(SystemExit, match="server"):
        parse_options([arg])
