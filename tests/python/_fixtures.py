"""Shared helpers of the bindings, plugin and gate tests: makes the built `conformance`
package importable ($CONFORMANCE_BUILD_DIR/python, default build/python) and re-exports the
pytest plugin's fixtures, so these tests need no `-p` flag."""
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD_DIR = pathlib.Path(os.environ.get("CONFORMANCE_BUILD_DIR", ROOT / "build"))
PYTHON_DIR = BUILD_DIR / "python"
SCENARIOS = ROOT / "scenarios"
BROKEN = ROOT / "tests" / "scenarios" / "broken"
TIMEOUT = 900  # seconds: a bound on a whole subprocess run, never a synchronisation

if not (PYTHON_DIR / "conformance" / "__init__.py").exists():
    raise ImportError(f"{PYTHON_DIR}/conformance is missing: build the project first (ci/setup.sh)")
if str(PYTHON_DIR) not in sys.path:
    sys.path.insert(0, str(PYTHON_DIR))

import conformance  # noqa: E402
from conformance.pytest_plugin import fake_master, fake_replica, server_under_test  # noqa: E402,F401


def python_env() -> dict:
    """The environment of a subprocess that imports the built package."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PYTHON_DIR), env.get("PYTHONPATH")]))
    return env


def run(*args, cwd=None, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=TIMEOUT,
                          cwd=cwd, env=env)


def run_pytest(*args, cwd) -> subprocess.CompletedProcess:
    """pytest in a subprocess with the plugin loaded, as a user would run it."""
    return run(sys.executable, "-m", "pytest", "-p", "conformance.pytest_plugin", "-p", "no:cacheprovider",
               *args, cwd=cwd, env=python_env())
