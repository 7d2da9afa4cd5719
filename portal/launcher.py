"""One command to run the portal, one to run its tests.

``python -m portal.launcher run``: migrate, load the demo data on first
start, then run the web server (gunicorn), a Celery worker and Celery beat
until Ctrl-C, which stops every process started here, embedded servers
included.

``python -m portal.launcher exec -- CMD...``: run CMD (the test suite) with
the same environment, then stop the embedded servers it started.

Without DATABASE_URL / REDIS_URL the embedded PostgreSQL and Redis are
started here (see ``portal/embedded.py``) and their URLs passed on in the
environment; without SECRET_KEY the key generated once into
``var/secret_key`` is passed on. Settings never start or generate anything
themselves. This module imports no Django code until the environment is
ready.
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

    def __init__(self) -> None:
        self.started_pg = False
        self.started_redis = False

    def up(self) -> None:
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
    services = Services()
    procs: list[subprocess.Popen] = []
    stopping = False

    def stop(*_args):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        services.up()
        manage("migrate", "--noinput", "-v", "0")
        manage("collectstatic", "--noinput", "-v", "0")
        marker = embedded.VAR_DIR / "demo-loaded"
        if not marker.exists():
            _log("first start: loading the demo data (seed_demo)")
            manage("seed_demo")
            marker.write_text(time.strftime("%Y-%m-%d %H:%M:%S"))
        commands = {
            "web": [
                PY,
                "-m",
                "gunicorn",
                "portal.wsgi:application",
                "--bind",
                f"{host}:{port}",
                "--workers",
                os.environ.get("WEB_CONCURRENCY", "2"),
                "--access-logfile",
                "-",
            ],
            "worker": [
                PY,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                "2",
                "--hostname",
                "worker@%h",
            ],
            "beat": [PY, "-m", "celery", "-A", "portal", "beat", "--loglevel", "INFO"],
        }
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


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "exec"}:
        print(__doc__)
        return 2
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
