"""`python -m bench.naive --port 9002 [--workers 2]`: the naive peer under uvicorn, with the same
server options as `planpal web`."""

import argparse
import os

import uvicorn


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.naive.settings"
    uvicorn.run(
        "bench.naive.asgi:application",
        host=args.host,
        port=args.port,
        workers=args.workers,
        lifespan="off",
        ws_max_size=1024 * 1024,
        ws_per_message_deflate=False,
        access_log=False,
        log_level=os.environ.get("LOG_LEVEL", "warning").lower(),
    )


if __name__ == "__main__":
    main()
