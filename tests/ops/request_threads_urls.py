"""Views for tests/ops/test_request_threads.py: which thread and database connection served a
request, a slow request, and one that leaves a transaction open."""

import threading
import time

from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.http import JsonResponse
from django.urls import path
from django.utils import timezone

LEAKED_SESSION_KEY = "leaked-by-a-request"
running = {"now": 0, "most": 0}
_lock = threading.Lock()
# SQLite has no server-side id: the connection object's id() stands in, and these references keep
# a closed connection's id from being given to the next one (a CI run saw exactly that).
_sqlite_connections_seen = []


def backend_connection_id() -> int:
    """The database server's id of this thread's connection (SQLite: the connection object)."""
    if connection.vendor in ("mysql", "postgresql"):
        query = (
            "SELECT CONNECTION_ID()" if connection.vendor == "mysql" else "SELECT pg_backend_pid()"
        )
        with connection.cursor() as cursor:
            cursor.execute(query)
            return cursor.fetchone()[0]
    connection.ensure_connection()
    _sqlite_connections_seen.append(connection.connection)
    return id(connection.connection)


def whoami(request):
    return JsonResponse(
        {
            "thread": threading.get_ident(),
            "connection": backend_connection_id(),
            "autocommit": connection.get_autocommit(),
        }
    )


def slow(request):
    with _lock:
        running["now"] += 1
        running["most"] = max(running["most"], running["now"])
    time.sleep(0.2)
    with _lock:
        running["now"] -= 1
    return JsonResponse({"thread": threading.get_ident()})


def leak(request):
    """A bug: switches autocommit off, writes, and returns without committing."""
    transaction.set_autocommit(False)
    Session.objects.create(
        session_key=LEAKED_SESSION_KEY, session_data="", expire_date=timezone.now()
    )
    return JsonResponse({"connection": backend_connection_id()})


urlpatterns = [path("whoami", whoami), path("slow", slow), path("leak", leak)]
