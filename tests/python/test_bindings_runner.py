"""Scenario loading and the engine's runner from Python: the verdicts, the CLI's explanation,
profiles, and the CLI's report files."""
import json
import xml.etree.ElementTree as ElementTree

import pytest

from _fixtures import BROKEN, SCENARIOS, conformance


def test_runner_runs_selected_cases_with_sanity_first_and_last(tmp_path):
    scenarios = conformance.load_scenarios([SCENARIOS / "sanity", SCENARIOS / "master"])
    runner = conformance.Runner(only=["sanity.*", "master.auth.*"], jobs=2, transcripts=tmp_path / "t")
    results = runner.run(scenarios)
    assert [r.id for r in results][0] == "sanity.ping"
    assert [r.id for r in results][-1] == "sanity.ping@last"
    assert {r.id for r in results} >= {"master.auth.missing", "master.auth.wrong-password"}
    assert all(r.verdict == conformance.Verdict.PASS and r.ok for r in results), results
    assert all(r.transcript_path.startswith(str(tmp_path / "t")) for r in results)
    summary = conformance.summarize(results)
    assert summary.exit_code == 0 and summary.counts["pass"] == len(results)

    conformance.write_reports(results, json=tmp_path / "r.json", junit=tmp_path / "r.xml",
                              server=runner.server)
    assert json.loads((tmp_path / "r.json").read_text())["summary"]["pass"] == len(results)
    assert len(list(ElementTree.parse(tmp_path / "r.xml").getroot().iter("testcase"))) == len(results)


def test_a_failing_case_carries_the_cli_explanation(tmp_path):
    (scenario,) = conformance.load_scenarios(BROKEN)
    result = conformance.Runner(transcripts=tmp_path).run_case(scenario)
    assert result.verdict == conformance.Verdict.FAIL
    assert result.steps[-1].location.endswith("wrong-expectation.yaml:10:5")
    assert scenario.rules == ["M3"] and result.rules == ["M3"]
    assert "rule M3: PSYNC continues exactly within the backlog" in result.explanation
    assert "Expected: continue" in result.explanation
    assert f"full transcript: {result.transcript_path}" in result.explanation
    assert "Ready to accept connections" in result.server_log_tail


def test_profiles_apply_through_the_runner(tmp_path):
    profile = tmp_path / "p.yaml"
    profile.write_text("name: p\ndialect: redis\nexpected_failures:\n  selftest.*: {reason: known}\n"
                       "  sanity.*: {reason: never true}\n")
    loaded = conformance.load_profile(profile)
    assert [(e.glob, e.reason) for e in loaded.expected_failures] == [("selftest.*", "known"),
                                                                      ("sanity.*", "never true")]
    assert loaded.keyspace_read == "scan"  # the default when the profile does not say
    scenarios = conformance.load_scenarios([BROKEN, SCENARIOS / "sanity"])
    verdicts = {r.id: r.verdict for r in conformance.Runner(profile=loaded).run(scenarios)}
    assert verdicts["selftest.wrong-expectation"] == conformance.Verdict.XFAIL
    assert verdicts["sanity.ping"] == conformance.Verdict.XPASS


def test_a_missing_server_binary_is_the_cli_error():
    with pytest.raises(conformance.ConformanceError, match="no-such-server"):
        conformance.Runner(server="no-such-server")
