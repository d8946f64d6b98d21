"""The console names an attached server (--target) in a sentence that reads: "Running N cases
against the server at HOST:PORT", not "against attached to HOST:PORT"."""
import pathlib
import socket
import subprocess

import pytest

from test_signal_cleanup import wait_until

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
REDIS_SERVER = pathlib.Path("/usr/bin/redis-server")
DEADLINE = 60  # seconds: a bound on each wait, never a synchronisation


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def test_run_against_a_target_names_the_server_in_a_sentence(conformance_binary, tmp_path):
    if not REDIS_SERVER.exists():
        pytest.skip(f"{REDIS_SERVER} not installed")
    port = free_port()
    server = subprocess.Popen([str(REDIS_SERVER), "--port", str(port), "--bind", "127.0.0.1",
                               "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: answers_ping(port), f"redis-server on {port}")
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
