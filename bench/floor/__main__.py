"""`python -m bench.floor --port 9003`: the REST floor under uvicorn, one process, with the same
server options as `planpal web`."""

import argparse
import os

import uvicorn


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.floor.settings"
    uvicorn.run(
        "bench.floor.asgi:application",
        host=args.host,
        port=args.port,
        lifespan="off",
        proxy_headers=True,
        access_log=False,
        log_level=os.environ.get("LOG_LEVEL", "warning").lower(),
    )


if __name__ == "__main__":
    main()
