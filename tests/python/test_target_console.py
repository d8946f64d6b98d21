"""The console names an attached server (--target) in a sentence that reads: "Running N cases
against the server at HOST:PORT", not "against attached to HOST:PORT"."""
import pathlib
import socket
import subprocess
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
REDIS_SERVER = pathlib.Path("/usr/bin/redis-server")
DEADLINE = 60  # seconds: a bound on each wait, never a synchronisation


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_answers(port: int):
    deadline = time.monotonic() + DEADLINE
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                if conn.recv(64).startswith(b"+PONG"):
                    return
        except OSError:
            pass
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {DEADLINE} s waiting for redis-server on {port}")
        time.sleep(0.02)


def test_run_against_a_target_names_the_server_in_a_sentence(conformance_binary, tmp_path):
    if not REDIS_SERVER.exists():
        pytest.skip(f"{REDIS_SERVER} not installed")
    port = free_port()
    server = subprocess.Popen([str(REDIS_SERVER), "--port", str(port), "--bind", "127.0.0.1",
                               "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_answers(port)
        result = subprocess.run([str(conformance_binary), "run", str(SCENARIOS), "--only", "sanity.*",
                                 "--target", f"127.0.0.1:{port}"],
                                capture_output=True, text=True, timeout=DEADLINE)
    finally:
        server.kill()
        server.wait()
    running = [line for line in result.stdout.splitlines() if line.startswith("Running ")]
    assert running, result.stdout + result.stderr
    assert f"against the server at 127.0.0.1:{port}" in running[0], running[0]
    assert "attached to" not in running[0], running[0]
