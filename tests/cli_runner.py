"""``python -m geo`` for tests: in this process by default, as a real subprocess on request.

Each subprocess pays about two seconds of imports (pandas, GeoPandas, GDAL) before it does
anything; in-process calls run the same `geo.__main__.main` with its output, errors and exit
code captured. Tests that need a separate process (concurrency, killing, the entry point
itself) pass ``process=True``.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run_geo(*args: str, stdin: str | None = None, process: bool = False) -> subprocess.CompletedProcess:
    """The CLI's exit code, stdout and stderr for `args` (strings, as typed)."""
    argv = [str(a) for a in args]
    if process:
        return subprocess.run([sys.executable, "-m", "geo", *argv], cwd=REPO, input=stdin,
                              capture_output=True, text=True, timeout=300)  # fmt: skip
    from geo.__main__ import main

    out, err = io.StringIO(), io.StringIO()
    real_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin or "")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exit_:  # argparse's usage errors
                code = exit_.code if isinstance(exit_.code, int) else 2
    finally:
        sys.stdin = real_stdin
    return subprocess.CompletedProcess(["geo", *argv], code, out.getvalue(), err.getvalue())
