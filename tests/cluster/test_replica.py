"""The read replica router against a second PostgreSQL server (started by tests/cluster/conftest.py).

The second server gets a copy of the test database, then its copy of a
service is renamed there only: a page that shows the replica's name read from
the replica, one that shows the primary's read from the primary.
"""

from __future__ import annotations

import subprocess

import psycopg2
import pytest
from django.conf import settings
from django.db import connections, transaction
from django.test import Client

from onestop.models import Service
from portal.replica import ReplicaRouter, replica_reads
from tests.onestop.factories import ServiceFactory

PRIMARY_NAME = "Đăng ký khai sinh"
REPLICA_NAME = "Đăng ký khai sinh (bản sao)"


@pytest.fixture
def replica(second_postgres, transactional_db):
    """The test database copied to the second server, configured as the ``replica`` alias."""
    from portal.roles import ensure_roles

    ensure_roles()
    service = ServiceFactory(name=PRIMARY_NAME)
    primary = connections["default"].settings_dict
    name = f"replica_{primary['NAME']}"[:60]
    port = second_postgres["port"]
    admin = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    dump = subprocess.run(
        ["pg_dump", "--no-owner", "-h", primary["HOST"] or "127.0.0.1", "-p", str(primary["PORT"] or 5432)]
        + ["-U", primary["USER"] or "postgres", primary["NAME"]],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(
        [
            "psql",
            "-q",
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-U",
            "postgres",
            "-d",
            name,
            "-v",
            "ON_ERROR_STOP=1",
        ],
        input=dump,
        check=True,
        capture_output=True,
    )
    copy = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname=name)
    with copy, copy.cursor() as cursor:
        cursor.execute("UPDATE onestop_service SET name = %s WHERE id = %s", [REPLICA_NAME, service.pk])
    copy.close()

    settings.DATABASES["replica"] = {**primary, "NAME": name, "HOST": "127.0.0.1", "PORT": str(port)}
    # Connected here, as a node connects at its first request (the test case allows connections it
    # knew of when it started; this one is new).
    connections["replica"].connect()
    try:
        yield service
    finally:
        connections["replica"].close()
        del connections["replica"]
        settings.DATABASES.pop("replica", None)


def test_public_catalogue_reads_from_the_replica_everything_else_from_the_primary(replica):
    service = replica
    client = Client()
    catalogue = client.get("/dich-vu/").content.decode()
    assert REPLICA_NAME in catalogue  # the catalogue was read from the second server
    detail = client.get(f"/dich-vu/{service.code}/").content.decode()
    assert REPLICA_NAME in detail
    # The filing form is not a replica view: the primary's name.
    form = client.get(f"/dich-vu/{service.code}/nop-ho-so/").content.decode()
    assert PRIMARY_NAME in form and REPLICA_NAME not in form


def test_a_read_after_a_write_in_the_same_request_goes_to_the_primary(replica):
    router = ReplicaRouter()
    with replica_reads():
        assert Service.objects.get(pk=replica.pk).name == REPLICA_NAME
        Service.objects.filter(pk=replica.pk).update(fee=1000)  # a write pins the request
        assert router.db_for_read(Service) is None
        assert Service.objects.get(pk=replica.pk).name == PRIMARY_NAME
    with replica_reads():
        with transaction.atomic():  # inside a transaction: its own reads and writes, on the primary
            assert Service.objects.get(pk=replica.pk).name == PRIMARY_NAME
    # Outside a replica view nothing reads from the replica.
    assert Service.objects.get(pk=replica.pk).name == PRIMARY_NAME


def test_without_a_replica_the_router_changes_nothing(db):
    assert "replica" not in settings.DATABASES
    with replica_reads():
        assert ReplicaRouter().db_for_read(Service) is None
    assert ReplicaRouter().allow_migrate("replica", "onestop") is False
