"""An attached server that never answers, or answers garbage, before the first step: a silent
one is reported once, as an ERROR of every case, instead of each case losing its whole step
deadline; a garbage one fails each case for what it did before the first step, which is not
blamed (pre-case INFO errors used to be dropped)."""
import json
import socket
import threading
import time

from test_cli import SCENARIOS, run


class HostileServer:
    """A loopback listener that accepts and then either stays silent or sends `reply` to
    whatever arrives. Stopped by its context manager, also on failure."""

    def __init__(self, reply=None):
        self.reply = reply
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        self.conns = []
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            conn.settimeout(0.2)
            self.conns.append(conn)
            threading.Thread(target=self._talk, args=(conn,), daemon=True).start()

    def _talk(self, conn):
        while not self.stop.is_set():
            try:
                data = conn.recv(4096)
            except OSError:
                continue
            if not data:
                return
            if self.reply is not None:
                try:
                    conn.sendall(self.reply)
                except OSError:
                    return

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=5)
        for conn in self.conns:
            conn.close()
        self.sock.close()


def run_against(binary, port, tmp_path):
    report = tmp_path / "report.json"
    started = time.monotonic()
    result = run(binary, "run", SCENARIOS, "--only", "sanity.*", "--only", "master.offsets.*",
                 "--target", f"127.0.0.1:{port}", "--step-timeout-ms", "2000", "--json", report)
    return result, json.loads(report.read_text())["cases"], time.monotonic() - started


def test_silent_server_is_reported_once_not_per_case(conformance_binary, tmp_path):
    with HostileServer(reply=None) as server:
        result, cases, seconds = run_against(conformance_binary, server.port, tmp_path)
    assert result.returncode == 3, result.stdout + result.stderr
    assert cases and all(c["verdict"] == "error" for c in cases), cases
    assert all("probing the attached server failed" in c["reason"] for c in cases), cases
    assert all("timed out" in c["reason"] for c in cases), cases
    # One probe deadline, not one step deadline per case.
    assert seconds < 30, seconds


def test_garbage_answering_server_is_not_blamed_on_the_first_step(conformance_binary, tmp_path):
    with HostileServer(reply=b"@garbage\r\n") as server:
        result, cases, _ = run_against(conformance_binary, server.port, tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    ran = [c for c in cases if c["verdict"] != "skip"]
    assert ran, cases
    for case in ran:
        # The server broke the protocol before any step: that is what the verdict says.
        assert case["verdict"] == "fail", case
        assert "reading INFO stats before the first step failed" in case["reason"], case
        assert "Protocol error" in case["reason"], case
        assert not case["steps"], case  # no step ran, so none is blamed
