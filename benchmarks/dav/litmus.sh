#!/usr/bin/env bash
# Runs the litmus WebDAV compliance suite (Debian package `litmus`) against the sample host on loopback.
#
#   benchmarks/dav/litmus.sh                 # groups: basic copymove props locks http
#   TESTS="basic props" benchmarks/dav/litmus.sh
#
# The sample host is started with a fresh data directory, a known master token and
# Personium__TestBasicCredentials=litmus:litmus, a TESTING-ONLY switch that maps those Basic credentials to the unit
# master (litmus speaks Basic/Digest only; see samples/Personium.Server/TestBasicAuthentication.cs). A cell `litmus`
# and a box `box1` are created, and each group runs against its own collection http://127.0.0.1:$PORT/litmus/box1/{group}/
# (Personium refuses to DELETE a non-empty collection without X-Personium-Recursive, so a group's leftovers would
# otherwise block the next group's `begin`). litmus's debug.log files are kept under $LITMUS_LOGS (default /tmp/litmus-logs).
# The deliberate differences from RFC 4918 that litmus reports are listed in Personium.Core/Dav/README.md.
set -uo pipefail
cd "$(dirname "$0")/../.."

PORT=${PORT:-19080}
TESTS=${TESTS:-"basic copymove props locks http"}
TOKEN=litmus-master-token
BASE="http://127.0.0.1:$PORT"

if ! command -v litmus >/dev/null 2>&1; then
  apt-get install -y litmus >/dev/null || { echo "litmus is required (apt-get install litmus)" >&2; exit 2; }
fi

dotnet build -c Release samples/Personium.Server -v q -nologo >/dev/null || exit 1
DATA=$(mktemp -d)
Personium__MasterToken=$TOKEN Personium__DataPath="$DATA" Personium__TestBasicCredentials=litmus:litmus \
  Logging__LogLevel__Default=Warning \
  dotnet samples/Personium.Server/bin/Release/net10.0/Personium.Server.dll --urls "$BASE" >"$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT

for _ in $(seq 1 100); do
  curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" "$BASE/" && break
  sleep 0.2
done
auth=(-H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json')
curl -sf -o /dev/null "${auth[@]}" -X POST "$BASE/__ctl/Cell" -d '{"Name":"litmus"}' || { echo "cannot create the cell"; cat "$DATA/server.log"; exit 1; }
curl -sf -o /dev/null "${auth[@]}" -X POST "$BASE/litmus/__ctl/Box" -d '{"Name":"box1"}' || { echo "cannot create the box"; exit 1; }

LOGS=${LITMUS_LOGS:-/tmp/litmus-logs}
mkdir -p "$LOGS"
status=0
summaries=()
for group in $TESTS; do
  curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" -X MKCOL "$BASE/litmus/box1/$group" || { echo "cannot create $group/"; exit 1; }
  mkdir -p "$LOGS/$group"
  (cd "$LOGS/$group" && TESTS="$group" litmus "$BASE/litmus/box1/$group/" litmus litmus) | tee "$LOGS/$group/output.txt"
  [[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
  summaries+=("$(grep -E "^<- summary for" "$LOGS/$group/output.txt" || echo "<- $group: no summary (aborted)")")
done
echo
printf '%s\n' "${summaries[@]}"
echo "litmus exit status: $status (non-zero when any test failed; see Personium.Core/Dav/README.md for the expected ones)"
exit $status
