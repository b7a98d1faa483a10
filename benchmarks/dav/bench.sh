#!/usr/bin/env bash
# WebDAV throughput of the sample host next to nginx + its dav module, on loopback, in one run.
#
#   benchmarks/dav/bench.sh                  # DURATION=10 (seconds per wrk run), WARMUP=10 (seconds of unmeasured
#                                            # load first), BIG=1 (also a 1 GiB PUT/GET)
#
# Measures, for each server: 1 KiB PUT and GET requests/s at concurrency 1 and 16 with p50/p99 latency (wrk), 50 MiB
# PUT and GET MiB/s (curl, median of 5), the server's peak RSS (VmHWM) after those, and with BIG=1 the peak RSS after
# a 1 GiB PUT and GET (memory must stay flat in file size). Personium: the sample host in Release, LiteDB entities
# and file-system blobs in a fresh data directory, master token as Bearer. nginx: `nginx` +
# `libnginx-mod-http-dav-ext` from apt, `dav_methods PUT ...`, files in a fresh directory on the same disk.
# Notes: each Personium PUT is durable (a 1 KiB body is kept in the LiteDB file and made durable with its metadata by
# one flush of the LiteDB log; bodies over 64 KiB go to a flushed file first); nginx does not fsync.
# The PUT load writes to 256 names round robin, so most PUTs replace a file (the expensive path: new blob, replace,
# delete the old blob). Results are printed as a table and written as JSON to $OUT (default /tmp/dav-bench.json).
set -uo pipefail
cd "$(dirname "$0")/../.."

DURATION=${DURATION:-10}
WARMUP=${WARMUP:-10}
BIG=${BIG:-1}
OUT=${OUT:-/tmp/dav-bench.json}
P_PORT=${P_PORT:-19180}
N_PORT=${N_PORT:-19181}
TOKEN=bench-master-token

need() { command -v "$1" >/dev/null 2>&1 || apt-get install -y "$2" >/dev/null || { echo "$1 is required ($2)" >&2; exit 2; }; }
need wrk wrk
need nginx nginx
[[ -f /usr/lib/nginx/modules/ngx_http_dav_ext_module.so ]] || apt-get install -y libnginx-mod-http-dav-ext >/dev/null

