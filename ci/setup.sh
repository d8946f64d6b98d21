#!/usr/bin/env bash
# Installs what is missing from Debian packages (as root) and builds the harness into build/.
# Usage: ci/setup.sh [--sanitize]   (--sanitize also builds the unit tests with ASan+UBSan)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake ninja-build pkg-config libasio-dev libfmt-dev libyaml-cpp-dev
          liblzf-dev libhiredis-dev libgtest-dev libgmock-dev libbenchmark-dev pybind11-dev
          python3-dev python3-pybind11 python3-pytest redis-server redis-tools
          clang libclang-rt-14-dev)  # the fuzz targets: clang and its libFuzzer runtime
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "== installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The package may start a system redis-server; the harness starts its own.
  (service redis-server stop >/dev/null 2>&1 || true)
fi

jobs=$(nproc)
echo "== building build/"
# Line tables (-g1) are enough for backtraces and sanitizer reports; full debug info of the
# coroutine-heavy sources doubles the build time.
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
  -DPython3_EXECUTABLE=/usr/bin/python3 -DPYTHON_EXECUTABLE=/usr/bin/python3 >/dev/null
cmake --build build -j "$jobs"
if [[ "${1:-}" == "--sanitize" ]]; then
  echo "== building build-asan/ (ASan+UBSan unit tests)"
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g1" \
    -DCONFORMANCE_SANITIZE=ON >/dev/null
  # Only the unit tests run under the sanitizers; the CLI is exercised by the normal build.
  mapfile -t unit_targets < <(cmake --build build-asan --target help | sed -nE 's/^(unit_[a-z]+): phony$/\1/p')
  cmake --build build-asan -j "$jobs" --target "${unit_targets[@]}"
fi
