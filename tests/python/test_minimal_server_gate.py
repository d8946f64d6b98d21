"""The whole suite against the minimal test server (tests/minimal_server): a stand-in for the
small new implementations the gate is for. It lacks SELECT, AUTH, CONFIG, DUMP, COMMAND, capa
eof and most of INFO, and is started by flags; discovery must find that out, the cases must
reach the replication checks, and no verdict may blame it for the harness's assumptions."""
import json
import pathlib

from test_cli import ROOT, SCENARIOS, run

MINIMAL = ROOT / "tests" / "minimal_server"


def test_probe_learns_what_the_minimal_server_lacks(conformance_binary):
    result = run(conformance_binary, "probe", "--server", MINIMAL / "minimal_server.py",
                 "--profile", MINIMAL / "profile.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    traits = dict(line.split(": ", 1) for line in result.stdout.splitlines() if ": " in line
                  and not line.startswith("#"))
    assert traits["product"] == "unknown"
    assert traits["databases"] == "1"
    capabilities = traits["capabilities"]
    for lacking in ("select", "dump", "auth", "eof", "info-replication"):
        assert lacking not in capabilities, capabilities
    for having in ("psync", "replicaof", "role"):
        assert having in capabilities, capabilities


def test_suite_reaches_the_replication_checks(conformance_binary, tmp_path):
    report = tmp_path / "report.json"
    result = run(conformance_binary, "run", SCENARIOS, "-j", "2", "--server",
                 MINIMAL / "minimal_server.py", "--profile", MINIMAL / "profile.yaml",
                 "--json", report, tmpdir=tmp_path)
    cases = json.loads(report.read_text())["cases"]
    verdicts = {case["id"]: case for case in cases}
    errors = {i: c["reason"] for i, c in verdicts.items() if c["verdict"] == "error"}
    assert not errors, errors
    passed = [i for i, c in verdicts.items() if c["verdict"] == "pass"]
    # Replication itself is checked on both sides: full syncs, offsets and keyspaces.
    assert "replica.fullsync.disk" in passed, verdicts["replica.fullsync.disk"]
    assert "master.offsets.ack" in passed, verdicts["master.offsets.ack"]
    # What it lacks is named, never failed.
    skipped = {i: c["reason"] for i, c in verdicts.items() if c["verdict"] == "skip"}
    assert "select" in skipped["master.stream.select"]
    assert "requirepass" in skipped["master.auth.missing"] or "psync" in skipped["master.auth.missing"]
    assert "capa eof" in skipped["replica.fullsync.diskless"]
    assert result.returncode in (0, 1), result.stdout[-3000:] + result.stderr


def test_a_broken_rule_fails_the_case_and_is_named(conformance_binary, tmp_path):
    """The fake replica records the +OK the server sends in answer to REPLCONF ACK; whatever
    step notices first, the failure names rule M9 first and links the catalogue."""
    report = tmp_path / "report.json"
    result = run(conformance_binary, "run", SCENARIOS / "master" / "offsets-ack.yaml",
                 "--server", MINIMAL / "minimal_server.py", "--profile", MINIMAL / "profile.yaml",
                 "--server-command", "{binary} --port {port} --bind {host} --bug ack-reply",
                 "--json", report, tmpdir=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    case = json.loads(report.read_text())["cases"][-1]
    assert case["id"] == "master.offsets.ack" and case["verdict"] == "fail", case
    assert case["rules"][0] == "M9", case["rules"]
    assert "rule M9: a reply in the stream" in case["explanation"]
    assert "harness/rules/RULES.md#m9" in case["explanation"]
