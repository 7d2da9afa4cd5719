"""Real servers the multi-node tests start: an S3 protocol server (moto), a second PostgreSQL."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from portal import cluster


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server in its own process: the S3 protocol over HTTP, as a real object store speaks it."""
    workdir = Path(tempfile.mkdtemp(prefix="portal-s3-"))
    port = cluster.free_port()
    proc = cluster.start_s3(port, workdir / "s3.log")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=20)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def s3_storage(s3_server, settings):
    """The default storage switched to a fresh private bucket on the S3 server."""
    import uuid

    bucket = f"files-{uuid.uuid4().hex[:12]}"
    cluster.make_bucket(s3_server, bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": s3_server,
                "region_name": "us-east-1",
                "access_key": cluster.S3_KEY,
                "secret_key": cluster.S3_SECRET,
                "default_acl": None,
                "querystring_auth": True,
                "querystring_expire": 60,
                "file_overwrite": False,
            },
        },
    }
    return {"endpoint": s3_server, "bucket": bucket}


def s3_client(endpoint: str):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=cluster.S3_KEY,
        aws_secret_access_key=cluster.S3_SECRET,
        region_name="us-east-1",
    )


def pg_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not found:
        raise RuntimeError(f"{name} not found under /usr/lib/postgresql")
    return str(found[-1])


def as_postgres(args: list[str], **kwargs):
    """Run a PostgreSQL server tool as the postgres user (initdb refuses root)."""
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)


@pytest.fixture(scope="session")
def second_postgres():
    """A second PostgreSQL cluster (initdb + pg_ctl) on a free port: a database server of its own."""
    workdir = Path(tempfile.mkdtemp(prefix="portal-pg2-"))
    data = workdir / "data"
    port = cluster.free_port()
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres", "postgres")
    as_postgres([pg_bin("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"])
    as_postgres(
        [
            pg_bin("pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(workdir / "log"),
            "-w",
            "-o",
            f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off",
            "start",
        ]
    )
    try:
        yield {"host": "127.0.0.1", "port": port, "user": "postgres", "workdir": workdir}
    finally:
        as_postgres([pg_bin("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"])
        shutil.rmtree(workdir, ignore_errors=True)
