"""What the attack tests of issue 15 share: a planner account, sign-in and uploads done the way
the attacker did them (raw websocket sessions and plain HTTP requests, no browser)."""

from __future__ import annotations

import contextlib
import http.client
import json
import uuid
from urllib.parse import urlparse

from st_client import Run, Session, Visitor, click, text

PASSWORD = "Salzland-Sicher-2025"
THROTTLED = "Zu viele Anmeldeversuche"
SIGNED_IN = "Angemeldet als planer"
REFUSED_PAGE = "nur für angemeldete"


def planner_env(**extra: str) -> dict[str, str]:
    from accounts import quick_hash

    return {"SMART_REGION_PLANNERS": json.dumps({"planer": quick_hash(PASSWORD)}), **extra}


def forwarded(address: str) -> dict[str, str]:
    """What a reverse proxy adds: the client's address."""
    return {"X-Forwarded-For": address}


async def sign_in(session: Session, password: str, page: str = "upload", name: str = "planer") -> Run:
    """Open a planner page (which shows its sign-in form) and submit name and password."""
    form = await session.rerun("", page)
    submit = next(wid for wid in form.widgets.values() if "FormSubmitter:sign_in_page" in wid)
    states = [
        text(form.widgets["sign_in_page_user"], name),
        text(form.widgets["sign_in_page_password"], password),
        click(submit),
    ]
    return await session.rerun("", page, states)


def _multipart(size: int) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="gross.geojson"\r\n'
        "Content-Type: application/geo+json\r\n\r\n"
    ).encode()
    return head + b" " * size + f"\r\n--{boundary}--\r\n".encode(), boundary


def put_upload(visitor: Visitor, session_id: str, size: int) -> int:
    """PUT a file of `size` bytes to Streamlit's upload endpoint for `session_id`, with the
    visitor's cookies and the XSRF token from its cookie, as the browser's uploader does."""
    body, boundary = _multipart(size)
    target = urlparse(visitor.url)
    conn = http.client.HTTPConnection(target.hostname, target.port, timeout=120)
    headers = {
        **visitor.request_headers(),
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Content-Length": str(len(body)),
        "X-Xsrftoken": visitor.cookies.get("_streamlit_xsrf", ""),
        "Origin": visitor.url,
    }
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # refused before the whole
        conn.request("PUT", f"/_stcore/upload_file/{session_id}/{uuid.uuid4().hex}", body, headers)
    try:
        return conn.getresponse().status
    finally:
        conn.close()
