"""Map sheets through the real app: made on request on the map page and on a forum station, then
downloaded as a PDF that holds the title, the legend and the sources, with no outside request."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from harness import block_outside, chromium, map_frame, streamlit_server
from pypdf import PdfReader

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("SHEET_SHOTS")  # a folder: save screenshots of the sheet popover there


def _download_sheet(page, name: str) -> str:
    """Open the sheet popover, make the sheet, download it; the PDF's text."""
    page.get_by_role("button", name="Kartenblatt (PDF)").click()
    page.get_by_role("button", name="Kartenblatt erstellen").click()
    button = page.get_by_role("button", name="Kartenblatt herunterladen (PDF)")
    button.wait_for(timeout=60_000)
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"sheet-{name}.png"))
    with page.expect_download(timeout=60_000) as dl:
        button.click()
    assert dl.value.suggested_filename == "kartenblatt.pdf"
    reader = PdfReader(io.BytesIO(Path(dl.value.path()).read_bytes()))
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text()


def test_sheet_downloads_from_map_page_and_forum_station(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    with streamlit_server(data) as url, chromium() as browser:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        blocked = block_outside(context, url)
        page = context.new_page()
        page.goto(
            url + "/?basemap=none&layers=gemeinden-salzlandkreis,bahnhoefe-db-2020",
            wait_until="domcontentloaded",
        )
        map_frame(page)
        text = _download_sheet(page, "map")
        assert "Legende" in text and "Quellen: " in text and "Stand: " in text
        assert "GeoBasis-DE / BKG" in text  # the boundaries' attribution
        assert "Bernburg (Saale)" in text and "Gemeinden Salzlandkreis · Bahnhöfe (DB 2020)" in text

        page.goto(url + "/forum?station=2", wait_until="domcontentloaded")
        map_frame(page)
        title = page.locator("h1").first.inner_text()
        text = _download_sheet(page, "forum")
        assert title.strip() in text and "Legende" in text and "Quellen: " in text
        assert not blocked, blocked[:3]
        context.close()