WORK=$(mktemp -d)
cleanup() {
  [[ -n "${PSERVER:-}" ]] && kill "$PSERVER" 2>/dev/null && wait "$PSERVER" 2>/dev/null
  [[ -f "$WORK/nginx.pid" ]] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

cat >"$WORK/put.lua" <<'LUA'
local counter = 0
local body = string.rep("x", 1024)
request = function()
  counter = counter + 1
  return wrk.format("PUT", wrk.path .. "f" .. (counter % 256), nil, body)
end
LUA
head -c 1024 /dev/urandom >"$WORK/1k.bin"
head -c $((50 * 1024 * 1024)) /dev/urandom >"$WORK/50m.bin"
truncate -s 1G "$WORK/1g.bin"

# rss PID...: the sum of peak resident set sizes (VmHWM) in MiB.
rss() { local total=0; for p in "$@"; do total=$((total + $(awk '/VmHWM/{print $2}' "/proc/$p/status"))); done; echo $((total / 1024)); }

# wrkrun URL CONNECTIONS [lua] [header]: prints "req/s p50 p99 non2xx".
wrkrun() {
  local url=$1 conns=$2 lua=${3:-} header=${4:-}
  local threads=1; [[ $conns -gt 1 ]] && threads=2
  local args=(-t"$threads" -c"$conns" -d"${DURATION}s" --latency)
  [[ -n $lua ]] && args+=(-s "$lua")
  [[ -n $header ]] && args+=(-H "$header")
  wrk "${args[@]}" "$url" >"$WORK/wrk.txt" 2>&1
  local rps p50 p99 bad
  rps=$(awk '/Requests\/sec/{print $2}' "$WORK/wrk.txt")
  p50=$(awk '$1=="50%"{print $2}' "$WORK/wrk.txt")
  p99=$(awk '$1=="99%"{print $2}' "$WORK/wrk.txt")
  bad=$(awk '/Non-2xx/{print $5}' "$WORK/wrk.txt"); bad=${bad:-0}
  echo "$rps $p50 $p99 $bad"
}

# mibs MODE URL [header]: median MiB/s of 5 transfers of 50 MiB (MODE put or get).
mibs() {
  local mode=$1 url=$2 header=${3:-} speeds=()
  for _ in 1 2 3 4 5; do
    local args=(-s -o /dev/null -w '%{speed_upload} %{speed_download}')
    [[ -n $header ]] && args+=(-H "$header")
    if [[ $mode == put ]]; then args+=(-T "$WORK/50m.bin"); fi
    read -r up down < <(curl "${args[@]}" "$url")
    speeds+=("$([[ $mode == put ]] && echo "$up" || echo "$down")")
  done
  printf '%s\n' "${speeds[@]}" | sort -n | sed -n 3p | awk '{printf "%.0f", $1 / 1048576}'
}

# bench NAME BASEURL HEADER PIDS...: runs everything against one server, appends a JSON object to results.
results=()
bench() {
  local name=$1 base=$2 header=$3; shift 3
  local pids=("$@")
  curl -s -o /dev/null ${header:+-H "$header"} -X MKCOL "${base}bench/"
  curl -s -o /dev/null ${header:+-H "$header"} -T "$WORK/1k.bin" "${base}bench/get.bin"
  echo "== $name" >&2
  # Steady state, not start-up: .NET compiles hot methods again with tiered compilation during the first seconds.
  if [[ $WARMUP -gt 0 ]]; then
    DURATION=$WARMUP wrkrun "${base}bench/" 16 "$WORK/put.lua" "$header" >/dev/null
    DURATION=$(( (WARMUP + 1) / 2 )) wrkrun "${base}bench/get.bin" 16 "" "$header" >/dev/null
  fi
  local put1 put16 get1 get16
  put1=$(wrkrun "${base}bench/" 1 "$WORK/put.lua" "$header"); echo "  PUT 1 KiB c1:  $put1" >&2
  put16=$(wrkrun "${base}bench/" 16 "$WORK/put.lua" "$header"); echo "  PUT 1 KiB c16: $put16" >&2
  get1=$(wrkrun "${base}bench/get.bin" 1 "" "$header"); echo "  GET 1 KiB c1:  $get1" >&2
  get16=$(wrkrun "${base}bench/get.bin" 16 "" "$header"); echo "  GET 1 KiB c16: $get16" >&2
  local put50 get50 rss50
  put50=$(mibs put "${base}bench/50m.bin" "$header"); echo "  PUT 50 MiB: $put50 MiB/s" >&2
  get50=$(mibs get "${base}bench/50m.bin" "$header"); echo "  GET 50 MiB: $get50 MiB/s" >&2
  rss50=$(rss "${pids[@]}"); echo "  peak RSS: $rss50 MiB" >&2
  local rss1g=null
  if [[ $BIG == 1 ]]; then
    curl -s -o /dev/null ${header:+-H "$header"} -T "$WORK/1g.bin" "${base}bench/1g.bin"
    curl -s -o /dev/null ${header:+-H "$header"} "${base}bench/1g.bin"
    rss1g=$(rss "${pids[@]}"); echo "  peak RSS after 1 GiB PUT+GET: $rss1g MiB" >&2
  fi
  read -r p1r p1a p1b p1x <<<"$put1"; read -r p16r p16a p16b p16x <<<"$put16"
  read -r g1r g1a g1b g1x <<<"$get1"; read -r g16r g16a g16b g16x <<<"$get16"
  results+=("{\"server\":\"$name\",\"put1k_c1\":{\"rps\":$p1r,\"p50\":\"$p1a\",\"p99\":\"$p1b\",\"non2xx\":$p1x},\"put1k_c16\":{\"rps\":$p16r,\"p50\":\"$p16a\",\"p99\":\"$p16b\",\"non2xx\":$p16x},\"get1k_c1\":{\"rps\":$g1r,\"p50\":\"$g1a\",\"p99\":\"$g1b\",\"non2xx\":$g1x},\"get1k_c16\":{\"rps\":$g16r,\"p50\":\"$g16a\",\"p99\":\"$g16b\",\"non2xx\":$g16x},\"put50m_mibs\":$put50,\"get50m_mibs\":$get50,\"peak_rss_mib\":$rss50,\"peak_rss_after_1g_mib\":$rss1g}")
}

# ---------------------------------------------------------------------------------------------------- Personium
dotnet build -c Release samples/Personium.Server -v q -nologo >/dev/null || exit 1
Personium__MasterToken=$TOKEN Personium__DataPath="$WORK/personium" Logging__LogLevel__Default=Warning \
  dotnet samples/Personium.Server/bin/Release/net10.0/Personium.Server.dll --urls "http://127.0.0.1:$P_PORT" >"$WORK/personium.log" 2>&1 &
PSERVER=$!
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$P_PORT/" && break; sleep 0.2; done
AUTH="Authorization: Bearer $TOKEN"
curl -sf -o /dev/null -H "$AUTH" -H 'Content-Type: application/json' -X POST "http://127.0.0.1:$P_PORT/__ctl/Cell" -d '{"Name":"bench"}' \
  || { echo "cannot create the cell" >&2; cat "$WORK/personium.log" >&2; exit 1; }
bench personium "http://127.0.0.1:$P_PORT/bench/__/" "$AUTH" "$PSERVER"
kill "$PSERVER"; wait "$PSERVER" 2>/dev/null; PSERVER=

# ---------------------------------------------------------------------------------------------------- nginx
mkdir -p "$WORK/nginx-root" "$WORK/nginx-tmp"
cat >"$WORK/nginx.conf" <<CONF
load_module /usr/lib/nginx/modules/ngx_http_dav_ext_module.so;
user root;
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx-tmp;
  server {
    listen 127.0.0.1:$N_PORT;
    root $WORK/nginx-root;
    client_max_body_size 0;
    create_full_put_path on;
    dav_methods PUT DELETE MKCOL COPY MOVE;
    dav_ext_methods PROPFIND OPTIONS;
  }
}
CONF
nginx -c "$WORK/nginx.conf" || exit 1
sleep 0.5
mapfile -t NPIDS < <(pgrep -P "$(cat "$WORK/nginx.pid")"; cat "$WORK/nginx.pid")
bench nginx-dav "http://127.0.0.1:$N_PORT/" "" "${NPIDS[@]}"

printf '[%s]\n' "$(IFS=,; echo "${results[*]}")" >"$OUT"
echo "results: $OUT"
cat "$OUT"
