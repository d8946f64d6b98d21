"""The CI gate (ci/gate.sh) and the CLI's --profile and --matrix, against Debian's
redis-server: the shipped profile passes with valid JUnit, an expected failure that passes is
an XPASS that fails the gate, a known failure is an XFAIL only with the right error text."""
import json
import os
import xml.etree.ElementTree as ElementTree

from _fixtures import BROKEN, BUILD_DIR, ROOT, SCENARIOS, run

GATE = ROOT / "ci" / "gate.sh"


def gate(tmp_path, *args, scenarios=None, **extra_env):
    env = dict(os.environ, CONFORMANCE_BUILD_DIR=str(BUILD_DIR), CONFORMANCE_REPORTS=str(tmp_path / "reports"),
               **extra_env)
    if scenarios:
        env["CONFORMANCE_SCENARIOS"] = " ".join(str(s) for s in scenarios)
    return run("bash", GATE, *args, cwd=tmp_path, env=env)


def junit(tmp_path):
    """The JUnit report, checked for the shape CI renderers read."""
    root = ElementTree.parse(tmp_path / "reports" / "conformance.xml").getroot()
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 1
    suite = suites[0]
    cases = suite.findall("testcase")
    assert int(suite.get("tests")) == len(cases) > 0
    assert int(suite.get("failures")) == sum(1 for c in cases if c.find("failure") is not None)
    assert int(suite.get("errors")) == sum(1 for c in cases if c.find("error") is not None)
    assert int(suite.get("skipped")) == sum(1 for c in cases if c.find("skipped") is not None)
    for case in cases:
        assert case.get("name") and case.get("classname") and float(case.get("time")) >= 0
    return suite


def test_gate_passes_redis_with_its_profile(tmp_path):
    result = gate(tmp_path, "/usr/bin/redis-server", "redis-7.0")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr
    assert "(profile redis-7.0) [redis 7.0." in result.stdout
    suite = junit(tmp_path)
    assert suite.get("failures") == "0" and suite.get("errors") == "0"
    report = json.loads((tmp_path / "reports" / "conformance.json").read_text())
    assert report["summary"]["exit_code"] == 0
    assert {case["id"] for case in report["cases"]} >= {"sanity.ping", "master.psync.continue"}
    transcripts = list((tmp_path / "reports" / "transcripts").iterdir())
    assert len(transcripts) == len(report["cases"])


def test_the_gate_fuzzes_for_a_budget_when_asked(tmp_path):
    result = gate(tmp_path, "/usr/bin/redis-server", "redis-7.0", "--", "--only", "sanity.*",
                  CONFORMANCE_FUZZ_SECONDS="3")
    assert (tmp_path / "reports" / "fuzz.json").exists(), result.stdout[-3000:] + result.stderr
    fuzzed = json.loads((tmp_path / "reports" / "fuzz.json").read_text())
    assert fuzzed["iterations"] > 0 and fuzzed["errors"] == [], fuzzed
    # A failure the fuzzer finds fails the gate; none passes it.
    assert result.returncode == (1 if fuzzed["failures"] else 0), result.stdout[-3000:] + result.stderr


def test_an_expected_failure_that_passes_fails_the_gate(tmp_path):
    profile = tmp_path / "ratchet.yaml"
    profile.write_text("name: ratchet\ndialect: redis\nexpected_failures:\n"
                       "  master.fullsync.*: {reason: fixed upstream since}\n")
    result = gate(tmp_path, "redis-server", profile, "--", "--only", "master.fullsync.*", "--only", "sanity.*")
    assert result.returncode == 1, result.stdout[-4000:] + result.stderr
    assert "XPASS master.fullsync.disk" in result.stdout
    assert "update the profile" in result.stdout
    suite = junit(tmp_path)
    xpasses = [c for c in suite.findall("testcase") if c.find("failure") is not None]
    assert {c.get("name") for c in xpasses} == {"master.fullsync.disk", "master.fullsync.diskless"}
    assert all(c.find("failure").get("type") == "xpass" for c in xpasses)


def test_a_known_failure_is_xfail_only_with_its_error_text(tmp_path):
    profile = tmp_path / "known.yaml"
    profile.write_text("name: known\ndialect: redis\nexpected_failures:\n"
                       "  selftest.*: {reason: deliberate, error: \"Expected: continue\"}\n")
    result = gate(tmp_path, "redis-server", profile, scenarios=[BROKEN])
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr
    assert "XFAIL selftest.wrong-expectation" in result.stdout

    profile.write_text("name: known\ndialect: redis\nexpected_failures:\n"
                       "  selftest.*: {reason: deliberate, error: \"some other error\"}\n")
    result = gate(tmp_path, "redis-server", profile, scenarios=[BROKEN])
    assert result.returncode == 1
    assert "FAIL  selftest.wrong-expectation" in result.stdout


def test_disabled_cases_are_skipped_with_their_reason(tmp_path):
    profile = tmp_path / "disabled.yaml"
    profile.write_text("name: d\ndialect: redis\ncapabilities: []\ndisabled:\n  master.sync.*: no SYNC here\n")
    result = gate(tmp_path, "redis-server", profile, "--", "--only", "master.sync.*", "--only", "sanity.*")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr
    assert "disabled by the profile: no SYNC here" in result.stdout
    skipped = [c for c in junit(tmp_path).findall("testcase") if c.find("skipped") is not None]
    assert [c.get("name") for c in skipped] == ["master.sync.legacy"]


def test_a_bad_profile_names_file_line_column(tmp_path):
    profile = tmp_path / "bad.yaml"
    profile.write_text("name: bad\ndialect: redis\ncapabilities: [psync, psnyc2]\n")
    result = gate(tmp_path, "redis-server", profile)
    assert result.returncode == 64
    assert f"{profile}:3:23: unknown capability 'psnyc2'" in result.stderr


def test_matrix_prints_one_table_and_writes_it_as_json(tmp_path, conformance_binary):
    report = tmp_path / "matrix.json"
    result = run(conformance_binary, "run", SCENARIOS, "--only", "sanity.*", "--only", "master.auth.*",
                 "--matrix", "redis-server,/usr/bin/redis-server", "--json", report,
                 "--junit", tmp_path / "matrix.xml", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    table = result.stdout[result.stdout.index("\ncase "):]
    # Columns are named by what discovery found: Debian's 7.0 twice.
    data = json.loads(report.read_text())
    first, second = [s["label"] for s in data["servers"]]
    assert first.startswith("redis-7.0.") and second == first + "-2", (first, second)
    assert table.splitlines()[1].split() == ["case", first, second]
    assert "master.auth.missing" in table
    verdicts = {case["id"]: case["verdicts"] for case in data["cases"]}
    assert verdicts["master.auth.missing"] == {first: "pass", second: "pass"}
    assert data["exit_code"] == 0
    assert data["runs"][first]["summary"]["exit_code"] == 0
    assert (tmp_path / f"matrix.{first}.xml").exists() and (tmp_path / f"matrix.{second}.xml").exists()
