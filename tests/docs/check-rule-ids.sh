#!/usr/bin/env bash
# Fails when a rule id (H1, M11, O9, ...) cited anywhere in the project is not in the rule
# catalogue that `conformance rules` prints, naming the file and line.
#
#   check-rule-ids.sh CONFORMANCE_BINARY   (from the repository root)
set -euo pipefail
[[ $# -eq 1 ]] || { sed -n '2,5s/^# \{0,1\}//p' "$0" >&2; exit 64; }
known=$("$1" rules scenarios/ | awk 'NR > 3 && $1 ~ /^[A-Z][0-9]+$/ {print $1}' | sort -u)
[[ -n "$known" ]] || { echo "no rule ids in the output of '$1 rules'" >&2; exit 1; }
# A rule id is a capital letter of a rule family and a number, not preceded by '-' (-O2) or a
# word character.
cited=$(grep -rnoP '(?<![-\w])[HMOREP][0-9]{1,2}\b' harness fakes python tests scenarios ci bench \
          README.md --include='*.cc' --include='*.h' --include='*.py' --include='*.yaml' \
          --include='*.md' --include='*.txt' --include='*.sh' || true)
status=0
while IFS= read -r hit; do
  [[ -z "$hit" ]] && continue
  id=${hit##*:}
  if ! grep -qx "$id" <<<"$known"; then
    echo "unknown rule id $id at ${hit%:*}" >&2
    status=1
  fi
done <<<"$cited"
exit $status
