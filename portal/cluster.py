"""A cluster on one machine (``make cluster``): what a multi-node deployment runs, small.

- an S3 protocol server (moto's server mode) holding the private files;
- the release step once (migrate, collectstatic; the demo data with ``--demo``);
- two web nodes (gunicorn) on two ports, behind a small round-robin proxy
  (portal/devproxy.py) that adds X-Forwarded-For as nginx would;
- two Celery workers and one Celery beat;
- every process sharing one PostgreSQL, one Redis, one SECRET_KEY and the
  object store, and nothing else (no local disk state).

``python -m portal.launcher cluster`` runs it until Ctrl-C; the tests start
the same :class:`Cluster` against the test database (tests/portal/test_cluster.py)
and ``make loadtest`` against a running one.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from portal import embedded

BASE_DIR = embedded.BASE_DIR
PY = sys.executable
S3_KEY = "cluster-access-key"
S3_SECRET = "cluster-secret-key"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _log(msg: str) -> None:
    print(f"[cluster] {msg}", flush=True)


def start_s3(port: int, log_path: Path) -> subprocess.Popen:
    """moto's S3 server: the real S3 protocol over HTTP, objects in its memory."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(
        [PY, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log_path.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    wait_http(f"http://127.0.0.1:{port}/moto-api/", [proc], timeout=60)
    return proc


def make_bucket(endpoint: str, bucket: str) -> None:
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=S3_KEY,
        aws_secret_access_key=S3_SECRET,
        region_name="us-east-1",
    )
    existing = {b["Name"] for b in client.list_buckets().get("Buckets", [])}
    if bucket not in existing:
        client.create_bucket(Bucket=bucket)
    # Versioning: an overwritten or deleted object can be recovered (docs/deploy.md).
    client.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})


def wait_http(url: str, procs, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        dead = [p for p in procs if p.poll() is not None]
        if dead:
            raise RuntimeError(f"{dead[0].args} exited with {dead[0].returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


class Cluster:
    """The processes of a two-node cluster, started and stopped together."""

    def __init__(
        self,
        env: dict[str, str],
        workdir: Path,
        proxy_port: int | None = None,
        web_workers: int = 2,
        worker_concurrency: int = 2,
        beats: int = 1,
    ):
        self.base_env = env
        self.workdir = workdir
        self.proxy_port = proxy_port or free_port()
        self.node_ports = [free_port(), free_port()]
        self.s3_port = free_port()
        self.web_workers = web_workers
        self.worker_concurrency = worker_concurrency
        self.beats = beats
        self.procs: dict[str, subprocess.Popen] = {}
        self.bucket = env.get("S3_BUCKET") or "portal-files"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.proxy_port}"

    @property
    def node_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.node_ports]

    @property
    def s3_endpoint(self) -> str:
        return f"http://127.0.0.1:{self.s3_port}"

    @property
    def mail_dir(self) -> Path:
        return self.workdir / "mail"

    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            **self.base_env,
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "HTTPS": "false",
            "PORTAL_BASE_URL": self.url,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "S3_BUCKET": self.bucket,
            "S3_ENDPOINT_URL": self.s3_endpoint,
            "S3_ACCESS_KEY_ID": S3_KEY,
            "S3_SECRET_ACCESS_KEY": S3_SECRET,
            "S3_REGION": "us-east-1",
            "TRUSTED_PROXIES": "127.0.0.1/32",
            # The shared mail relay of a real cluster; here one directory for all processes.
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "WEB_CONCURRENCY": str(self.web_workers),
            "WORKER_CONCURRENCY": str(self.worker_concurrency),
            "ACCESS_LOG": os.environ.get("CLUSTER_ACCESS_LOG", "-"),
        }
        env.pop("PORTAL_DEMO", None)
        return env

    def _spawn(self, name: str, cmd: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = (self.workdir / "logs" / f"{name}.log").open("ab")
        proc = subprocess.Popen(
            cmd, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.procs[name] = proc
        return proc

    def start(self, release_args: list[str] | None = None) -> None:
        from portal.launcher import command

        (self.workdir / "logs").mkdir(parents=True, exist_ok=True)
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        try:
            self.procs["s3"] = start_s3(self.s3_port, self.workdir / "logs" / "s3.log")
            make_bucket(self.s3_endpoint, self.bucket)
            env = self.env()
            if release_args is not None:
                subprocess.run(
                    [PY, "manage.py", "release", "-v", "0", *release_args], cwd=BASE_DIR, env=env, check=True
                )
            for index, port in enumerate(self.node_ports, start=1):
                self._spawn(f"web{index}", command("web", "127.0.0.1", port), env)
            self._spawn(
                "proxy",
                [PY, "-m", "portal.devproxy", str(self.proxy_port), *[u[7:] for u in self.node_urls]],
                env,
            )
            for index in (1, 2):
                self._spawn(f"worker{index}", command("worker", ident=str(index)), env)
            for index in range(1, self.beats + 1):
                beat_cmd = command("beat", ident=f"-cluster{index}")
                self._spawn(f"beat{index}", beat_cmd, env)
            procs = list(self.procs.values())
            for url in [*self.node_urls, self.url]:
                wait_http(url + "/livez", procs, timeout=120)
        except BaseException:
            self.stop()
            raise

    def wait_workers(self, timeout: float = 60) -> None:
        """Until both Celery workers answer a ping through the broker."""
        from portal.celery import app

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            replies = app.control.ping(timeout=1.0) or []
            if len(replies) >= 2:
                return
            time.sleep(0.5)
        raise RuntimeError("the cluster's workers did not answer")

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for proc in self.procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self.procs.clear()


def main(argv: list[str]) -> int:
    """``make cluster``: the demo data on a shared database, two nodes, until Ctrl-C."""
    from portal.launcher import Services

    services = Services(local=True)  # a cluster of one machine: embedded servers if no URLs
    stopping = False

    def stop(*_args):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    services.up()
    cluster = Cluster(
        {
            name: os.environ[name]
            for name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ORG_SIGNING_KEY_SECRET")
            if os.environ.get(name)
        }
        | {"PAYMENT_SANDBOX": "true"},
        embedded.VAR_DIR / "cluster",
        proxy_port=int(os.environ.get("PORT", "8000")),
        web_workers=int(os.environ.get("WEB_CONCURRENCY", "2")),
    )
    try:
        cluster.start(release_args=["--demo"])
        _log(f"proxy {cluster.url} -> nodes {', '.join(cluster.node_urls)}; S3 at {cluster.s3_endpoint}")
        _log(f"logs in {cluster.workdir / 'logs'}, mail in {cluster.mail_dir}. Ctrl-C stops it all.")
        while not stopping:
            for name, proc in cluster.procs.items():
                if proc.poll() is not None:
                    _log(f"{name} exited with {proc.returncode}; stopping")
                    stopping = True
            time.sleep(0.5)
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        cluster.stop()
        services.down()
        _log("stopped")
