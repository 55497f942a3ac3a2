"""Run the fake FCM server until interrupted: `python -m tests.fakefcm --port 8765`.

With --service-account PATH it writes credentials whose token_uri points at it; then start
PlanPal with FCM_CREDENTIALS_FILE=PATH FCM_ENDPOINT=<the printed URL>. Script replies from
another process with POST /_script {"token": "...", "replies": ["UNREGISTERED"]}."""

import argparse
import signal
import threading

from tests.fakefcm.server import FakeFcm


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.fakefcm", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--project", default="planpal-test")
    parser.add_argument("--service-account", help="write a service-account JSON here")
    args = parser.parse_args(argv)

    done = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: done.set())
    with FakeFcm(args.host, args.port, project_id=args.project) as server:
        if args.service_account:
            server.write_service_account(args.service_account)
            print(f"service account: {args.service_account}", flush=True)
        print(f"fake FCM listening on {server.url} (project {args.project})", flush=True)
        done.wait()


if __name__ == "__main__":
    main()
