"""The `planpal` command: one entry point for every process role.

planpal run      migrate, seed the demo on first start, serve (embedded default)
planpal web      serve HTTP + WebSocket through uvicorn (production: several of these)
planpal watch    print a topic's events live, e.g. `planpal watch plan 42`
"""

import argparse
import os
import sys


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def serve(host: str, port: int, workers: int) -> None:
    import uvicorn

    from planpal.core.logging import uvicorn_log_config

    uvicorn.run(
        "config.asgi:application",
        host=host,
        port=port,
        workers=workers,
        lifespan="on",
        ws_max_size=1024 * 1024,
        proxy_headers=True,
        # uvicorn would log WebSocket URLs with their one-time tickets; requests are logged by
        # the application instead.
        access_log=False,
        log_config=uvicorn_log_config(),
        log_level=os.environ.get("LOG_LEVEL", "info").lower(),
    )


def cmd_run(args) -> None:
    _django_setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed_demo", if_empty=True, port=args.port)
    serve(args.host, args.port, 1)


def cmd_web(args) -> None:
    if args.workers > 1 and not os.environ.get("REDIS_URL"):
        # Without Redis each process has its own hub and ticket store: events and tickets
        # would only work within one process.
        raise SystemExit("planpal web --workers > 1 needs REDIS_URL")
    serve(args.host, args.port, args.workers)


def cmd_worker(args) -> None:
    from config.celery_app import app

    argv = ["worker", "--queues", args.queues, "--concurrency", str(args.concurrency)]
    argv += ["--pool", args.pool]
    app.worker_main([*argv, "--loglevel", os.environ.get("LOG_LEVEL", "info")])


def cmd_beat(args) -> None:
    from config.celery_app import app

    schedule_file = os.path.join(os.environ.get("PLANPAL_DATA_DIR", "data"), "celerybeat-schedule")
    os.makedirs(os.path.dirname(schedule_file), exist_ok=True)
    app.start(
        ["beat", "--schedule", schedule_file, "--loglevel", os.environ.get("LOG_LEVEL", "info")]
    )


def cmd_watch(args) -> None:
    from planpal.client.watch import watch

    watch(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="planpal", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    port = int(os.environ.get("PORT", "8000"))
    host = os.environ.get("HOST", "127.0.0.1")

    run = sub.add_parser("run", help="embedded default: migrate, seed, serve")
    run.add_argument("--host", default=host)
    run.add_argument("--port", type=int, default=port)
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
