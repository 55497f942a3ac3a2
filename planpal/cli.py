"""The `planpal` command: one entry point for every process role.

planpal run      migrate, seed the demo on first start (embedded default only), serve
planpal web      serve HTTP + WebSocket through uvicorn (production: several of these)
planpal worker   Celery worker (production)
planpal beat     Celery beat, exactly one per deployment (production)
planpal watch    print a topic's events live, e.g. `planpal watch plan 42`

Rolling restart (docs/operations.md): for each web process in turn, send SIGTERM, wait for it
to exit, start the new one, wait until GET /api/v1/health/ready answers 200, then go on. A
stopping web process stops accepting, closes its WebSockets with 1012 (clients reconnect to
another process with jitter and replay what they missed) and finishes requests in flight for up
to WEB_GRACEFUL_SECONDS. Workers get SIGTERM too: Celery's soft shutdown lets running tasks end
(CELERY_SOFT_SHUTDOWN_SECONDS); unacknowledged tasks go back to the queue (acks_late).
"""

import argparse
import fcntl
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.conf import LazySettings

# The embedded server's lock on its data directory, held (open) for the life of the process.
_embedded_lock = None


def _settings() -> "LazySettings":
    """Django's settings, the one place the deployment's values (data directory, log format and
    level, graceful shutdown) are read from the environment. They depend on the address served
    on: export it (`_listen_on`) first. A refused configuration stops the command here."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.DATA_DIR  # noqa: B018 - loads the settings module, which checks them
    except ImproperlyConfigured as exc:  # a refused configuration: say why, without a traceback
        raise SystemExit(f"planpal: {exc}") from None
    return settings


def _django_setup() -> None:
    _settings()
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        raise SystemExit(f"planpal: {exc}") from None


def _listen_on(host: str) -> None:
    """Settings decide what the process may do (the demo SECRET_KEY, the demo seed, /metrics
    without a token) by the address it serves on: export it before they load."""
    os.environ["HOST"] = host


def hold_embedded_lock(data_dir: Path) -> None:
    """Without Redis a server's events live in its own process: a second embedded server on the
    same data directory would start, write to the same database and never hear the first one's
    events (issue 13 item 17). Refuse it while the first one runs; the kernel drops the lock
    when the holder exits, however it exits, so a crash leaves nothing stale behind."""
    global _embedded_lock
    data_dir.mkdir(parents=True, exist_ok=True)
    lock = (data_dir / "planpal-run.lock").open("a+")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.seek(0)
        holder = lock.read().strip() or "unknown"
        raise SystemExit(
            f"planpal: another embedded PlanPal (pid {holder}) is already serving {data_dir}. "
            "Without REDIS_URL two servers cannot share events: stop it, or give this one its "
            "own PLANPAL_DATA_DIR, or set REDIS_URL for both."
        ) from None
    lock.truncate(0)
    lock.write(str(os.getpid()))
    lock.flush()
    _embedded_lock = lock


def setup_metrics_dir(name: str) -> None:
    """Prometheus multiprocess mode for this deployment's processes: PROMETHEUS_MULTIPROC_DIR
    (default data/metrics/<name>) is emptied — values of a previous run must not be summed in —
    and exported to the processes we start. Runs before anything imports prometheus_client."""
    path = Path(
        os.environ.get("PROMETHEUS_MULTIPROC_DIR") or _settings().DATA_DIR / "metrics" / name
    )
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)


def serve(host: str, port: int, workers: int) -> None:
    import uvicorn
    from django.conf import settings

    from planpal.core.logging import uvicorn_log_config

    os.environ.setdefault("PLANPAL_PROCESS", "web")
    uvicorn.run(
        "config.asgi:application",
        host=host,
        port=port,
        workers=workers,
        lifespan="on",
        ws_max_size=1024 * 1024,
        # No permessage-deflate: every subscriber of an event gets the same pre-framed bytes
        # (a compressed stream is per connection), and a deflate context costs ~40 KB of memory
        # per connection. Event frames are small JSON; docs/benchmarks-history.md has the figures.
        ws_per_message_deflate=False,
        proxy_headers=True,
        # uvicorn would log WebSocket URLs with their one-time tickets; requests are logged by
        # the application instead.
        access_log=False,
        log_config=uvicorn_log_config(settings.LOG_FORMAT),
        # On SIGTERM: stop accepting, close WebSockets with 1012, let requests finish.
        timeout_graceful_shutdown=settings.WEB_GRACEFUL_SECONDS,
        # A worker is replaced only when it has not answered for this long (config/limits.py).
        timeout_worker_healthcheck=settings.WEB_WORKER_HEALTHCHECK_SECONDS,
        log_level=settings.LOG_LEVEL.lower(),
    )


def cmd_run(args) -> None:
    _listen_on(args.host)
    _django_setup()
    from django.conf import settings
    from django.core.management import call_command

    if settings.EMBEDDED:
        hold_embedded_lock(Path(settings.DATA_DIR))
    call_command("migrate", interactive=False, verbosity=0)
    # The demo users have a published password: only the local demo gets them unasked.
    if settings.EMBEDDED_DEFAULT or args.seed_demo:
        call_command("seed_demo", if_empty=True, port=args.port)
    serve(args.host, args.port, 1)


def cmd_web(args) -> None:
    _listen_on(args.host)
    if args.workers > 1 and _settings().EMBEDDED:
        # Without Redis each process has its own hub and ticket store: events and tickets
        # would only work within one process.
        raise SystemExit("planpal web --workers > 1 needs REDIS_URL")
    setup_metrics_dir(f"web-{args.port}")
    _django_setup()  # a refused configuration stops here, before uvicorn starts
    serve(args.host, args.port, args.workers)


def cmd_worker(args) -> None:
    os.environ.setdefault("PLANPAL_PROCESS", "worker")
    if args.metrics_port:
        # Tasks run in prefork children: they write to the directory, this process serves it.
        setup_metrics_dir(f"worker-{os.getpid()}")
        from prometheus_client import CollectorRegistry, multiprocess, start_http_server

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        start_http_server(args.metrics_port, addr=args.metrics_host, registry=registry)
    from config.celery_app import app

    argv = ["worker", "--queues", args.queues, "--concurrency", str(args.concurrency)]
    argv += ["--pool", args.pool]
    app.worker_main([*argv, "--loglevel", _settings().LOG_LEVEL])


def cmd_beat(args) -> None:
    os.environ.setdefault("PLANPAL_PROCESS", "beat")
    from config.celery_app import app

    settings = _settings()
    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    schedule_file = str(Path(settings.DATA_DIR) / "celerybeat-schedule")
    app.start(["beat", "--schedule", schedule_file, "--loglevel", settings.LOG_LEVEL])


def cmd_watch(args) -> None:
    from planpal.client.watch import watch

    watch(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="planpal",
        description=__doc__.splitlines()[0],
        epilog="\n".join(__doc__.splitlines()[2:]),  # the commands and the rolling restart
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    port = int(os.environ.get("PORT", "8000"))
    host = os.environ.get("HOST", "127.0.0.1")

    run = sub.add_parser("run", help="embedded default: migrate, seed, serve")
    run.add_argument("--host", default=host)
    run.add_argument("--port", type=int, default=port)
    run.add_argument(
        "--seed-demo",
        action="store_true",
        default=os.environ.get("PLANPAL_SEED_DEMO", "") in {"1", "true", "yes", "on"},
        help="seed the demo users even outside the embedded default (PLANPAL_SEED_DEMO=1)",
    )
    run.set_defaults(func=cmd_run)

    web = sub.add_parser("web", help="serve HTTP and WebSocket (ASGI)")
    web.add_argument("--host", default=host)
    web.add_argument("--port", type=int, default=port)
    web.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "1")))
    web.set_defaults(func=cmd_web)

    worker = sub.add_parser("worker", help="Celery worker")
    worker.add_argument("--queues", default="lifecycle,push,default")
    worker.add_argument(
        "--concurrency", type=int, default=int(os.environ.get("WORKER_CONCURRENCY", "2"))
    )
    worker.add_argument("--pool", default="prefork", choices=["prefork", "solo", "threads"])
    worker.add_argument(
        "--metrics-port",
        type=int,
        default=int(os.environ.get("WORKER_METRICS_PORT", "0")),
        help="serve Prometheus metrics of task outcomes on this port (0: off)",
    )
    worker.add_argument("--metrics-host", default=os.environ.get("WORKER_METRICS_HOST", host))
    worker.set_defaults(func=cmd_worker)

    beat = sub.add_parser("beat", help="Celery beat (exactly one per deployment)")
    beat.set_defaults(func=cmd_beat)

    watch = sub.add_parser("watch", help="print a topic's events live")
    watch.add_argument("kind", choices=["plan", "group", "user"])
    watch.add_argument("id", type=int)
    watch.add_argument("--url", default=os.environ.get("PLANPAL_URL", f"http://127.0.0.1:{port}"))
    watch.add_argument("--username", default=os.environ.get("PLANPAL_USERNAME"))
    watch.add_argument("--password", default=os.environ.get("PLANPAL_PASSWORD"))
    watch.add_argument("--since", type=int, default=None)
    watch.set_defaults(func=cmd_watch)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main(sys.argv[1:])
