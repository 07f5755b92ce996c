"""Who is on the other end of this session, as far as the server can tell.

The address comes from the connection (or a trusted proxy's forwarding, see `webui.serve`);
the browser id and the participation device id come from the server-signed cookies the app
server set on the page load (`webui.middleware`) and are verified on every read. A session
that reconnects from another client sees that client's cookies here, not the first one's.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from geo import clock
from geo.auth import Client
from geo.participation.devices import COOKIE as DEVICE_COOKIE
from geo.participation.devices import device_id
from geo.security.addresses import client_key
from geo.security.tokens import BROWSER_COOKIE, browser_id


def _cookie(name: str) -> str:
    value = st.context.cookies.get(name)
    return value if isinstance(value, str) else ""  # AppTest has no handshake cookies


def session_id() -> str:
    """This Streamlit session's id (what a reconnecting client presents)."""
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx else ""


def address() -> str:
    """The counting key of the client's address (`geo.security.addresses.client_key`)."""
    return client_key(st.context.ip_address)


def browser() -> str | None:
    """The verified browser id of this connection, None without a valid ``sr_browser`` cookie."""
    return browser_id(_cookie(BROWSER_COOKIE), clock.timestamp())


DEVICE_STATE = "part_device_token"


def device() -> str | None:
    """The verified participation device id, None without a valid ``sr_device`` token. The
    session keeps the token it first saw (only server code writes session state; AppTest,
    which has no cookies, hands a server-issued token in the same way)."""
    now = clock.timestamp()
    for token in (_cookie(DEVICE_COOKIE), st.session_state.get(DEVICE_STATE)):
        ident = device_id(token, now)
        if ident:
            st.session_state[DEVICE_STATE] = token
            return ident
    return None


def sign_in_client() -> Client:
    return Client(address=address(), device=browser())
