"""One log line, not a traceback, for what a client's malformed messages make Streamlit raise.

A script can send widget values of the wrong type, broken JSON or frames that are no
Streamlit message at all. Streamlit refuses them (the session shows its generic error), but
logs each with a full traceback: a client could fill the log and bury real errors. Records
whose exception arose while Streamlit decoded client state are shortened to one line here;
every other traceback (a bug in our code) stays as it is.
"""

from __future__ import annotations

import logging
from types import TracebackType

# Where Streamlit decodes what clients send: widget states and websocket frames.
CLIENT_STATE_CODE = ("streamlit/runtime/state/", "google/protobuf/")
LOGGERS = ("streamlit.error_util", "streamlit.web.server.starlette.starlette_websocket")
CLIENT_MESSAGES = ("Error deserializing back message",)  # a websocket frame that is no message


def _from_client_state(tb: TracebackType | None) -> bool:
    while tb is not None:
        if any(part in tb.tb_frame.f_code.co_filename.replace("\\", "/") for part in CLIENT_STATE_CODE):
            return True
        tb = tb.tb_next
    return False


class ClientErrorsOneLine(logging.Filter):
    """Turns a record about a malformed client message into one line without traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc_info = record.exc_info
        if not exc_info or exc_info[1] is None:
            return True
        if record.msg in CLIENT_MESSAGES or _from_client_state(exc_info[2]):
            error = exc_info[1]
            record.msg = f"{record.getMessage()}: malformed client message ({type(error).__name__}: {error})"
            record.args, record.exc_info, record.exc_text = (), None, None
        return True


def quiet_client_errors() -> None:
    """Install the filter on the loggers Streamlit reports client messages with."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, ClientErrorsOneLine) for f in logger.filters):
            logger.addFilter(ClientErrorsOneLine())
