"""A SIGINT in the middle of a case: the harness stops its servers and removes their
directories (whose server.conf holds the case's password) before it dies of the signal."""
import os
import pathlib
import signal
import stat
import subprocess
import time

import pytest

from test_cli import ROOT, SCENARIOS, servers_started_under

REDIS_SERVER = pathlib.Path("/usr/bin/redis-server")
DEADLINE = 60  # seconds: a bound on each wait, never a synchronisation


def config_with_password(directory):
    """The server.conf of a running auth case under `directory`, or None."""
    for conf in directory.glob("conformance-*/server.conf"):
        try:
            if "requirepass" in conf.read_text():
                return conf
        except OSError:
            continue  # its case ended meanwhile
    return None


def wait_until(condition, what):
    deadline = time.monotonic() + DEADLINE
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {DEADLINE} s waiting for {what}")
        time.sleep(0.005)


def test_sigint_mid_case_removes_server_dirs_and_stops_servers(conformance_binary, tmp_path):
    if not REDIS_SERVER.exists():
        pytest.skip(f"{REDIS_SERVER} not installed")
    servers = tmp_path / "servers"
    servers.mkdir()
    env = dict(os.environ, TMPDIR=str(servers))
    harness = subprocess.Popen(
        [str(conformance_binary), "run", str(SCENARIOS), "--only", "master.auth.*",
         "--server", str(REDIS_SERVER), "--json", str(tmp_path / "report.json")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    try:
        conf = wait_until(lambda: config_with_password(servers) or harness.poll() is not None,
                          "an auth case's server dir")
        assert harness.poll() is None, "the run ended before a case's server dir was seen"
        assert stat.S_IMODE(os.stat(conf).st_mode) == 0o600, f"{conf} is readable by others"
        harness.send_signal(signal.SIGINT)
        output, _ = harness.communicate(timeout=DEADLINE)
    finally:
        if harness.poll() is None:
            harness.kill()
            harness.communicate()
    assert harness.returncode == -signal.SIGINT, output
    assert sorted(p.name for p in servers.glob("conformance-*")) == []
    wait_until(lambda: not servers_started_under(servers), "the servers to end")
