"""conformance fuzz end to end: a planted crash in a deliberately fragile replica (the minimal
test server with --bug rdb-crash dies on a 32-bit string length in a snapshot's keys) must be
found, minimized to the one mutation that causes it, and written as a scenario that `run`
replays as FAIL, and as PASS on the same server without the bug; likewise a planted crash in a
fragile master (--bug psync-crash dies on a PSYNC offset below -1) with --role master. Against
Debian's Redis short campaigns in both roles must run clean of harness errors, and every
failure they report must replay."""
import json

from test_cli import ROOT, run, servers_started_under

MINIMAL = ROOT / "tests" / "minimal_server"
FRAGILE = "{binary} --port {port} --bind {host} --bug rdb-crash"
FRAGILE_MASTER = "{binary} --port {port} --bind {host} --bug psync-crash"


def minimal_args(command="{binary} --port {port} --bind {host}"):
    return ["--server", MINIMAL / "minimal_server.py", "--profile", MINIMAL / "profile.yaml",
            "--server-command", command]


def test_a_planted_crash_is_found_minimized_and_replayed(conformance_binary, tmp_path):
    report = tmp_path / "fuzz.json"
    corpus = tmp_path / "findings"
    result = run(conformance_binary, "fuzz", *minimal_args(FRAGILE), "--mutators", "rdb.*",
                 "--iterations", "300", "--seed", "3", "--corpus", corpus, "--json", report,
                 cwd=tmp_path, tmpdir=tmp_path)
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr
    fuzzed = json.loads(report.read_text())
    assert fuzzed["errors"] == [], fuzzed["errors"]
    crashes = [f for f in fuzzed["failures"] if f["oracle"] == "crash"]
    assert crashes, fuzzed
    crash = crashes[0]
    assert crash["rule"] == "R8"
    assert "signal 6" in crash["what"], crash["what"]
    assert crash["reproduced"], crash
    # Minimized: one mutation of the RDB's length fields, nothing else.
    assert [m["mutator"] for m in crash["input"]["mutations"]] == ["rdb.length"], crash["input"]
    assert crash["replay"] == "fail", crash["replay_reason"]
    scenario = crash["scenario"]
    assert scenario.startswith(str(corpus)) and scenario.endswith(".yaml")

    # `conformance run` on the file: FAIL against the fragile server, PASS without the bug.
    replay = run(conformance_binary, "run", scenario, *minimal_args(FRAGILE), tmpdir=tmp_path)
    assert replay.returncode == 1, replay.stdout + replay.stderr
    assert "signal 6" in replay.stdout, replay.stdout
    sound = run(conformance_binary, "run", scenario, *minimal_args(), tmpdir=tmp_path)
    assert sound.returncode == 0, sound.stdout + sound.stderr


def test_a_planted_crash_in_a_master_is_found_minimized_and_replayed(conformance_binary, tmp_path):
    report = tmp_path / "fuzz.json"
    corpus = tmp_path / "findings"
    result = run(conformance_binary, "fuzz", "--role", "master", *minimal_args(FRAGILE_MASTER),
                 "--mutators", "psync.*,request.*", "--iterations", "300", "--seed", "5",
                 "--corpus", corpus, "--json", report, cwd=tmp_path, tmpdir=tmp_path)
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr
    fuzzed = json.loads(report.read_text())
    assert fuzzed["role"] == "master"
    assert fuzzed["errors"] == [], fuzzed["errors"]
    crashes = [f for f in fuzzed["failures"] if f["oracle"] == "crash"]
    assert crashes, fuzzed
    crash = crashes[0]
    assert crash["rule"] == "M16"
    assert "signal 11" in crash["what"], crash["what"]
    assert crash["reproduced"], crash
    assert [m["mutator"] for m in crash["input"]["mutations"]] == ["psync.offset"], crash["input"]
    assert crash["replay"] == "fail", crash["replay_reason"]
    with open(crash["scenario"]) as scenario:
        text = scenario.read()
    assert "replica.exchange" in text and "role: master" in text, text

    replay = run(conformance_binary, "run", crash["scenario"], *minimal_args(FRAGILE_MASTER), tmpdir=tmp_path)
    assert replay.returncode == 1, replay.stdout + replay.stderr
    assert "signal 11" in replay.stdout, replay.stdout
    sound = run(conformance_binary, "run", crash["scenario"], *minimal_args(), tmpdir=tmp_path)
    assert sound.returncode == 0, sound.stdout + sound.stderr


def test_a_short_campaign_against_a_redis_master_runs_clean(conformance_binary, tmp_path):
    report = tmp_path / "fuzz.json"
    result = run(conformance_binary, "fuzz", "--role", "master", "--seconds", "6", "-j", "2",
                 "--corpus", tmp_path / "findings", "--json", report, cwd=tmp_path, tmpdir=tmp_path)
    assert result.returncode in (0, 1), result.stdout[-3000:] + result.stderr
    fuzzed = json.loads(report.read_text())
    assert fuzzed["errors"] == [], fuzzed["errors"]
    assert fuzzed["iterations"] >= 60, fuzzed
    assert fuzzed["reactions"].get("accepted", 0) > 0, fuzzed  # valid syncs happen
    for failure in fuzzed["failures"]:
        assert failure["replay"] == "fail", failure
    assert servers_started_under(tmp_path) == []


def test_a_short_campaign_against_redis_runs_clean(conformance_binary, tmp_path):
    report = tmp_path / "fuzz.json"
    result = run(conformance_binary, "fuzz", "--seconds", "6", "-j", "2", "--corpus",
                 tmp_path / "findings", "--json", report, cwd=tmp_path, tmpdir=tmp_path)
    assert result.returncode in (0, 1), result.stdout[-3000:] + result.stderr
    fuzzed = json.loads(report.read_text())
    assert fuzzed["errors"] == [], fuzzed["errors"]
    assert fuzzed["iterations"] >= 30, fuzzed
    assert sum(fuzzed["reactions"].values()) == fuzzed["iterations"]
    for failure in fuzzed["failures"]:
        assert failure["replay"] == "fail", failure  # what it reports, its file reproduces
    assert servers_started_under(tmp_path) == []


def test_fuzz_usage_errors(conformance_binary, tmp_path):
    assert run(conformance_binary, "fuzz", "scenarios/").returncode == 64
    assert run(conformance_binary, "fuzz", "--target", "127.0.0.1:1").returncode == 64
    bad = run(conformance_binary, "fuzz", "--mutators", "nothing.like.this", "--iterations", "1",
              tmpdir=tmp_path)
    assert bad.returncode == 64 and "no mutator matches" in bad.stderr, bad.stderr
    wrong_role = run(conformance_binary, "fuzz", "--role", "master", "--mutators", "rdb.*",
                     "--iterations", "1", tmpdir=tmp_path)
    assert wrong_role.returncode == 64 and "master direction" in wrong_role.stderr, wrong_role.stderr
    assert run(conformance_binary, "fuzz", "--role", "leader", tmpdir=tmp_path).returncode == 64
