"""End-to-end tests of the `conformance` CLI against real redis-server processes."""
import json
import os
import pathlib
import subprocess
import xml.dom.minidom

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
REDIS_PROFILE = ROOT / "ci" / "profiles" / "redis-7.0.yaml"
BROKEN = ROOT / "tests" / "scenarios" / "broken"
CHANGED_SINCE_SNAPSHOT = ROOT / "tests" / "scenarios" / "digest" / "changed-since-snapshot.yaml"
TIMEOUT = 900  # seconds: a bound on the whole run, never a synchronisation


def run(binary, *args, cwd=None, tmpdir=None):
    env = dict(os.environ)
    if tmpdir is not None:
        env["TMPDIR"] = str(tmpdir)  # the servers' directories go there
    return subprocess.run([str(binary), *map(str, args)], capture_output=True, text=True,
                          timeout=TIMEOUT, cwd=cwd, env=env)


def servers_started_under(directory):
    """redis-server processes working in a directory under `directory` (redis rewrites its
    command line, but it runs in the `dir` the launcher gave it)."""
    out = subprocess.run(["pgrep", "-x", "redis-server"], capture_output=True, text=True)
    left = []
    for pid in out.stdout.split():
        try:
            cwd = os.readlink(f"/proc/{pid}/cwd")
        except OSError:
            continue  # it ended meanwhile, or is a zombie
        if cwd.startswith(str(directory)):
            left.append(pid)
    return left


REQUIRED_IDS = {
    "sanity.ping", "master.fullsync.disk", "master.fullsync.diskless", "master.sync.legacy",
    "master.auth.wrong-password", "master.auth.missing", "master.psync.continue",
    "master.backlog.overflow", "master.rdb.drop-mid-transfer.disk",
    "master.rdb.drop-mid-transfer.diskless", "master.offsets.ack", "master.stream.select",
}

# The server under test is the replica, driven by the fake master (issue 3).
REQUIRED_REPLICA_IDS = {
    "replica.fullsync.disk", "replica.fullsync.diskless", "replica.auth.ok",
    "replica.auth.wrong-password", "replica.psync.fallback-to-sync", "replica.psync.continue",
    "replica.psync.continue-new-replid", "replica.backlog.overflow",
    "replica.rdb.drop-mid-transfer.disk", "replica.rdb.drop-mid-transfer.diskless",
    "replica.rdb.bad-eof-mark", "replica.psync.retry-later", "replica.keepalive",
    "replica.offsets.getack", "replica.stream.inline-garbage",
}


def test_list_names_every_required_case(conformance_binary):
    result = run(conformance_binary, "list", SCENARIOS)
    assert result.returncode == 0, result.stderr
    listed = {line.split()[0] for line in result.stdout.splitlines() if line and not line.endswith("cases")}
    assert REQUIRED_IDS <= listed


# The cases Debian's redis-server 7.0 fails as its profile expects (expected_failures).
REDIS_7_0_XFAIL_IDS = {"master.stream.entries-read", "replica.robust.continue-without-history"}


def test_all_scenarios_pass_against_redis_with_its_profile(conformance_binary, tmp_path):
    servers = tmp_path / "servers"
    servers.mkdir()
    report = tmp_path / "report.json"
    junit = tmp_path / "report.xml"
    result = run(conformance_binary, "run", SCENARIOS, "-j", "2", "--profile", REDIS_PROFILE,
                 "--json", report, "--junit", junit, "--transcripts", tmp_path / "transcripts",
                 tmpdir=servers)
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads(report.read_text())
    verdicts = {case["id"]: case["verdict"] for case in data["cases"]}
    assert REQUIRED_IDS <= set(verdicts)
    assert REQUIRED_REPLICA_IDS <= set(verdicts)
    # Valkey's dual-channel sync is a capability Redis lacks: those cases skip, naming it.
    skipped = {case["id"]: case.get("reason", "") for case in data["cases"] if case["verdict"] == "skip"}
    assert skipped and all("dualchannel" in case_id and "dual-channel" in reason
                           for case_id, reason in skipped.items()), skipped
    assert {case_id: v for case_id, v in verdicts.items() if v not in ("pass", "skip")} == \
        {case_id: "xfail" for case_id in REDIS_7_0_XFAIL_IDS}, verdicts
    assert "sanity.ping@last" in verdicts  # the sanity case runs first and last
    assert data["summary"]["exit_code"] == 0
    xml.dom.minidom.parse(str(junit))
    assert not servers_started_under(servers), "a started server was left running"
    assert not any(servers.iterdir()), "a server directory was left behind"


def test_wrong_expectation_fails_with_an_explanation(conformance_binary, tmp_path):
    transcripts = tmp_path / "transcripts"
    result = run(conformance_binary, "run", BROKEN / "wrong-expectation.yaml",
                 "--transcripts", transcripts)
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    assert "FAIL" in out and "selftest.wrong-expectation" in out
    assert "replica.psync" in out and "wrong-expectation.yaml:" in out  # step and location
    assert "Expected: continue, received:" in out and "FULLRESYNC" in out
    assert "full transcript:" in out
    assert any(transcripts.iterdir())


