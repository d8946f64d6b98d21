#!/usr/bin/env bash
# Fails when a committed generated file differs from what its generator prints now, showing
# the difference and how to regenerate it.
#
#   check-generated.sh FILE REGENERATE_COMMAND GENERATOR [ARGS...]
set -euo pipefail
[[ $# -ge 3 ]] || { sed -n '2,5s/^# \{0,1\}//p' "$0" >&2; exit 64; }
file=$1
regenerate=$2
shift 2

generated=$(mktemp)
trap 'rm -f "$generated"' EXIT
"$@" >"$generated"
if ! diff -u --label "$file (committed)" --label "$file (generated)" "$file" "$generated"; then
  echo "$file is generated and differs from the generator's output above; regenerate it from" \
       "the repository root with: $regenerate" >&2
  exit 1
fi
