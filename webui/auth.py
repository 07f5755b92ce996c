"""Planner sign-in for the pages: the sidebar form, sign-out, and the guard of planner pages.

The signed-in name lives only in the server-side session state of one browser tab; a
reload starts a new session, signed out. Accounts and the lockout policy are in `geo.auth`;
the wrong-password counter is the store's (`geo.store.LoginStore`).
"""

from __future__ import annotations

import streamlit as st

from geo.auth import AuthError, authenticate, load_accounts
from geo.errors import GeoError
from webui.common import get_store, lang, tr

SESSION_KEY = "planner"
PLANNER_STATE = ("upload_nonce", "upload_cache", "upload_flash", "manage_flash")


# (script, title key, icon, URL path) of the pages only planners may use
PLANNER_PAGES = (
    ("pages/upload.py", "ui.upload.title", ":material/upload_file:", "upload"),
    ("pages/tour_edit.py", "ui.tour.title", ":material/slideshow:", "fuehrung"),
    ("pages/manage.py", "ui.manage.title", ":material/layers:", "verwalten"),
    ("pages/participation_admin.py", "ui.part.admin_title", ":material/how_to_vote:", "beteiligung"),
)


def current_user() -> str | None:
    """The signed-in planner's name, or None for viewers."""
    return st.session_state.get(SESSION_KEY)


def _accounts() -> dict[str, str]:
    """Accounts from ``secrets.toml`` ``[planners]`` and ``SMART_REGION_PLANNERS``."""
    table = st.secrets.get("planners") if st.secrets.load_if_toml_exists() else None
    accounts = load_accounts(dict(table) if table else None)
    if not accounts:
        raise AuthError("err.auth_no_accounts")
    return accounts


def _sign_in_form(where, key: str) -> None:
    """Name and password; on success the session is signed in and the page reruns."""
    with where.form(key, clear_on_submit=True, border=False):
        name = st.text_input(tr("ui.auth.username"), key=f"{key}_user", autocomplete="username")
        password = st.text_input(
            tr("ui.auth.password"), type="password", key=f"{key}_password", autocomplete="current-password"
        )
        submitted = st.form_submit_button(tr("ui.auth.submit"), type="primary")
    if not submitted:
        return
    try:
        user = authenticate(name, password, _accounts(), get_store())
    except GeoError as err:
        where.error(err.message(lang()), icon=":material/block:")
        return
    st.session_state[SESSION_KEY] = user
    st.rerun()


def _sign_out() -> None:
    for key in (SESSION_KEY, *PLANNER_STATE):
        st.session_state.pop(key, None)


def sidebar() -> None:
    """Signed in: name and sign-out button. Otherwise a collapsed sign-in form."""
    user = current_user()
    if user:
        st.sidebar.caption(tr("ui.auth.signed_in", user=user))
        st.sidebar.button(tr("ui.auth.sign_out"), key="sign_out", on_click=_sign_out)
        return
    with st.sidebar.expander(tr("ui.auth.sign_in_title"), icon=":material/lock:"):
        _sign_in_form(st, "sign_in_sidebar")


def planner_pages() -> list:
    """Draw the sidebar sign-in and return the planner pages (hidden from viewers' navigation).

    The pages stay routable by URL for everyone, so a viewer who opens ``/upload`` gets the
    refusal of `require_planner`, not a silent redirect.
    """
    sidebar()
    visibility = "visible" if current_user() else "hidden"
    return [
        st.Page(path, title=tr(title), icon=icon, url_path=url, visibility=visibility)
        for path, title, icon, url in PLANNER_PAGES
    ]


def require_planner() -> str:
    """The planner's name; for viewers a refusal and a sign-in form, then the page stops."""
    user = current_user()
    if user:
        return user
    st.warning(tr("ui.auth.refused"), icon=":material/lock:")
    _sign_in_form(st, "sign_in_page")
    st.stop()
    raise AssertionError("st.stop() returned")  # pragma: no cover - st.stop raises
