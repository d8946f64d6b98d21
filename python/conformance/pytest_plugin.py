"""pytest plugin of the conformance harness (load with ``-p conformance.pytest_plugin``; an
installed package registers it by entry point).

Fixtures:
  server_under_test  a started real server (``--conformance-server PATH``), stopped after the
                     test; a failing test's report gets its log tail
  fake_replica       a FakeReplica aimed at server_under_test (not yet connected)
  fake_master        a FakeMaster listening on a free loopback port
  conformance_runner the session's Runner, built from the options below

Scenario files: every ``*.yaml`` under ``--conformance-scenarios DIR`` (default: the
repository's ``scenarios/``) collects into one test item per case, named by the case id, so
``pytest -p conformance.pytest_plugin scenarios/ -k psync`` runs the PSYNC cases. Give the
directory as an argument, or give the option and it is collected too. A case that fails (or
XPASSes, or errors) fails with the CLI's explanation and transcript path; SKIP and XFAIL
become pytest's skip and xfail.
"""

from __future__ import annotations

import os
import pathlib
import tempfile
from typing import Iterator, Optional

import pytest

import conformance
from conformance import _build_info

_SCENARIO_SUFFIXES = (".yaml", ".yml")
_RUNNER_KEY = pytest.StashKey[conformance.Runner]()
_TRANSCRIPTS_KEY = pytest.StashKey[str]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("conformance", "replication conformance harness")
    group.addoption("--conformance-server", default="redis-server", metavar="PATH",
                    help="server binary to test (default: redis-server on PATH)")
    group.addoption("--conformance-scenarios", default=None, metavar="DIR",
                    help="scenario directory whose files become test items "
                         "(default: the repository's scenarios/)")
    group.addoption("--conformance-profile", default=None, metavar="FILE",
                    help="server profile: disabled cases and expected failures")
    group.addoption("--conformance-transcripts", default=None, metavar="DIR",
                    help="where case transcripts go (default: a new temporary directory)")
    group.addoption("--conformance-seed", default=1, type=int, metavar="N",
                    help="seed of datasets, workloads and faults (default 1)")
    group.addoption("--conformance-step-timeout", default=10.0, type=float, metavar="SECONDS",
                    help="default deadline of each scenario step (default 10)")


def _option(config: pytest.Config, name: str, default=None):
    # Works without pytest_addoption too, when a test module imports the fixtures directly.
    value = config.getoption(name, default=None)
    return default if value is None else value


def scenarios_dir(config: pytest.Config) -> Optional[pathlib.Path]:
    """The directory whose scenario files become items."""
    explicit = _option(config, "conformance_scenarios")
    if explicit:
        return pathlib.Path(explicit).resolve()
    for candidate in (pathlib.Path(str(config.rootpath)) / "scenarios",
                      pathlib.Path(_build_info.SOURCE_DIR) / "scenarios"):
        if candidate.is_dir():
            return candidate.resolve()
    return None


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "conformance: a case of a conformance scenario file")
    explicit = _option(config, "conformance_scenarios")
    if explicit and not any(_within(pathlib.Path(explicit).resolve(), pathlib.Path(arg.split("::")[0]).resolve())
                            for arg in config.args):
        config.args.append(explicit)


def _within(path: pathlib.Path, directory: pathlib.Path) -> bool:
    return path == directory or directory in path.parents


def runner_for(config: pytest.Config) -> conformance.Runner:
    """The session's Runner (one per pytest run)."""
    runner = config.stash.get(_RUNNER_KEY, None)
    if runner is None:
        transcripts = _option(config, "conformance_transcripts") or tempfile.mkdtemp(
            prefix="conformance-transcripts-")
        config.stash[_TRANSCRIPTS_KEY] = str(transcripts)
        runner = conformance.Runner(
            server=_option(config, "conformance_server", "redis-server"),
            profile=_option(config, "conformance_profile"),
            transcripts=transcripts,
            seed=_option(config, "conformance_seed", 1),
            step_timeout=_option(config, "conformance_step_timeout", 10.0))
        config.stash[_RUNNER_KEY] = runner
    return runner


def pytest_collect_file(file_path: pathlib.Path, parent: pytest.Collector):
    directory = scenarios_dir(parent.config)
    if file_path.suffix in _SCENARIO_SUFFIXES and directory and _within(file_path.resolve(), directory):
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFile(pytest.File):
    """One scenario file: one item per case (a file with `cases:` expands into several)."""

    def collect(self) -> Iterator[pytest.Item]:
        try:
            scenarios = conformance.load_scenarios(str(self.path))
        except conformance.ConformanceError as error:
            raise self.CollectError(str(error)) from None
        for scenario in scenarios:
            yield ScenarioItem.from_parent(self, name=scenario.id, scenario=scenario)


class ScenarioFailed(Exception):
    """A case ended FAIL, XPASS or ERROR; carries the CLI's explanation."""

    def __init__(self, result: conformance.CaseResult) -> None:
        super().__init__(result.explanation or f"{result.verdict.label} {result.id}: {result.reason}")
        self.result = result


class ScenarioItem(pytest.Item):
    def __init__(self, *, scenario: conformance.Scenario, **kwargs) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.result: Optional[conformance.CaseResult] = None
        self.add_marker("conformance")

    def runtest(self) -> None:
        result = runner_for(self.config).run_case(self.scenario)
        self.result = result
        self.user_properties.append(("verdict", result.verdict.label))
        if result.transcript_path:
            self.user_properties.append(("transcript", result.transcript_path))
        if result.verdict == conformance.Verdict.SKIP:
            pytest.skip(result.reason)
        if result.verdict == conformance.Verdict.XFAIL:
            pytest.xfail(result.reason)
        if result.verdict != conformance.Verdict.PASS:
            raise ScenarioFailed(result)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, ScenarioFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, None, f"{self.scenario.id}: {self.scenario.title}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    outcome = yield
    report = outcome.get_result()
    server = getattr(item, "_conformance_server", None)
    if report.failed and server is not None:
        try:
            report.sections.append(("server log tail", server.log_tail(30)))
        except conformance.ConformanceError:
            pass


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    transcripts = config.stash.get(_TRANSCRIPTS_KEY, None)
    if transcripts:
        terminalreporter.write_line(f"conformance transcripts: {transcripts}")


@pytest.fixture(scope="session")
def conformance_runner(request: pytest.FixtureRequest) -> conformance.Runner:
    return runner_for(request.config)


@pytest.fixture
def server_under_test(request: pytest.FixtureRequest) -> Iterator[conformance.Server]:
    server = conformance.Server(binary=_option(request.config, "conformance_server", "redis-server"))
    server.start()
    request.node._conformance_server = server
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def fake_replica(server_under_test: conformance.Server) -> Iterator[conformance.FakeReplica]:
    replica = conformance.FakeReplica(port=server_under_test.port, host=server_under_test.host,
                                      password=server_under_test.password)
    try:
        yield replica
    finally:
        replica.disconnect()


@pytest.fixture
def fake_master() -> Iterator[conformance.FakeMaster]:
    master = conformance.FakeMaster()
    try:
        yield master
    finally:
        master.disconnect()
