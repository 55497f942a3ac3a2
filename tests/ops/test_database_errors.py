"""A database that cannot be reached answers 503 `database_unavailable` with Retry-After; other
database errors stay 500s. Gateway reads in pooled threads drop a dead connection and reconnect.
(The real outage, with processes and a cut proxy: tests/reliability/test_database_outage.py.)"""

import json
import time

import pytest
from django.db import (
    DatabaseError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    connection,
    connections,
)
from rest_framework.permissions import AllowAny
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from planpal.core import db
from planpal.core.db import is_database_unavailable, reconnecting


def wrapped(driver_error: Exception, django_class=OperationalError) -> Exception:
    """What Django raises: its own class, with the driver's error as the cause."""
    exc = django_class(*driver_error.args)
    exc.__cause__ = driver_error
    return exc


class PgError(Exception):
    def __init__(self, message: str, sqlstate: str | None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    "exc",
    [
        wrapped(Exception(2002, "Can't connect to server on '127.0.0.1'")),
        wrapped(Exception(2006, "Server has gone away")),
        wrapped(Exception(2013, "Lost connection to server during query")),
        wrapped(Exception(1040, "Too many connections")),
        wrapped(PgError("connection failed", None)),
        wrapped(PgError("terminating connection due to administrator command", "57P01")),
        wrapped(PgError("server closed the connection unexpectedly", "08006")),
        InterfaceError("connection already closed"),
    ],
)
def test_lost_or_refused_connections_are_unavailable(exc):
    assert is_database_unavailable(exc)


@pytest.mark.parametrize(
    "exc",
    [
        wrapped(Exception(1054, "Unknown column 'x' in 'field list'")),  # a bug, not an outage
        wrapped(Exception(1213, "Deadlock found when trying to get lock")),
        wrapped(PgError("deadlock detected", "40P01")),
        wrapped(Exception("database is locked")),  # SQLite
        IntegrityError(1062, "Duplicate entry"),
        DatabaseError("something else"),
    ],
)
def test_other_database_errors_are_not(exc):
    assert not is_database_unavailable(exc)


class Failing(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes: list = []
    error: Exception

    def post(self, request):
        raise self.error


def call(error: Exception):
    view = type("View", (Failing,), {"error": error}).as_view()
    return view(APIRequestFactory().post("/x", {}, format="json"))


def test_an_unreachable_database_answers_503_in_the_one_error_shape():
    response = call(wrapped(Exception(2013, "Lost connection to server during query")))

    assert response.status_code == 503
    assert response.data == {
        "error": {
            "code": "database_unavailable",
            "message": "The database is unavailable; retry shortly.",
            "fields": {},
        }
    }
    assert int(response["Retry-After"]) > 0


def test_a_database_error_that_is_a_bug_stays_a_500():
    with pytest.raises(OperationalError):
        call(wrapped(Exception(1054, "Unknown column 'x' in 'field list'")))


# ---------------------------------------------------------------------------- pooled threads
def lost() -> OperationalError:
    return wrapped(Exception(2006, "Server has gone away"))


@pytest.mark.django_db(transaction=True)
def test_a_dead_idle_connection_is_replaced_and_the_read_runs_again(monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)  # kept between calls
    connection.close()
    connection.ensure_connection()
    connections_seen = []

    def read():
        connections_seen.append(connection.connection)
        if len(connections_seen) == 1:
            raise lost()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0]

    assert reconnecting(read)() == 1
    assert connections_seen[0] is not None
    assert connections_seen[1] is None  # closed: the retry connected afresh


@pytest.mark.django_db(transaction=True)
def test_a_fresh_connection_that_fails_is_not_retried_but_left_closed():
    connection.close()
    calls = []

    def read():
        calls.append(1)
        connection.ensure_connection()
        raise lost()

    with pytest.raises(OperationalError):
        reconnecting(read)()
    assert len(calls) == 1
    assert connection.connection is None


