"""A create that succeeded but whose answer was lost: the retry's 409 is confirmed, not doubled.

A loopback proxy forwards the first batch request to the emulator (so the accounts are
created) and then answers 503 instead of the real response, as a dropped connection would.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from mailops.emulator import EmulatorServer
from mailops.provisioning.apply import apply_plan
from mailops.provisioning.form import read_form
from mailops.provisioning.journal import Journal
from mailops.provisioning.planning import plan_form
from mailops.settings import Settings
from mailops.workspace import connect
from tests.provisioning.conftest import people, write_csv


class LossyProxy(ThreadingHTTPServer):
    def __init__(self, target: str, lose: int) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        parts = urlsplit(target)
        self.target = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.lose = lose
        self.lost = 0
        self.lock = threading.Lock()


class _Handler(BaseHTTPRequestHandler):
    server: LossyProxy

    def _forward(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        conn = http.client.HTTPConnection(*self.server.target, timeout=30)
        headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
        conn.request(self.command, self.path, body=body or None, headers=headers)
        answer = conn.getresponse()
        data = answer.read()
        conn.close()
        with self.server.lock:
            drop = "batch" in self.path and self.server.lost < self.server.lose
            if drop:
                self.server.lost += 1
        if drop:  # the work was done upstream; the client never hears of it
            self.send_response(503)
            self.send_header("Content-Type", "application/json")
            payload = b'{"error": {"code": 503, "message": "lost", "errors": [{"reason": "backendError", "message": "lost"}]}}'
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        self.send_response(answer.status)
        for k, v in answer.getheaders():
            if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _forward

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def proxy(emulator: EmulatorServer) -> Iterator[LossyProxy]:
    server = LossyProxy(emulator.base_url, lose=1)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_a_lost_batch_answer_is_confirmed_on_retry_and_no_account_is_doubled(
    proxy: LossyProxy, emulator: EmulatorServer, tmp_path: Path
) -> None:
    url = f"http://127.0.0.1:{proxy.server_address[1]}/"
    settings = Settings(emulator_url=url, state_dir=tmp_path / "estado")
    rows = people(5)
    with connect(settings, backoff_base=0.01) as ws:
        plan = plan_form(ws, read_form(write_csv(tmp_path / "f.csv", rows)))
        report = apply_plan(ws, plan, progress=False)
        assert proxy.lost == 1
        assert report.ok, report.text()
        assert len(report.created) == 5
        docs = {r["documento"] for r in rows}
        found = [u.primary_email for u in ws.directory.users_list() if u.document_id in docs]
        assert len(found) == 5
    with Journal.for_state(settings.state_dir) as journal:
        notes = {e.note for e in journal.entries(plan.batch_id) if e.kind == "create"}
    assert notes == {"confirmada tras reintento"}
