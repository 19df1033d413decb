"""SQLite writers queue on a file lock: held from BEGIN to COMMIT or ROLLBACK, in arrival order."""

from __future__ import annotations

import fcntl
import os
import threading

import pytest
from django.db.utils import ConnectionHandler


@pytest.fixture(autouse=True)
def _own_databases(django_db_blocker):
    """These tests open their own SQLite files, not the test database."""
    with django_db_blocker.unblock():
        yield


def _wrapper(path):
    handler = ConnectionHandler(
        {"default": {"ENGINE": "ramunet.edc.sqlite_queue", "NAME": str(path), "OPTIONS": {}}}
    )
    wrapper = handler["default"]
    wrapper.ensure_connection()
    return wrapper


def _lock_is_free(path) -> bool:
    fd = os.open(f"{path}.writers", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # closing the descriptor releases a lock taken through it
    return True


@pytest.mark.parametrize("end", ["_commit", "_rollback"])
def test_a_transaction_holds_the_writers_lock_until_it_ends(tmp_path, end):
    wrapper = _wrapper(tmp_path / "db.sqlite3")
    wrapper._start_transaction_under_autocommit()
    assert not _lock_is_free(tmp_path / "db.sqlite3")
    getattr(wrapper, end)()
    assert _lock_is_free(tmp_path / "db.sqlite3")
    wrapper.close()


def test_closing_a_connection_in_a_transaction_releases_the_lock(tmp_path):
    wrapper = _wrapper(tmp_path / "db.sqlite3")
    wrapper._start_transaction_under_autocommit()
    wrapper._close()
    assert _lock_is_free(tmp_path / "db.sqlite3")


def test_concurrent_writers_queue_and_none_is_refused(tmp_path):
    path = tmp_path / "db.sqlite3"
    setup = _wrapper(path)
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE counter (n INTEGER)")
        cursor.execute("INSERT INTO counter VALUES (0)")
    setup.close()
    errors: list[BaseException] = []

    def writer() -> None:
        wrapper = _wrapper(path)
        wrapper.settings_dict["OPTIONS"]["timeout"] = 0.001  # SQLite itself would refuse
        try:
            for _ in range(50):
                wrapper._start_transaction_under_autocommit()
                with wrapper.cursor() as cursor:
                    cursor.execute("SELECT n FROM counter")
                    (n,) = cursor.fetchone()
                    cursor.execute("UPDATE counter SET n = %s", [n + 1])
                wrapper._commit()
        except BaseException as error:  # collected for the assertion below
            errors.append(error)
        finally:
            wrapper.close()

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    check = _wrapper(path)
    with check.cursor() as cursor:
        cursor.execute("SELECT n FROM counter")
        assert (errors, cursor.fetchone()) == ([], (200,))
    check.close()
