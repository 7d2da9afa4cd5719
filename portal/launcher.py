"""One command to run the portal, one to run its tests, one per process of a cluster.

``python -m portal.launcher run``: the single-machine demo. The release step
(migrate, collectstatic, the demo data on first start), then the web server
(gunicorn), a Celery worker and Celery beat until Ctrl-C, which stops every
process started here, embedded servers included. ``PROCESSES`` (default
``web,worker,beat``) chooses which run.

``python -m portal.launcher exec -- CMD...``: run CMD (the test suite) with
the same environment, then stop the embedded servers it started.

A node of a cluster (docs/deploy.md): ``release`` once per release (migrate,
collectstatic), then ``web``, ``worker`` or ``beat`` per process. These never
start embedded servers nor generate keys: DATABASE_URL, REDIS_URL and
SECRET_KEY must be given, shared by every node.

``cluster``: two web nodes, two workers, one beat and an S3 server on this
machine (``make cluster``, see portal/cluster.py).

Without DATABASE_URL / REDIS_URL, ``run`` and ``exec`` start the embedded
PostgreSQL and Redis (see ``portal/embedded.py``) and pass their URLs on in
the environment; without SECRET_KEY the key generated once into
``var/secret_key`` is passed on. Outside the demo and DEBUG, that is refused:
each node would have its own database and key. Settings never start or
generate anything themselves. This module imports no Django code until the
environment is ready.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request

from portal import demo_otp, embedded

BASE_DIR = embedded.BASE_DIR
PY = sys.executable


def _log(msg: str) -> None:
    print(f"[portal] {msg}", flush=True)


class Services:
    """The embedded servers this process started (and must stop)."""

    def __init__(self, local: bool = True) -> None:
        self.local = local  # may start embedded servers and generate keys (demo, DEBUG, tests)
        self.started_pg = False
        self.started_redis = False

    def up(self) -> None:
        if not self.local:
            missing = [
                name for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL") if not os.environ.get(name)
            ]
            if missing:
                raise SystemExit(
                    f"[portal] {', '.join(missing)} not set. A node of a cluster shares its database, "
                    "Redis and key with the others: set them (docs/deploy.md). Embedded servers and "
                    "generated keys are for the single-machine demo (`make run`) or DEBUG=true only."
                )
            return
        if not os.environ.get("SECRET_KEY"):
            os.environ["SECRET_KEY"] = embedded.secret_key()
            _log(f"SECRET_KEY not set: using the key generated once into {embedded.VAR_DIR / 'secret_key'}")
        if not os.environ.get("ORG_SIGNING_KEY_SECRET"):
            # The key that encrypts the organisations' signing keys (documents/conf.py).
            os.environ["ORG_SIGNING_KEY_SECRET"] = embedded.secret_key("org_signing_key_secret")
            _log(
                "ORG_SIGNING_KEY_SECRET not set: using the one generated once into var/org_signing_key_secret"
            )
        if not os.environ.get("DATABASE_URL"):
            was_running = embedded.postgres_pid() is not None
            os.environ["DATABASE_URL"] = embedded.database_url()
            self.started_pg = not was_running
            _log(f"embedded PostgreSQL {'started' if self.started_pg else 'reused'} in {embedded.PG_DIR}")
        if not os.environ.get("REDIS_URL"):
            was_running = embedded.redis_pid() is not None
            os.environ["REDIS_URL"] = embedded.redis_url()
            self.started_redis = not was_running
            _log(
                f"embedded Redis {'started' if self.started_redis else 'reused'} at {embedded.redis_socket()}"
            )

    def down(self) -> None:
        if self.started_redis:
            embedded.stop_redis()
            _log("embedded Redis stopped")
        if self.started_pg:
            embedded.stop_postgres()
            _log("embedded PostgreSQL stopped")


def manage(*args: str) -> None:
    subprocess.run([PY, str(BASE_DIR / "manage.py"), *args], check=True, cwd=BASE_DIR)


def run(host: str, port: int) -> int:
    os.environ.setdefault("HTTPS", "false")  # plain HTTP on this machine
    os.environ.setdefault("PAYMENT_SANDBOX", "true")  # the demo pays through the local sandbox gateway
    # Absolute links (QR codes, e-mails, the sandbox's IPN) name the address this run serves.
    public_host = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host
    os.environ.setdefault("PORTAL_BASE_URL", f"http://{public_host}:{port}")
    os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
    os.environ.setdefault("PORTAL_DEMO", "true")  # one machine: embedded servers, mail in var/mail
    services = Services(local=_local_allowed())
    procs: list[subprocess.Popen] = []
    stopping = False

    def stop(*_args):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        services.up()
        release(demo=_env_true("PORTAL_DEMO"))
        wanted = [p.strip() for p in os.environ.get("PROCESSES", "web,worker,beat").split(",") if p.strip()]
        commands = {name: command(name, host, port) for name in wanted}
        for name, cmd in commands.items():
            # Own process group: Ctrl-C reaches us, and we stop children in order.
            procs.append(subprocess.Popen(cmd, cwd=BASE_DIR, start_new_session=True))
            _log(f"{name} started (pid {procs[-1].pid})")
        url = f"http://{'localhost' if host in ('127.0.0.1', '0.0.0.0') else host}:{port}/"
        _wait_http(url + "healthz", procs)
        _banner(url)
        while not stopping:
            for proc in procs:
                if proc.poll() is not None:
                    _log(f"process {proc.args[2]} exited with {proc.returncode}; stopping")
                    stopping = True
            time.sleep(0.3)
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        _log("stopping…")
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        services.down()
        _log("stopped")


def _env_true(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _local_allowed() -> bool:
    """Embedded servers and generated keys: only for the demo, DEBUG and the test runner."""
    return _env_true("PORTAL_DEMO") or _env_true("DEBUG")


def command(name: str, host: str = "127.0.0.1", port: int = 8000, ident: str = "") -> list[str]:
    """The command line of one process kind: web (gunicorn), worker or beat."""
    if name == "web":
        return [
            PY,
            "-m",
            "gunicorn",
            "portal.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            os.environ.get("WEB_CONCURRENCY", "2"),
            "--access-logfile",
            os.environ.get("ACCESS_LOG", "-"),
        ]
    if name == "worker":
        return [
            PY,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            os.environ.get("WORKER_CONCURRENCY", "2"),
            "--hostname",
            f"worker{ident}@%h",
        ]
    if name == "beat":
        schedule = str(embedded.VAR_DIR / f"celerybeat-schedule{ident}")
        return [PY, "-m", "celery", "-A", "portal", "beat", "--loglevel", "INFO", "--schedule", schedule]
    raise SystemExit(f"[portal] unknown process kind {name!r} (web, worker, beat)")


def release(demo: bool = False) -> None:
    """The release step (manage.py release): migrate, collectstatic, demo data once per database."""
    manage("release", "-v", "0", *(["--demo"] if demo else []))


def _wait_http(url: str, procs, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in procs):
            return
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)


def _banner(url: str) -> None:
    print(
        f"""
