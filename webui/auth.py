"""Planner sign-in for the pages: the sidebar form, sign-out, and the guard of planner pages.

A sign-in lives in this server process (`webui.middleware.SIGN_INS`), bound to the Streamlit
session *and* to the browser's server-signed ``sr_browser`` cookie: every planner page run and
every planner callback checks both again (`current_user`, `planner_action`), so a client that
presents a planner's session id without that cookie is signed out, and sign-ins expire. A
reload starts a new session, signed out. Accounts and throttling are in `geo.auth`; counters
and the sign-in log are the store's (`geo.store.LoginStore`).
"""

from __future__ import annotations

import functools

import streamlit as st

from geo import clock
from geo.auth import AuthError, authenticate, load_accounts
from geo.errors import GeoError
from webui import client
from webui.common import error_md, get_store, md, tr
from webui.middleware import SIGN_INS

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
    """The signed-in planner's name, or None for viewers; a sign-in that expired or is presented
    by another browser ends here, with its planner state."""
    user = SIGN_INS.user(client.session_id(), client.browser(), clock.timestamp())
    if user is None and SESSION_KEY in st.session_state:
        _clear_state()
    return user


def planner_action(callback):
    """Wrap a planner widget callback: it runs only while the sign-in still holds (callbacks run
    before the page script, so the page's own check would come too late)."""

    @functools.wraps(callback)
    def checked(*args, **kwargs):
        if current_user() is None:
            st.session_state["auth_flash"] = tr("ui.auth.expired")
            return None
        return callback(*args, **kwargs)

    return checked


def _accounts() -> dict[str, str]:
    """Accounts from ``secrets.toml`` ``[planners]`` and ``SMART_REGION_PLANNERS``."""
    table = st.secrets.get("planners") if st.secrets.load_if_toml_exists() else None
    accounts = load_accounts(dict(table) if table else None)
    if not accounts:
        raise AuthError("err.auth_no_accounts")
    return accounts


def _sign_in(name: str, password: str) -> str:
    """Check the password (throttled, logged) and bind the sign-in to this session and browser."""
    browser = client.browser()
    if browser is None:
        raise AuthError("err.auth_no_cookie")
    user = authenticate(name, password, _accounts(), get_store(), client.sign_in_client())
    SIGN_INS.start(client.session_id(), user, browser, clock.timestamp())
    st.session_state[SESSION_KEY] = user
    failed = failures_since_last_sign_in(user)
    if failed:
        st.session_state["auth_flash"] = tr("ui.auth.failures_since", n=failed)
    return user


def failures_since_last_sign_in(user: str) -> int:
    """Wrong or throttled attempts at `user` since the sign-in before this one."""
    events = get_store().login_events(account=user, limit=500)
    previous = [i for i, e in enumerate(events) if e.outcome == "ok"][1:2]  # [0] is this sign-in
    return sum(e.outcome != "ok" for e in events[: previous[0] if previous else len(events)])


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
        _sign_in(name, password)
    except GeoError as err:
        where.error(error_md(err), icon=":material/block:")
        return
    st.rerun()


def _clear_state() -> None:
    for key in (SESSION_KEY, *PLANNER_STATE):
        st.session_state.pop(key, None)


def _sign_out() -> None:
    SIGN_INS.end(client.session_id())
    _clear_state()


def sidebar() -> None:
    """Signed in: name and sign-out button. Otherwise a collapsed sign-in form."""
    user = current_user()
    notice = st.session_state.pop("auth_flash", None)
    if notice:
        st.sidebar.warning(notice, icon=":material/shield:")
    if user:
        st.sidebar.caption(tr("ui.auth.signed_in", user=md(user)))
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
