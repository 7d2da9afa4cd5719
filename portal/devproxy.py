"""A small reverse proxy for the cluster on one machine (``make cluster``): round robin over the web nodes.

It stands in for nginx or a cloud load balancer: it adds ``X-Forwarded-For``
and ``X-Forwarded-Proto`` as they do, so the nodes see the client's address
only through the proxy headers they trust (TRUSTED_PROXIES). Not for
production: one thread per connection, whole bodies buffered.
"""

from __future__ import annotations

import http.client
import itertools
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailers",
    "transfer-encoding",
    "upgrade",
}


def serve(port: int, backends: list[tuple[str, int]], host: str = "127.0.0.1") -> ThreadingHTTPServer:
    turn = itertools.cycle(backends)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # the nodes keep the access log
            pass

        def _forward(self):
            with lock:
                backend = next(turn)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            previous = self.headers.get("X-Forwarded-For")
            client = self.client_address[0]
            headers["X-Forwarded-For"] = f"{previous}, {client}" if previous else client
            headers["X-Forwarded-Proto"] = "http"
            conn = http.client.HTTPConnection(*backend, timeout=60)
            try:
                conn.request(self.command, self.path, body=body, headers=headers)
                answer = conn.getresponse()
                data = answer.read()
            except OSError:
                self.send_error(502)
                return
            finally:
                conn.close()
            self.send_response_only(answer.status, answer.reason)
            for name, value in answer.getheaders():
                if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("X-Served-By", f"{backend[0]}:{backend[1]}")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _forward

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server


def main(argv: list[str]) -> int:
    port = int(argv[0])
    backends = [(b.rsplit(":", 1)[0], int(b.rsplit(":", 1)[1])) for b in argv[1:]]
    serve(port, backends).serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