============================================================
 The portal is running at {url}
 Back office (staff):    {url}admin/

 Demo log-ins (password for all: {DEMO_PASSWORD})
 Then the two-step code: add the published demo key
   {DEMO_KEY}
 to an authenticator app (TOTP, 6 digits, 30 s),
 or run `make demo-code` in another terminal for the code now.
{_logins()}

 Online payments go to the local sandbox gateway (PAYMENT_SANDBOX=true):
 no money moves.

 Press Ctrl-C to stop everything.
============================================================
""",
        flush=True,
    )


DEMO_PASSWORD = "demo-MyTho-2022"
# Every demo log-in of the README's table (tests/onestop/test_demo_services.py checks both agree).
DEMO_LOGINS = [
    ("admin", "system administrator"),
    ("ubnd.lanhdao", "leader of the city people's committee"),
    ("ubnd.motcua", "one-stop officer of the city (also the 1022 feedback desk)"),
    ("tuphap.cv", "specialist, city justice department"),
    ("tuphap.ld", "leader, city justice department"),
    ("qldt.cv", "specialist, urban management department"),
    ("qldt.ld", "leader, urban management department"),
    ("p1.motcua", "one-stop officer of Ward 1"),
    ("p1.cv", "specialist of Ward 1"),
    ("p1.lanhdao", "leader of Ward 1"),
    ("p2.motcua", "one-stop officer of Ward 2"),
    ("p1.007", "personnel officer of Ward 1"),
    ("nv.004", "Home Affairs office (the city's staff records)"),
]


def _logins() -> str:
    return "\n".join(f"   {name:<13}{who}" for name, who in DEMO_LOGINS)


DEMO_KEY = " ".join(demo_otp.DEMO_TOTP_KEY_BASE32[i : i + 4] for i in range(0, 32, 4))


def exec_(cmd: list[str]) -> int:
    services = Services()
    try:
        services.up()
        return subprocess.call(cmd, cwd=BASE_DIR)
    finally:
        services.down()


def node(kind: str) -> int:
    """One process of a cluster node, in the foreground (a process manager restarts it)."""
    services = Services(local=_local_allowed())
    services.up()
    try:
        if kind == "release":
            release(demo=_env_true("PORTAL_DEMO"))
            return 0
        host = os.environ.get("HOST", "127.0.0.1")
        port = int(os.environ.get("PORT", "8000"))
        return subprocess.call(command(kind, host, port), cwd=BASE_DIR)
    finally:
        services.down()


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "exec", "release", "web", "worker", "beat", "cluster"}:
        print(__doc__)
        return 2
    if argv[0] in {"release", "web", "worker", "beat"}:
        return node(argv[0])
    if argv[0] == "cluster":
        from portal import cluster

        return cluster.main(argv[1:])
    if argv[0] == "run":
        host = os.environ.get("HOST", "127.0.0.1")
        port = int(os.environ.get("PORT", "8000"))
        return run(host, port)
    cmd = argv[1:]
    if cmd and cmd[0] == "--":
        cmd = cmd[1:]
    return exec_(cmd)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
