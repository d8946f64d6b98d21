"""Shared fixtures of the end-to-end tests: where the built harness is."""
import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def build_dir() -> pathlib.Path:
    return pathlib.Path(os.environ.get("CONFORMANCE_BUILD_DIR", ROOT / "build"))


@pytest.fixture(scope="session")
def conformance_binary(build_dir) -> pathlib.Path:
    binary = build_dir / "harness" / "cli" / "conformance"
    if not binary.exists():
        pytest.fail(f"{binary} is missing: build the project first (ci/setup.sh)")
    return binary
