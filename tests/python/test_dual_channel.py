"""Valkey's dual-channel sync against a real Valkey, both roles: the master.dualchannel.* and
replica.dualchannel.* cases through `conformance run` with the valkey-8 profile. Needs a
valkey-server of 8.0 or later named by $CONFORMANCE_VALKEY; without one these tests are
skipped, never passed (CI has no Valkey: there the fakes meet each other in
tests/unit/fakes/dual_channel_loopback_test.cc)."""
import json
import os
import pathlib

import pytest

from test_cli import ROOT, run, servers_started_under

VALKEY = os.environ.get("CONFORMANCE_VALKEY", "")
pytestmark = pytest.mark.skipif(not (VALKEY and os.access(VALKEY, os.X_OK)),
                                reason="set CONFORMANCE_VALKEY to a valkey-server (8.0 or later)")


def test_every_dual_channel_case_passes_or_fails_as_its_profile_expects(conformance_binary, tmp_path):
    report = tmp_path / "report.json"
    result = run(conformance_binary, "run", ROOT / "scenarios", "--only", "*dualchannel*",
                 "--server", pathlib.Path(VALKEY), "--profile", ROOT / "ci" / "profiles" / "valkey-8.yaml",
                 "-j", "2", "--json", report, tmpdir=tmp_path)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr
    cases = json.loads(report.read_text())["cases"]
    verdicts = {case["id"]: case["verdict"] for case in cases}
    assert verdicts.get("master.dualchannel.fullsync") == "pass", verdicts
    assert verdicts.get("replica.dualchannel.fullsync") == "pass", verdicts
    assert "skip" not in verdicts.values(), verdicts  # a Valkey 8 offers every need
    assert servers_started_under(tmp_path) == []
