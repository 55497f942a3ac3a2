"""A real S3 API server for tests: moto's server mode (`python -m moto.server`, from PyPI) as a
process of its own on a free loopback port. Tests talk to it over HTTP with boto3 and httpx,
exactly as PlanPal talks to S3; nothing is patched in-process.

What it checks and what it does not: it refuses unsigned reads of private objects (403), but it
does not verify presigned signatures or their expiry (a real S3, MinIO or R2 does). Tests of
expiry therefore check the X-Amz-Expires PlanPal signs for, and that the API hands no new URL to
someone who lost access; the local store's own signed links are checked end to end."""

import subprocess
import sys
import time
import uuid

import boto3
import httpx

from tests.live import free_port

ACCESS_KEY = "planpal-test"
SECRET_KEY = "planpal-test-secret"
REGION = "us-east-1"


class MotoS3:
    def __init__(self) -> None:
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> "MotoS3":
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("moto server exited")
            try:
                httpx.get(f"{self.endpoint}/moto-api/", timeout=1)
                return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("moto server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )

    def new_bucket(self) -> str:
        name = f"planpal-{uuid.uuid4().hex[:16]}"
        self.client().create_bucket(Bucket=name)
        return name

    def keys(self, bucket: str) -> list[str]:
        listed = self.client().list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def storage_url(self, bucket: str) -> str:
        return (
            f"s3://{ACCESS_KEY}:{SECRET_KEY}@{bucket}?endpoint_url={self.endpoint}&region={REGION}"
        )
