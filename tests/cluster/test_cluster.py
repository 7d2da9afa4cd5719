"""The cluster on one machine (portal/cluster.py), as `make cluster` starts it, against the test database:
two web nodes behind the proxy, two workers, one beat, the S3 server; production settings.

One test, so the processes start once: an upload on node A downloaded on node B, a log-in on A
valid on B, a rate limit counted across both nodes, static files hashed and compressed, and the
reminders sent exactly once with both workers sweeping at the same time.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from datetime import datetime
from email import message_from_string
from email.header import decode_header, make_header
from pathlib import Path
from urllib.parse import quote

import requests
import time_machine
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from onestop import services
from onestop.models import Dossier, DossierStatus, Notification
from portal.cluster import Cluster
from portal.workdays import TZ
from tests.factories import PASSWORD
from tests.onestop.factories import CCCD, MOBILE, PDF_BYTES, Cast, make_dossier
from tests.otp import authenticator, current_code

BASE = Path(__file__).resolve().parents[2]
WORK = BASE / "var" / "test-cluster"
STATIC = WORK / "static"


def _database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}@{quote(db['HOST'] or '', safe='')}{port}/{db['NAME']}"


def _collectstatic(env: dict) -> None:
    """The release's collectstatic (hashed, compressed), redone only when a source file changed."""
    manifest = STATIC / "staticfiles.json"
    newest = max(p.stat().st_mtime for p in (BASE / "static").rglob("*") if p.is_file())
    if manifest.exists() and manifest.stat().st_mtime > newest:
        return
    shutil.rmtree(STATIC, ignore_errors=True)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=BASE, env=env, check=True
    )


def _csrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=30)
    assert page.status_code == 200, (url, page.status_code)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def _mails(folder: Path) -> list:
    texts = "".join(p.read_text() for p in sorted(folder.iterdir()))
    return [message_from_string(t.strip()) for t in texts.split("-" * 79) if t.strip()]


