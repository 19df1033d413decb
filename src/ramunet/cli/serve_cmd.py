"""``ramunet serve``: the application behind Granian, the production HTTP server.

Granian (Rust) parses HTTP and keeps the connections; the application runs in a pool of
Python threads in each worker process. One worker per core: more processes than cores made
the API's slowest saves slower under load (the workers preempt each other mid-request). In
the load benchmark (``benchmarks/api_load_bench.py``, 2 workers of 4 threads each way),
Granian cost 11-15% less server CPU per request than gunicorn's threaded workers, and
2 workers answered the 95th centile of saves faster than 4. The demo (``ramunet demo``)
and the load benchmark start the server through :func:`server_command`, so that they run
what production runs.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

#: Python threads per worker on PostgreSQL: enough to fill a worker's waits for the database
#: server's round trips, few enough that a worker's threads seldom wait for each other's
#: interpreter lock
THREADS_POSTGRESQL = 4
#: on SQLite: one. The database runs inside the worker (no round trip to wait for) and takes
#: one writer at a time; a second thread only made the writer holding SQLite's lock wait for
#: the interpreter lock, and every other writer of every worker wait behind it. In 50-s runs
#: of the load benchmark (20 clients, 2 workers) one thread per worker saved lab forms at 600
#: per second with a 95th centile of 53 ms, 2 threads at 490-545 per second and 56-57 ms,
#: 4 threads at 360-410 per second and 74-91 ms.
THREADS_SQLITE = 1


def default_threads() -> int:
    """Threads per worker for the database in ``DATABASE_URL`` (SQLite when unset)."""
    url = os.environ.get("DATABASE_URL", "")
    return THREADS_SQLITE if not url or url.startswith("sqlite") else THREADS_POSTGRESQL


def default_workers() -> int:
    """One worker process per core available to this process."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def server_command(
    host: str,
    port: int,
    *,
    workers: int | None = None,
    threads: int | None = None,
    access_log: bool = False,
) -> list[str]:
    """The command line serving ``ramunet.edc.wsgi`` on ``host:port`` (the settings module
    comes from ``DJANGO_SETTINGS_MODULE`` in the environment, as for any WSGI server)."""
    if workers is not None and workers < 1:
        raise ValueError(f"workers: must be at least 1, got {workers}")
    if threads is not None and threads < 1:
        raise ValueError(f"threads: must be at least 1, got {threads}")
    granian = Path(sys.executable).with_name("granian")
    return [
        str(granian),
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers or default_workers()),
        "--blocking-threads",
        str(threads or default_threads()),
        "--no-ws",
        "--respawn-failed-workers",
        "--log-level",
        "warning",
        "--access-log" if access_log else "--no-access-log",
        "ramunet.edc.wsgi:application",
    ]


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port free on ``host`` now (for a server started by a benchmark or a test)."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def wait_until_listening(
    server: subprocess.Popen[Any], port: int, host: str = "127.0.0.1", seconds: float = 60
) -> None:
    """Return once the started ``server`` accepts connections on ``host:port``; raise
    ``RuntimeError`` if it exits first or does not listen within ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection((host, port), timeout=1).close()
            return
        except OSError:
            if server.poll() is not None:
                raise RuntimeError(f"the server exited with {server.returncode}") from None
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not listen on {port} in {seconds} s") from None
            time.sleep(0.2)


def at_least_one(text: str) -> int:
    """An argparse type: a whole number of at least 1 (worker processes, threads)."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {number}")
    return number


def register(subparsers: Any) -> None:
    serve = subparsers.add_parser(
        "serve", help="serve the EDC and its API with Granian (behind a TLS proxy in production)"
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers",
        type=at_least_one,
        default=None,
        help="worker processes (default: one per core)",
    )
    serve.add_argument(
        "--threads",
        type=at_least_one,
        default=None,
        help=f"threads per worker (default: {THREADS_POSTGRESQL} on PostgreSQL, "
        f"{THREADS_SQLITE} on SQLite)",
    )
    serve.add_argument("--access-log", action="store_true", help="log every request")
    serve.set_defaults(func=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    exec_server(
        server_command(
            args.host,
            args.port,
            workers=args.workers,
            threads=args.threads,
            access_log=args.access_log,
        )
    )
    return 0  # pragma: no cover (exec does not return)


def exec_server(command: list[str]) -> None:
    """Replace this process by the server (its signals then reach Granian directly)."""
    if not os.access(command[0], os.X_OK):
        raise SystemExit(f"{command[0]}: not installed here; run scripts/bootstrap")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ramunet.edc.settings")
    sys.stdout.flush()
    os.execv(command[0], command)