@pytest.mark.django_db(transaction=True)
def test_a_pooled_thread_keeps_its_connection_until_it_is_older_than_its_max_age(monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    connection.close()

    def which():
        connection.ensure_connection()
        return connection.connection

    first = reconnecting(which)()
    assert reconnecting(which)() is first
    connection.close_at = time.monotonic() - 1  # as if the 60 s had passed
    assert reconnecting(which)() is not first


def kill_this_threads_connection() -> None:
    """The database drops this thread's connection, as a restart or `wait_timeout` would."""
    with connection.cursor() as cursor:
        query = (
            "SELECT CONNECTION_ID()" if connection.vendor == "mysql" else "SELECT pg_backend_pid()"
        )
        cursor.execute(query)
        own_id = cursor.fetchone()[0]
    other = connections.create_connection("default")
    with other.cursor() as cursor:
        if connection.vendor == "mysql":
            cursor.execute(f"KILL CONNECTION {int(own_id)}")
        else:
            cursor.execute("SELECT pg_terminate_backend(%s)", [own_id])
    other.close()


def select_one_counting(reads: list[int]):
    def read():
        reads.append(1)
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0]

    return read


needs_a_server = pytest.mark.skipif(
    connection.vendor not in ("mysql", "postgresql"),
    reason="needs MariaDB or PostgreSQL: a server that can drop a connection",
)


@needs_a_server
@pytest.mark.django_db(transaction=True)
def test_an_idle_connection_the_database_dropped_is_replaced_before_the_read(monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    connection.close()
    reads: list[int] = []
    read = select_one_counting(reads)
    assert reconnecting(read)() == 1
    kill_this_threads_connection()
    monkeypatch.setattr(db, "RECENTLY_USED_SECONDS", 0.0)  # as if idle since

    assert reconnecting(read)() == 1
    assert len(reads) == 2  # the health check found it dead: no failed read, no retry


@needs_a_server
@pytest.mark.django_db(transaction=True)
def test_a_busy_connection_is_not_pinged_and_one_that_died_fails_once_then_reads_again(
    monkeypatch,
):
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    connection.close()
    reads: list[int] = []
    read = select_one_counting(reads)
    assert reconnecting(read)() == 1
    pings = []
    real_is_usable = connection.is_usable
    monkeypatch.setattr(connection, "is_usable", lambda: pings.append(1) or real_is_usable())
    assert reconnecting(read)() == 1
    assert pings == []  # used a moment ago: no ping before the read
    kill_this_threads_connection()

    assert reconnecting(read)() == 1
    assert len(reads) == 4  # the read on the dead connection failed and ran again on a new one
    assert pings == []


def test_other_errors_pass_through_untouched():
    calls = []

    def read():
        calls.append(1)
        raise wrapped(Exception(1054, "Unknown column"))

    with pytest.raises(OperationalError):
        reconnecting(read)()
    assert len(calls) == 1


def test_outside_the_api_an_unreachable_database_is_a_503_json_error_too():
    from django.http import HttpResponse
    from django.test import RequestFactory

    from planpal.core.middleware import DatabaseUnavailableMiddleware

    middleware = DatabaseUnavailableMiddleware(lambda request: HttpResponse())
    request = RequestFactory().get("/")
    lost = wrapped(Exception(2013, "Lost connection to server during query"))

    response = middleware.process_exception(request, lost)
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert json.loads(response.content)["error"]["code"] == "database_unavailable"
    # Any other error is left to Django (a bug must stay a visible 500).
    assert middleware.process_exception(request, wrapped(Exception(1054, "Unknown column"))) is None


def test_logging_a_request_whose_session_user_cannot_be_loaded_does_not_fail_it():
    from django.http import HttpResponse
    from django.test import RequestFactory
    from django.utils.functional import SimpleLazyObject

    from planpal.core.middleware import ObservabilityMiddleware

    def load_user():
        raise wrapped(Exception(2002, "Can't connect to server"))

    def view(request):
        request.user = SimpleLazyObject(load_user)  # what AuthenticationMiddleware sets
        return HttpResponse(status=503)

    response = ObservabilityMiddleware(view)(RequestFactory().get("/"))
    assert response.status_code == 503
