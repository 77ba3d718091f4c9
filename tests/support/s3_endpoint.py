"""An S3-compatible endpoint on a free loopback port: moto's server mode, in its own process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import requests
from mlflow_server import free_port
from processes import stop_process

START_TIMEOUT_SECONDS = 60
# moto accepts any credentials; these only have to be the same on both sides.
ACCESS_KEY = "labtrack-test"
SECRET_KEY = "labtrack-test-secret"
REGION = "us-east-1"


class S3Endpoint:
    def __init__(self, folder: Path, bucket: str = "labtrack-artifacts") -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.bucket = bucket
        folder.mkdir(parents=True, exist_ok=True)
        self.log_path = folder / "moto.log"
        self._log = open(self.log_path, "wb")  # noqa: SIM115 -- closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            cwd=folder,
            env={**os.environ, **self.client_env()},
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        try:
            self._wait_until_ready()
            self.client().create_bucket(Bucket=bucket)
        except BaseException:
            self.stop()
            raise

    def client_env(self) -> dict[str, str]:
        """What a process needs to reach this endpoint through boto3 (and MLflow)."""
        return {
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "AWS_DEFAULT_REGION": REGION,
            "MLFLOW_S3_ENDPOINT_URL": self.url,
        }

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )

    def keys(self, prefix: str = "") -> list[str]:
        paginator = self.client().get_paginator("list_objects_v2")
        return [
            item["Key"]
            for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix)
            for item in page.get("Contents", [])
        ]

    def read(self, key: str) -> bytes:
        return self.client().get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                # moto's own API answers once the server accepts requests.
                if requests.get(f"{self.url}/moto-api/", timeout=2).status_code < 500:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"moto server did not start; log:\n{self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        stop_process(self.process)
        self._log.close()
