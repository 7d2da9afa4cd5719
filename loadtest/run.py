"""``make loadtest``: the cluster (portal/cluster.py) under Locust, and a report of what it measured.

    make loadtest LOADTEST_DURATION=10m

Starts the cluster on the configured (or embedded) PostgreSQL and Redis with
the demo data (the release step), adds the load-test data (loadtest/prepare.py),
runs Locust headless (loadtest/locustfile.py) for the duration, and writes
var/loadtest/report.md: per page kind the request count, failures, p50, p95;
the throughput; and where the time went (CPU seconds of each kind of process
during the run, from /proc through psutil). Settings, all optional, from the
environment: LOADTEST_DURATION (10m), LOADTEST_OFFICIALS_PER_SITE (20),
LOADTEST_CITIZENS (40), LOADTEST_DOSSIERS_PER_SITE (20), WEB_CONCURRENCY (2
gunicorn workers per node).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time

import psutil

from portal import embedded
from portal.cluster import Cluster

BASE = embedded.BASE_DIR
WORK = embedded.VAR_DIR / "loadtest"


def _cpu(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            proc = psutil.Process(pid)
            for p in [proc, *proc.children(recursive=True)]:
                times = p.cpu_times()
                total += times.user + times.system
        except psutil.NoSuchProcess:
            continue
    return total


def _postgres_pids(dbname: str) -> list[int]:
    """The PostgreSQL backends serving the load-test database (not other databases of the server)."""
    found = []
    for proc in psutil.process_iter(["name", "cmdline"]):
        cmd = " ".join(proc.info.get("cmdline") or [])
        if cmd.startswith("postgres:") and f" {dbname} " in f" {cmd} ":
            found.append(proc.pid)
    return found


class CpuMeter:
    """CPU seconds per process kind over the run (backends that come and go are sampled every second)."""

    def __init__(self, cluster: Cluster, dbname: str):
        self.cluster, self.dbname = cluster, dbname
        self.groups = {
            "web nodes (gunicorn)": [n for n in cluster.procs if n.startswith("web")],
            "Celery workers": [n for n in cluster.procs if n.startswith("worker")],
            "Celery beat": [n for n in cluster.procs if n.startswith("beat")],
            "S3 server (moto)": ["s3"],
        }
        self.start = {g: _cpu([cluster.procs[n].pid for n in names]) for g, names in self.groups.items()}
        self.pg_seen: dict[int, float] = {}
        self.pg_start: dict[int, float] = {pid: _cpu([pid]) for pid in _postgres_pids(dbname)}

    def sample_postgres(self) -> None:
        for pid in _postgres_pids(self.dbname):
            self.pg_start.setdefault(pid, 0.0)
            self.pg_seen[pid] = _cpu([pid]) or self.pg_seen.get(pid, 0.0)

    def result(self, locust_cpu: float) -> dict[str, float]:
        out = {
            g: _cpu([self.cluster.procs[n].pid for n in names]) - self.start[g]
            for g, names in self.groups.items()
        }
        out["PostgreSQL backends"] = sum(
            max(v - self.pg_start.get(pid, 0.0), 0) for pid, v in self.pg_seen.items()
        )
        out["Locust (the load generator)"] = locust_cpu
        return out


def main() -> int:
    duration = os.environ.get("LOADTEST_DURATION", "10m")
    per_site = int(os.environ.get("LOADTEST_OFFICIALS_PER_SITE", "20"))
    citizens = int(os.environ.get("LOADTEST_CITIZENS", "40"))
    dossiers = int(os.environ.get("LOADTEST_DOSSIERS_PER_SITE", "20"))
    WORK.mkdir(parents=True, exist_ok=True)
    env = {
        name: os.environ[name]
        for name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ORG_SIGNING_KEY_SECRET")
        if os.environ.get(name)
    }
    env |= {"PAYMENT_SANDBOX": "true", "STAFF_SESSION_IDLE_HOURS": "8"}
    os.environ.setdefault(
        "CLUSTER_ACCESS_LOG", "/dev/null"
    )  # the access log costs the nodes; Locust keeps the figures
    cluster = Cluster(env, WORK, web_workers=int(os.environ.get("WEB_CONCURRENCY", "2")))
    started = time.monotonic()
    cluster.start(release_args=["--demo"])
    try:
        print(f"[loadtest] cluster up in {time.monotonic() - started:.0f} s; preparing data", flush=True)
        plan_path = WORK / "plan.json"
        subprocess.run(
            [sys.executable, "-m", "loadtest.prepare", str(plan_path), str(dossiers), str(per_site)],
            cwd=BASE,
            env=cluster.env(),
            check=True,
        )
        plan = json.loads(plan_path.read_text())
        officials = sum(len(s["officials"]) for s in plan["sites"])
        users = officials + citizens
        import dj_database_url

        dbname = dj_database_url.parse(cluster.env()["DATABASE_URL"])["NAME"]
        meter = CpuMeter(cluster, dbname)
        locust = subprocess.Popen(
            [sys.executable, "-m", "locust", "-f", str(BASE / "loadtest" / "locustfile.py"), "--headless"]
            + ["-u", str(users), "-r", "20", "-t", duration, "--csv", str(WORK / "locust"), "--only-summary"]
            + ["--host", cluster.node_urls[0]],
            cwd=BASE,
            env={
                **os.environ,
                "LOADTEST_PLAN": str(plan_path),
                "LOADTEST_NODES": ",".join(cluster.node_urls),
                "LOADTEST_OFFICIAL_WEIGHT": str(officials),
                "LOADTEST_CITIZEN_WEIGHT": str(citizens),
            },
        )
        locust_cpu = 0.0
        began = time.monotonic()
        while locust.poll() is None:
            meter.sample_postgres()
            try:
                locust_cpu = _cpu([locust.pid])
            except psutil.NoSuchProcess:
                pass
            time.sleep(1)
        elapsed = time.monotonic() - began
        cpu = meter.result(locust_cpu)
        report = _report(plan, officials, citizens, duration, elapsed, cpu)
        (WORK / "report.md").write_text(report)
        print(report, flush=True)
        return 0 if "**0 errors**" in report else 1
    finally:
        cluster.stop()


def _report(plan, officials, citizens, duration, elapsed, cpu) -> str:
    rows = list(csv.DictReader((WORK / "locust_stats.csv").open()))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    pages = sorted((r for r in rows if r["Name"] != "Aggregated"), key=lambda r: r["Name"])
    failures = int(total["Failure Count"])
    lines = [
        f"Load test: {len(plan['sites'])} sites (17 wards and communes + the city hall), {officials} officials "
        f"({officials // max(len(plan['sites']), 1)} per site), {citizens} citizens; {duration} "
        f"({elapsed:.0f} s measured), two web nodes x {os.environ.get('WEB_CONCURRENCY', '2')} gunicorn workers, "
        "two Celery workers, one beat, S3 (moto).",
        "",
        "| page kind | requests | failures | p50 ms | p95 ms | mean ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in pages:
        lines.append(
            f"| {r['Name']} | {r['Request Count']} | {r['Failure Count']} | {r['50%']} | {r['95%']} "
            f"| {float(r['Average Response Time']):.0f} |"
        )
    lines += [
        f"| **all** | {total['Request Count']} | {failures} | {total['50%']} | {total['95%']} "
        f"| {float(total['Average Response Time']):.0f} |",
        "",
        f"Throughput: {float(total['Requests/s']):.1f} requests/s; **{failures} errors**.",
        "",
        "Where the time went (CPU seconds during the run, on this machine's shared cores):",
        "",
        "| process kind | CPU s | share |",
        "|---|---:|---:|",
    ]
    whole = sum(cpu.values()) or 1.0
    for name, seconds in sorted(cpu.items(), key=lambda kv: -kv[1]):
        lines.append(f"| {name} | {seconds:.0f} | {100 * seconds / whole:.0f}% |")
    failures_csv = WORK / "locust_failures.csv"
    if failures and failures_csv.exists():
        lines += ["", "Failures:", ""]
        for r in list(csv.DictReader(failures_csv.open()))[:10]:
            lines.append(f"- {r['Name']}: {r['Error']} ({r['Occurrences']})")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
