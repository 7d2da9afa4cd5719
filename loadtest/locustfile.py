"""The load of a province-sized morning: 17 ward sites and the city hall, ~20 officials each
working their queues and dossiers, and citizens reading the catalogue, filing and looking up.

Run by ``make loadtest`` (loadtest/run.py) against the cluster; each request's
``name`` is its page kind, so Locust's table gives p50/p95 per kind. Users
spread over the two web nodes (the proxy on one machine would be the
bottleneck; a real balancer is not). Citizens come from their own addresses
(X-Forwarded-For, which the nodes trust from 127.0.0.1, as from a balancer).
"""

from __future__ import annotations

import io
import itertools
import json
import os
import random
import re
import threading

from locust import HttpUser, between, events, task

PLAN = json.load(open(os.environ["LOADTEST_PLAN"]))  # noqa: SIM115 - read once at start
NODES = os.environ["LOADTEST_NODES"].split(",")
SITES = PLAN["sites"]
OFFICIALS = [(site, official) for site in SITES for official in site["officials"]]
_next_official = itertools.count()
_lock = threading.Lock()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = _pdf()


def _ok(response, *codes):
    if response.status_code not in (codes or (200,)):
        response.failure(f"HTTP {response.status_code}")
    else:
        response.success()


class PortalUser(HttpUser):
    """A user of one node (``self.node``): a GET there, its answer checked against ``codes``."""

    abstract = True

    def _get(self, path, name, *codes):
        with self.client.get(self.node + path, name=name, catch_response=True, allow_redirects=False) as r:
            _ok(r, *codes)
            return r


class Official(PortalUser):
    """An official of one site: the dashboard, the dossier list and its queues, dossiers, their files."""

    weight = int(os.environ.get("LOADTEST_OFFICIAL_WEIGHT", "9"))
    wait_time = between(
        float(os.environ.get("LOADTEST_THINK_MIN", "15")), float(os.environ.get("LOADTEST_THINK_MAX", "45"))
    )
    host = NODES[0]

    def on_start(self):
        with _lock:
            index = next(_next_official) % len(OFFICIALS)
        self.site, official = OFFICIALS[index]
        self.node = NODES[index % len(NODES)]
        for node in NODES:
            self.client.cookies.set(
                PLAN["session_cookie"], official["session"], domain=node.split("//")[1].split(":")[0]
            )

    @task(2)
    def home(self):
        self._get("/admin/", "staff: admin home")

    @task(4)
    def dossier_list(self):
        self._get("/admin/onestop/dossier/", "staff: dossier list")

    @task(2)
    def queue(self):
        self._get("/admin/onestop/dossier/?status__exact=submitted", "staff: queue (submitted)")

    @task(1)
    def search(self):
        if self.site["dossiers"]:
            code = random.choice(self.site["dossiers"])["code"]
            self._get(f"/admin/onestop/dossier/?q={code[-4:]}", "staff: dossier search")

    @task(4)
    def dossier(self):
        if self.site["dossiers"]:
            pk = random.choice(self.site["dossiers"])["pk"]
            self._get(f"/admin/onestop/dossier/{pk}/change/", "staff: dossier page")

    @task(1)
    def file(self):
        with_files = [d for d in self.site["dossiers"] if d["files"]]
        if with_files:
            d = random.choice(with_files)
            self._get(f"/admin/onestop/dossier/{d['pk']}/file/{d['files'][0]}/", "staff: file download")


class Citizen(PortalUser):
    """A citizen: the home page and catalogue, a service, filing a dossier, looking one up."""

    weight = int(os.environ.get("LOADTEST_CITIZEN_WEIGHT", "1"))
    wait_time = between(5, 15)
    host = NODES[0]

    def on_start(self):
        self.node = random.choice(NODES)
        self.ip = f"198.51.{random.randrange(256)}.{random.randrange(1, 255)}"
        self.client.headers["X-Forwarded-For"] = self.ip

    @task(3)
    def home(self):
        self._get("/", "public: home")

    @task(3)
    def catalogue(self):
        self._get("/dich-vu/", "public: catalogue")

    @task(2)
    def search(self):
        self._get("/dich-vu/?q=khai+sinh", "public: catalogue search")

    @task(2)
    def service(self):
        site = random.choice(SITES)
        if site["services"]:
            self._get(f"/dich-vu/{random.choice(site['services'])['code']}/", "public: service page")

    @task(1)
    def statistics(self):
        self._get("/thong-ke/", "public: statistics")

    @task(3)
    def lookup(self):
        site = random.choice(SITES)
        if not site["dossiers"]:
            return
        d = random.choice(site["dossiers"])
        form = self._get("/tra-cuu/", "public: look-up form")
        match = CSRF.search(form.text or "")
        if not match:
            return
        with self.client.post(
            self.node + "/tra-cuu/",
            data={"csrfmiddlewaretoken": match.group(1), "code": d["code"], "secret": d["phone"]},
            name="public: look-up (POST)",
            catch_response=True,
            allow_redirects=False,
        ) as r:
            _ok(r, 302)
            location = r.headers.get("Location", "")
        if location:
            self._get(location, "public: dossier status page")

    @task(1)
    def file_dossier(self):
        site = random.choice([s for s in SITES if any(not x["pays"] for x in s["services"])])
        service = random.choice([x for x in site["services"] if not x["pays"]])
        path = f"/dich-vu/{service['code']}/nop-ho-so/"
        form = self._get(path, "public: filing form")
        match = CSRF.search(form.text or "")
        if not match:
            return
        phone = f"09{random.randrange(10**8):08d}"
        data = {
            "csrfmiddlewaretoken": match.group(1),
            "receiving_unit": site["unit"],
            "applicant_name": "Trần Thị Bình",
            "applicant_id_number": f"082090{random.randrange(10**6):06d}",  # born 1990, male (CCCD rules)
            "applicant_birth_date": "1990-05-01",
            "applicant_address": "5 Nguyễn Huệ",
            "applicant_phone": phone,
            "applicant_email": "binh@example.com",
            "request_summary": "Nộp hồ sơ trực tuyến",
            "consent": "on",
            "action": "submit",
        }
        files = {f"doc_{pk}": ("giay-to.pdf", PDF, "application/pdf") for pk in service["documents"]}
        with self.client.post(
            self.node + path,
            data=data,
            files=files,
            name="public: filing (POST)",
            catch_response=True,
            allow_redirects=False,
        ) as r:
            _ok(r, 302)
            location = r.headers.get("Location", "")
        if location:
            self._get(location, "public: filed confirmation")


@events.quitting.add_listener
def _(environment, **_kwargs):
    environment.process_exit_code = 0  # the runner judges errors from the CSV
