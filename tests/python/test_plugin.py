"""The pytest plugin, run as a user runs it: `python3 -m pytest -p conformance.pytest_plugin`
in a subprocess, over the repository's scenario files and a scratch directory."""
import pathlib
import re
import textwrap

from _fixtures import BROKEN, ROOT, SCENARIOS, conformance, run, run_pytest  # noqa: F401

SELECTED = [SCENARIOS / "sanity", SCENARIOS / "master"]


def test_every_case_is_an_item_named_by_its_id(tmp_path):
    result = run_pytest("--collect-only", "-q", *SELECTED, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    items = {line.split("::")[-1] for line in result.stdout.splitlines() if "::" in line}
    expected = {s.id for s in conformance.load_scenarios([str(p) for p in SELECTED])}
    assert items == expected
    assert "master/fullsync.yaml::master.fullsync.diskless" in result.stdout


def test_k_selects_cases_by_id_and_they_pass_against_redis(tmp_path):
    result = run_pytest("-v", "-k", "continue or sanity", "--conformance-server", "redis-server",
                        *SELECTED, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"::master\.psync\.continue PASSED", result.stdout)
    assert re.search(r"::sanity\.ping PASSED", result.stdout)
    assert "fullsync" not in result.stdout
    assert "2 passed" in result.stdout


def test_scenarios_option_collects_a_directory(tmp_path):
    # The option alone collects its directory, next to whatever else is given.
    result = run_pytest("--collect-only", "-q", "--conformance-scenarios", SCENARIOS / "sanity",
                        cwd=tmp_path)
    assert "ping.yaml::sanity.ping" in result.stdout, result.stdout + result.stderr


def test_a_failing_case_shows_the_cli_explanation_and_transcript(tmp_path, conformance_binary):
    transcripts = tmp_path / "transcripts"
    result = run_pytest("--conformance-transcripts", transcripts, "--conformance-scenarios", BROKEN,
                        BROKEN, cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    transcript = transcripts / "selftest.wrong-expectation.txt"
    assert transcript.exists()
    assert f"full transcript: {transcript}" in result.stdout

    cli = run(conformance_binary, "run", BROKEN, cwd=tmp_path)
    assert cli.returncode == 1
    # The explanation reads the same in both, but for what differs per run: the transcript
    # tail's timings and the server's replid.
    def stable(text):
        return re.sub(r"[0-9a-f]{40}", "<replid>", text)

    for line in cli.stdout.splitlines():
        if re.match(r"\s+(FAIL |step |PSYNC reply|rule: |source: |reproduce with: )", line):
            assert stable(line.strip()) in stable(result.stdout), line


def test_profile_turns_a_known_failure_into_xfail(tmp_path):
    profile = tmp_path / "profile.yaml"
    profile.write_text("name: known\ndialect: redis\nexpected_failures:\n"
                       "  selftest.*: {reason: a deliberate failure, error: \"Expected: continue\"}\n")
    result = run_pytest("-rx", "--conformance-profile", profile, "--conformance-scenarios", BROKEN,
                        BROKEN, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 xfailed" in result.stdout
    assert "a deliberate failure" in result.stdout


def test_fixtures_drive_the_fakes_against_the_server(tmp_path):
    # A custom test module that only uses the plugin's fixtures.
    (tmp_path / "test_custom.py").write_text(textwrap.dedent("""
        def test_replica(server_under_test, fake_replica):
            server_under_test.call("SET", "k", "v")
            fake_replica.connect()
            fake_replica.handshake()
            assert fake_replica.psync().kind == "FULLRESYNC"
            assert fake_replica.receive_rdb().keys == 1
            assert fake_replica.model.get("k") == b"v"

        def test_master(server_under_test, fake_master):
            server_under_test.replicaof(fake_master.host, fake_master.port)
            fake_master.accept()
            fake_master.answer_sync(fake_master.answer_handshake())
            fake_master.propagate("SET", "k", "v")
            fake_master.send_getack()
            assert fake_master.wait_for_ack(fake_master.offset) == fake_master.offset

        def test_failure_report_has_the_server_log(server_under_test):
            assert server_under_test.call("PING") == "not pong"
    """))
    result = run_pytest("-q", "--conformance-server", "/usr/bin/redis-server", tmp_path / "test_custom.py",
                        cwd=tmp_path)
    assert "1 failed, 2 passed" in result.stdout, result.stdout + result.stderr
    assert "server log tail" in result.stdout
    assert "Ready to accept connections" in result.stdout