def test_a_changed_debug_digest_falls_back_to_reading_the_keyspace(conformance_binary, tmp_path):
    transcripts = tmp_path / "transcripts"
    result = run(conformance_binary, "run", CHANGED_SINCE_SNAPSHOT,
                 "--transcripts", transcripts)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "unexpected" in result.stdout  # the keys written after the snapshot, named
    text = (transcripts / "selftest.changed-since-snapshot.txt").read_text()
    assert "differs from" in text and "reading the keyspace" in text


def test_malformed_scenario_names_file_line_column(conformance_binary, tmp_path):
    bad = tmp_path / "malformed.yaml"
    bad.write_text((BROKEN / "malformed.yaml.txt").read_text())
    result = run(conformance_binary, "run", bad)
    assert result.returncode == 64
    assert f"{bad}:8:" in result.stderr and "expekt" in result.stderr


def test_server_that_does_not_start_is_exit_3(conformance_binary):
    result = run(conformance_binary, "run", SCENARIOS, "--only", "sanity.*", "--server", "/bin/false")
    assert result.returncode == 3, result.stdout + result.stderr
    assert "ERROR" in result.stdout


def test_missing_server_binary_is_exit_3(conformance_binary):
    result = run(conformance_binary, "run", SCENARIOS, "--server", "/nonexistent/redis-server")
    assert result.returncode == 3


@pytest.mark.parametrize("args", [[], ["run"], ["frobnicate"], ["run", str(SCENARIOS), "--seed", "x"],
                                  ["run", str(SCENARIOS), "--bogus"]])
def test_bad_usage_is_exit_64(conformance_binary, args):
    assert run(conformance_binary, *args).returncode == 64


def test_no_selected_case_is_inconclusive(conformance_binary):
    result = run(conformance_binary, "run", SCENARIOS, "--only", "no.such.case")
    assert result.returncode == 2


def test_password_never_appears_in_reports(conformance_binary, tmp_path):
    report = tmp_path / "report.json"
    transcripts = tmp_path / "t"
    result = run(conformance_binary, "run", SCENARIOS, "--only", "master.auth.*", "--json", report,
                 "--transcripts", transcripts)
    assert result.returncode == 0, result.stdout
    texts = [result.stdout, result.stderr, report.read_text()]
    texts += [p.read_text() for p in transcripts.iterdir()]
    assert not any("conformance-secret" in text for text in texts)


def test_server_without_runtime_replicaof_starts_as_a_replica(conformance_binary, tmp_path):
    # The profile's capabilities replace the discovered ones: Redis 7.0's, less runtime REPLICAOF.
    profile_text = (ROOT / "ci" / "profiles" / "redis-7.0.yaml").read_text() + (
        "capabilities: [sync, psync, psync2, eof, role, wait, getack, select, auth, masterauth,\n"
        "               info-replication, sync-stats, config-set, replicaof-at-start, restart,\n"
        "               debug, dump, functions, streams, stream-entries-read]\n")
    profile = tmp_path / "start-as-replica.yaml"
    profile.write_text(profile_text)
    report = tmp_path / "report.json"
    transcripts = tmp_path / "t"
    result = run(conformance_binary, "run", SCENARIOS, "--only", "replica.fullsync.*",
                 "--only", "replica.rdb.bad-eof-mark", "--profile", profile, "--json", report,
                 "--transcripts", transcripts)
    assert result.returncode == 0, result.stdout + result.stderr
    verdicts = {case["id"]: case for case in json.loads(report.read_text())["cases"]}
    assert verdicts["replica.fullsync.disk"]["verdict"] == "pass"
    assert verdicts["replica.fullsync.diskless"]["verdict"] == "pass"
    # A case that writes to the server before it becomes a replica cannot run this way.
    assert verdicts["replica.rdb.bad-eof-mark"]["verdict"] == "skip"
    assert "only start as a replica" in verdicts["replica.rdb.bad-eof-mark"]["reason"]
    text = next(transcripts.glob("replica.fullsync.disk*")).read_text()
    assert "started as a replica of 127.0.0.1:" in text
    assert "already a replica of the fake master since its start" in text


def test_repeat_compares_every_run_with_the_first(conformance_binary, tmp_path):
    result = run(conformance_binary, "run", SCENARIOS, "--only", "sanity.*", "--only",
                 "master.psync.backlog-start.*", "--repeat", "3", "--repeat-until-failure",
                 tmpdir=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "repeat 2/3 (seed 1): every verdict as in run 1" in result.stdout
    assert "repeat 3/3 (seed 1): every verdict as in run 1" in result.stdout
    assert "3 run(s), 0 with verdicts that differ from run 1" in result.stdout


def test_rules_lists_the_catalogue_with_its_coverage(conformance_binary):
    result = run(conformance_binary, "rules", SCENARIOS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 dimension(s) without a case" in result.stdout
    lines = {line.split()[0]: line for line in result.stdout.splitlines() if line[:1].isupper()}
    assert "M3" in lines and "PSYNC" in lines["M3"]
    # For a server, only the cases that apply to it count: Redis 7.0 has every capability.
    for_server = run(conformance_binary, "rules", SCENARIOS, "--server", "redis-server")
    assert for_server.returncode == 0, for_server.stdout + for_server.stderr
    assert "redis 7.0" in for_server.stdout
