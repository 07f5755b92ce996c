"""The map sheet button: paper, orientation, then a PDF made only when asked for."""

from __future__ import annotations

import streamlit as st

from geo.errors import GeoError
from geo.maps.build import MapLayer
from geo.maps.sheet import PAPERS, render_sheet
from webui.common import lang, tr


def sheet_button(layers: list[MapLayer], title: str, link: str, shown: object, key: str) -> None:
    """A popover with paper size, orientation and "Kartenblatt erstellen"; the download appears
    once the sheet is made, and only while it still matches what the map shows (`shown`)."""
    with st.popover(tr("ui.sheet.heading"), icon=":material/print:"):
        paper = st.radio(tr("ui.sheet.paper"), list(PAPERS), horizontal=True, key=f"{key}_paper")
        wide = st.radio(
            tr("ui.sheet.orientation"),
            [True, False],
            format_func=lambda w: tr("ui.sheet.landscape" if w else "ui.sheet.portrait"),
            horizontal=True,
            key=f"{key}_landscape",
        )
        wanted = (shown, paper, wide, lang())
        if st.button(tr("ui.sheet.make"), key=f"{key}_make", icon=":material/picture_as_pdf:"):
            try:
                pdf = render_sheet(layers, title, link, lang(), paper, wide)
                st.session_state[f"{key}_pdf"] = (wanted, pdf)
            except GeoError as err:
                st.session_state.pop(f"{key}_pdf", None)
                st.error(err.message(lang()))
        made = st.session_state.get(f"{key}_pdf")
        if made and made[0] == wanted:
            st.download_button(
                tr("ui.sheet.download"),
                data=made[1],
                file_name="kartenblatt.pdf",
                mime="application/pdf",
                key=f"{key}_download",
                icon=":material/download:",
            )
