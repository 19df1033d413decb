"""``ramunet serve``: the production server (Granian) runs the application and stops cleanly."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ramunet.cli.main import build_parser
from ramunet.cli.serve_cmd import default_threads, free_port, server_command, wait_until_listening

RAMUNET = [sys.executable, "-m", "ramunet.cli.main"]


def get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def test_server_command_runs_the_wsgi_application_with_one_worker_per_core_by_default():
    command = server_command("127.0.0.1", 8123, threads=3)
    assert Path(command[0]).name == "granian"
    assert command[-1] == "ramunet.edc.wsgi:application"
    assert command[command.index("--interface") + 1] == "wsgi"
    assert command[command.index("--port") + 1] == "8123"
    assert command[command.index("--workers") + 1] == str(len(os.sched_getaffinity(0)))
    assert command[command.index("--blocking-threads") + 1] == "3"
    assert "--no-access-log" in command
    assert "--access-log" in server_command("127.0.0.1", 8123, workers=1, access_log=True)


@pytest.mark.parametrize(
    ("url", "threads"),
    [
        (None, 1),
        ("", 1),
        ("sqlite:////srv/ramunet/ramunet.sqlite3", 1),
        ("postgres://ramunet:secret@db.example.org:5432/ramunet", 4),
        ("postgresql://ramunet@127.0.0.1/ramunet", 4),
    ],
)
def test_threads_per_worker_follow_the_database(monkeypatch, url, threads):
    if url is None:
        monkeypatch.delenv("DATABASE_URL", raising=False)
    else:
        monkeypatch.setenv("DATABASE_URL", url)
    assert default_threads() == threads
    command = server_command("127.0.0.1", 8123)
    assert command[command.index("--blocking-threads") + 1] == str(threads)


@pytest.mark.parametrize(("workers", "threads", "message"), [(0, 4, "workers"), (2, 0, "threads")])
def test_server_command_refuses_a_pool_of_nothing(workers, threads, message):
    with pytest.raises(ValueError, match=f"{message}: must be at least 1, got 0"):
        server_command("127.0.0.1", 8123, workers=workers, threads=threads)


@pytest.mark.parametrize(
    ("option", "given", "message"),
    [
        ("--workers", "0", "argument --workers: must be at least 1, got 0"),
        ("--threads", "-2", "argument --threads: must be at least 1, got -2"),
        ("--workers", "two", "argument --workers: 'two' is not a whole number"),
    ],
)
def test_serve_refuses_a_pool_of_nothing_naming_the_option(capsys, option, given, message):
    with pytest.raises(SystemExit) as stopped:
        build_parser().parse_args(["serve", option, given])
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err


def test_waiting_for_a_server_that_exits_says_so():
    server = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    server.wait()
    with pytest.raises(RuntimeError, match="the server exited with 3"):
        wait_until_listening(server, free_port(), seconds=5)


@pytest.mark.slow
def test_serve_answers_pages_and_api_then_stops_on_sigterm(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
    env.update(
        RAMUNET_DATA_DIR=str(tmp_path),
        RAMUNET_DEMO="1",
        DJANGO_SETTINGS_MODULE="ramunet.edc.settings",
    )
    migrate = subprocess.run(
        [*RAMUNET, "manage", "migrate", "--verbosity", "0"], env=env, timeout=300
    )
    assert migrate.returncode == 0
    port = free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [*RAMUNET, "serve", "--port", str(port), "--workers", "1", "--threads", "2"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        try:
            wait_until_listening(server, port)
        except RuntimeError as error:
            raise AssertionError(f"{error}\n{log.read_text()}") from None
        status, page = get(port, "/login/")
        assert status == 200
        assert 'name="csrfmiddlewaretoken"' in page
        status, body = get(port, "/api/v1/patients/", {"Authorization": "Token not-a-token"})
        assert status == 401
        assert json.loads(body) == {"detail": "Invalid token."}
    finally:
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=30)
    assert code == 0, log.read_text()
