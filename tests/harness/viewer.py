"""A viewer without a browser: Streamlit's websocket protocol spoken directly, as a script would."""

from __future__ import annotations

import time
from contextlib import contextmanager


class StreamlitSocket:
    """A viewer that speaks Streamlit's websocket protocol itself, as an attacker's script
    would (no browser): run the page, send any `BackMsg`, read what the page showed."""

    def __init__(self, ws, timeout: float) -> None:
        self.ws, self.timeout = ws, timeout

    def send(self, msg) -> None:
        self.ws.send(msg.SerializeToString())

    def run(self, query: str = "") -> list:
        """Run the page with `query` (as after ``?``) until its script finished; its messages."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        request = BackMsg()
        request.rerun_script.query_string = query
        self.send(request)
        messages, deadline = [], time.monotonic() + self.timeout
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            messages.append(msg)
            # 0: finished successfully (a run may also end early for a rerun, then another follows)
            if msg.WhichOneof("type") == "script_finished" and msg.script_finished == 0:
                return messages

    def clear_caches(self) -> None:
        """What the "Clear caches" menu item sends; any viewer's client can send it."""
        from streamlit.proto.BackMsg_pb2 import BackMsg

        self.send(BackMsg(clear_cache=True))


@contextmanager
def streamlit_socket(url: str, timeout: float = 120):
    """A `StreamlitSocket` session with the app at `url` until the block ends."""
    from websockets.sync.client import connect

    stream = url.replace("http", "ws", 1) + "/_stcore/stream"
    with connect(stream, subprotocols=["streamlit"], max_size=None) as ws:
        yield StreamlitSocket(ws, timeout)


def shown_errors(messages: list) -> list[str]:
    """Texts of the error boxes and exceptions among a page run's messages."""
    from streamlit.proto.Alert_pb2 import Alert

    found = []
    for msg in messages:
        if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
            continue
        element = msg.delta.new_element
        if element.WhichOneof("type") == "alert" and element.alert.format == Alert.ERROR:
            found.append(element.alert.body)
        elif element.WhichOneof("type") == "exception":
            found.append(element.exception.message)
    return found
