"""A real RFC 3161 time-stamping server on 127.0.0.1 for the tests: certomancer's animator (aiohttp).

It answers ``POST application/timestamp-query`` with a signed
``application/timestamp-reply`` exactly as a public TSA does; its root
certificate is what the registry must trust for the timestamps to validate.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from dataclasses import dataclass
from pathlib import Path

from certomancer.integrations.aiohttp_animator import build_animator_app
from certomancer.registry import ArchLabel, CertLabel, CertomancerConfig
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

VALIDITY = {"valid-from": "2000-01-01T00:00:00+0000", "valid-to": "2200-01-01T00:00:00+0000"}


@dataclass
class TimeStampServer:
    url: str
    root_der: bytes
    loop: asyncio.AbstractEventLoop
    runner: object
    thread: threading.Thread

    def stop(self) -> None:
        async def _cleanup():
            await self.runner.cleanup()

        asyncio.run_coroutine_threadsafe(_cleanup(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


def _config(port: int) -> dict:
    return {
        "external-url-prefix": f"http://127.0.0.1:{port}",
        "keysets": {"tsa": {"keys": {"root": {"path": "root.key.pem"}, "tsa": {"path": "tsa.key.pem"}}}},
        "pki-architectures": {
            "tsa": {
                "keyset": "tsa",
                "entity-defaults": {"country-name": "VN", "organization-name": "Test TSA"},
                "entities": {"root": {"common-name": "Test TSA Root"}, "tsa": {"common-name": "Test TSA"}},
                "certs": {
                    "root": {
                        "subject": "root",
                        "issuer": "root",
                        "validity": VALIDITY,
                        "extensions": [
                            {"id": "basic_constraints", "critical": True, "value": {"ca": True}},
                            {
                                "id": "key_usage",
                                "critical": True,
                                "smart-value": {
                                    "schema": "key-usage",
                                    "params": ["digital_signature", "key_cert_sign", "crl_sign"],
                                },
                            },
                        ],
                    },
                    "tsa": {
                        "subject": "tsa",
                        "issuer": "root",
                        "validity": VALIDITY,
                        "extensions": [
                            {
                                "id": "key_usage",
                                "critical": True,
                                "smart-value": {"schema": "key-usage", "params": ["digital_signature"]},
                            },
                            {"id": "extended_key_usage", "critical": True, "value": ["time_stamping"]},
                        ],
                    },
                },
                "services": {"time-stamping": {"tsa": {"signing-key": "tsa", "signing-cert": "tsa"}}},
            }
        },
    }


def start(workdir: Path) -> TimeStampServer:
    from aiohttp import web

    for label in ("root", "tsa"):
        key = ec.generate_private_key(ec.SECP256R1())
        (workdir / f"{label}.key.pem").write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = CertomancerConfig(_config(port), key_search_dir=str(workdir))
    app = build_animator_app(config.pki_archs, with_web_ui=False, allow_time_override=False)
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(app)
    ready = threading.Event()

    def serve():
        asyncio.set_event_loop(loop)
        loop.run_until_complete(runner.setup())
        loop.run_until_complete(web.SockSite(runner, sock).start())
        ready.set()
        loop.run_forever()
        loop.close()

    thread = threading.Thread(target=serve, name="test-tsa", daemon=True)
    thread.start()
    if not ready.wait(timeout=10):
        raise RuntimeError("the time-stamping server did not start")
    root = config.pki_archs[ArchLabel("tsa")].get_cert(CertLabel("root"))
    return TimeStampServer(f"http://127.0.0.1:{port}/tsa/tsa/tsa", root.dump(), loop, runner, thread)