def test_two_nodes_two_workers_one_beat_share_everything(transactional_db):
    from portal import calendar_data, ratelimit
    from portal.celery import app
    from portal.models import CalendarDay
    from portal.roles import ensure_roles

    ensure_roles()
    calendar_data.load(CalendarDay)
    ratelimit.clear()
    cast = Cast()
    accepted = []
    with time_machine.travel(datetime(2025, 3, 3, 9, tzinfo=TZ), tick=False):
        for n in range(3):  # accepted in March 2025: their steps are overdue now
            dossier = make_dossier(cast, DossierStatus.PROCESSING, applicant_email=f"dan{n}@example.com")
            services.assign_step(dossier, cast.ward_leader, cast.ward_specialist)
            accepted.append(dossier)
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")

    shutil.rmtree(WORK / "mail", ignore_errors=True)
    env = {
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "SECRET_KEY": "cluster-test-shared-key-" + "x" * 40,
        "ORG_SIGNING_KEY_SECRET": "cluster-test-org-secret-" + "y" * 40,
        "STATIC_ROOT": str(STATIC),
        "S3_BUCKET": "cluster-test",
    }
    cluster = Cluster(env, WORK, web_workers=1, worker_concurrency=1)
    _collectstatic({**cluster.env(), **env})
    cluster.start()
    try:
        node_a, node_b = cluster.node_urls
        cluster.wait_workers()

        # --- a citizen files on node A, with a PDF; the file goes to the object store
        citizen = requests.Session()
        form_url = f"{node_a}/dich-vu/{cast.service.code}/nop-ho-so/"
        token = _csrf(citizen, form_url)
        doc = cast.service.documents.get(mandatory=True)
        filed = citizen.post(
            form_url,
            data={
                "csrfmiddlewaretoken": token,
                "receiving_unit": cast.ward.pk,
                "applicant_name": "Nguyễn Văn An",
                "applicant_id_number": CCCD,
                "applicant_birth_date": "1985-03-15",
                "applicant_address": "12 Lê Lợi, Phường 1",
                "applicant_phone": MOBILE,
                "applicant_email": "an@example.com",
                "request_summary": "Xin cấp giấy phép xây dựng",
                "consent": "on",
                "action": "submit",
            },
            files={f"doc_{doc.pk}": ("to-khai.pdf", PDF_BYTES, "application/pdf")},
            allow_redirects=False,
            timeout=30,
        )
        assert filed.status_code == 302, filed.text[:2000]
        code = filed.headers["Location"].split("/")[2]
        online = Dossier.objects.get(code=code)
        record = online.files.get()

        # --- the officer signs in on node A (both factors) …
        officer = requests.Session()
        login = f"{node_a}/admin/login/"
        first = officer.post(
            login,
            data={
                "csrfmiddlewaretoken": _csrf(officer, login),
                "username": cast.officer.username,
                "password": "x",
            },
            allow_redirects=False,
            timeout=30,
        )
        assert first.status_code == 200  # a wrong password: the form again
        device = authenticator(cast.officer)
        # The nodes run production settings: a hash they know (the suite's own is MD5, for speed).
        cast.officer.password = PBKDF2PasswordHasher().encode(PASSWORD, "clustersalt", iterations=1000)
        cast.officer.save(update_fields=["password"])
        first = officer.post(
            login,
            data={
                "csrfmiddlewaretoken": _csrf(officer, login),
                "username": cast.officer.username,
                "password": PASSWORD,
            },
            allow_redirects=False,
            timeout=30,
        )
        assert first.status_code == 302, first.text[:1000]
        verify = f"{node_a}{first.headers['Location']}"
        second = officer.post(
            verify,
            data={"csrfmiddlewaretoken": _csrf(officer, verify), "otp_token": current_code(device)},
            allow_redirects=False,
            timeout=30,
        )
        assert second.status_code == 302 and second.headers["Location"] == "/admin/"
        # … and is signed in on node B, which downloads the file node A stored.
        assert officer.get(f"{node_b}/admin/", timeout=30, allow_redirects=False).status_code == 200
        download = officer.get(f"{node_b}/admin/onestop/dossier/{online.pk}/file/{record.pk}/", timeout=30)
        assert download.status_code == 200 and download.content == PDF_BYTES
        assert download.headers["Content-Type"] == "application/pdf"
        # Nobody else gets it, on either node.
        for node in (node_a, node_b):
            stranger = requests.get(f"{node}/admin/onestop/dossier/{online.pk}/file/{record.pk}/", timeout=30)
            assert PDF_BYTES not in stranger.content

        # --- the look-up throttle counts across both nodes (10 failures per address)
        guesser = requests.Session()
        token = _csrf(guesser, f"{node_a}/tra-cuu/")
        answers = []
        for n in range(11):
            node = (node_a, node_b)[n % 2]
            answers.append(
                guesser.post(
                    f"{node}/tra-cuu/",
                    data={"csrfmiddlewaretoken": token, "code": f"{code}", "secret": f"09000000{n:02d}"},
                    headers={"X-Forwarded-For": "198.51.100.77"},
                    allow_redirects=False,
                    timeout=30,
                ).status_code
            )
        assert answers[:5] == [200] * 5 and answers[-1] == 429, answers
        # The same through the proxy: the balancer's address is not the client's.
        other = requests.Session()
        token = _csrf(other, f"{cluster.url}/tra-cuu/")
        answer = other.post(
            f"{cluster.url}/tra-cuu/",
            data={"csrfmiddlewaretoken": token, "code": code, "secret": MOBILE},
            allow_redirects=False,
            timeout=30,
        )
        assert answer.status_code == 302  # found: a different client, not throttled

        # --- static files: hashed names, a year's max-age, immutable, compressed
        home = requests.get(f"{node_b}/", timeout=30)
        css = re.search(r'href="(/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]{12}\.css)"', home.text)
        assert css, "the home page names a content-hashed stylesheet"
        sheet = requests.get(
            f"{node_b}{css.group(1)}", headers={"Accept-Encoding": "gzip"}, stream=True, timeout=30
        )
        assert sheet.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert sheet.headers["Content-Encoding"] == "gzip"
        assert int(sheet.headers["Content-Length"]) < 60_000  # bootstrap.min.css is ~230 KB raw
        assert home.headers.get("Content-Encoding") == "gzip"  # and the HTML itself

        # --- reminders: four sweeps at once over both workers send every message once
        for _ in range(4):
            app.send_task("portal.sweep_reminders")
        deadline = time.monotonic() + 90
        logs = {name: WORK / "logs" / f"{name}.log" for name in ("worker1", "worker2")}
        while time.monotonic() < deadline:
            done = sum(p.read_text(errors="replace").count("portal.sweep_reminders[") for p in logs.values())
            pending = Notification.objects.filter(sent_at__isnull=True).count()
            if done >= 8 and pending == 0:  # received + succeeded lines for 4 tasks
                break
            time.sleep(0.5)
        for name, path in logs.items():
            assert "portal.sweep_reminders[" in path.read_text(errors="replace"), f"{name} took no sweep"
        rows = list(Notification.objects.all())
        assert rows and all(n.sent_at is not None and n.attempts == 1 for n in rows)
        overdue = [n for n in rows if n.kind == Notification.Kind.STEP_OVERDUE]
        assert {n.dossier_id for n in overdue} == {d.pk for d in accepted}
        mails = _mails(cluster.mail_dir)
        pairs = [(m["To"], str(make_header(decode_header(m["Subject"])))) for m in mails]
        assert len(pairs) == len(rows) == len(set(pairs)), pairs  # every message once, none twice
    finally:
        cluster.stop()
        ratelimit.clear()
