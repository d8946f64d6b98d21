"""Replication conformance harness for Redis-compatible servers, from Python.

Every class here is the C++ engine's own object, bound with pybind11 (no second
implementation): the server launcher (Server, Client), the fake peers (FakeReplica,
FakeMaster), the RDB reader and writer (read_rdb, write_rdb), the keyspace model (Keyspace),
scenario loading and the runner with its verdicts (load_scenarios, Runner, CaseResult).

Conventions: payloads and keys are bytes; timeouts are seconds; INFO is a dict; every engine
error raises ConformanceError with the CLI's text and a `kind` ("timeout", "closed", ...).
Blocking calls release the GIL. The pytest plugin is conformance.pytest_plugin.
"""

from conformance._conformance import (  # noqa: F401  (re-exported)
    ApplyResult,
    CaseResult,
    Client,
    ConformanceError,
    Digest,
    Entry,
    ExpectedFailure,
    FakeMaster,
    FakeMasterStats,
    FakeReplica,
    FakeReplicaStats,
    FaultPlan,
    KeyDifference,
    Keyspace,
    LoadedRdb,
    MasterBugs,
    Profile,
    PsyncDecision,
    RdbSummary,
    ReplicaAnnounce,
    ReplyError,
    RespValue,
    Runner,
    RunSummary,
    Scenario,
    Server,
    Step,
    StepOutcome,
    SyncReply,
    SyncRequest,
    Verdict,
    decode_dump,
    encode_dump,
    glob_matches,
    harness_version,
    load_profile,
    load_scenarios,
    parse_info,
    read_rdb,
    summarize,
    supported_commands,
    write_rdb,
    write_reports,
)

__version__ = harness_version()
