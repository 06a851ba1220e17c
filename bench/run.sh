#!/usr/bin/env bash
# bench/run.sh BUILD_DIR: the Fachwerk benchmark suite (see bench/README.md).
#
# Builds nothing (`make bench` builds first). In a fresh temporary directory it
#   1. runs the micro-benchmarks (answer validation, id codec),
#   2. seeds 1M items, 10k experts and 3M answers, plus a 1M-answer export project (timed),
#   3. starts `fachwerk serve --threads 64` on a free port,
#   4. measures the machine's ceiling (GET /healthz) and the work loop (next + submit) with
#      64 keep-alive connections, and their ratio,
#   5. imports 1M JSONL items over HTTP and exports the 1M-answer project over HTTP, sampling
#      the server's resident memory while each runs,
#   6. times the lab's project list (every project with its progress) against one project
#      with its counts,
# then prints a summary table. Sizes and durations can be lowered for a quick run, e.g.
#   FW_BENCH_ITEMS=100000 FW_BENCH_ANSWERS=300000 FW_BENCH_EXPORT=100000 FW_BENCH_IMPORT=100000 \
#   FW_BENCH_DURATION=5 bench/run.sh build
# FW_BENCH_KEEP=1 keeps the temporary directory (data, logs, results).
set -euo pipefail

BUILD=${1:?usage: bench/run.sh BUILD_DIR}
FW=$BUILD/src/cli/fachwerk
SEED=$BUILD/bench/fw_bench_seed
LOADGEN=$BUILD/bench/fw_loadgen
MICRO=$BUILD/bench/fw_micro_bench

ITEMS=${FW_BENCH_ITEMS:-1000000}
EXPERTS=${FW_BENCH_EXPERTS:-10000}
ANSWERS=${FW_BENCH_ANSWERS:-3000000}
REDUNDANCY=${FW_BENCH_REDUNDANCY:-5}
EXPORT_ANSWERS=${FW_BENCH_EXPORT:-1000000}
IMPORT_LINES=${FW_BENCH_IMPORT:-1000000}
CONNECTIONS=${FW_BENCH_CONNECTIONS:-64}
THREADS=${FW_BENCH_THREADS:-64}
DURATION=${FW_BENCH_DURATION:-20}
HEALTHZ_DURATION=${FW_BENCH_HEALTHZ_DURATION:-10}
MICRO_RUN=${FW_BENCH_MICRO:-1}

for bin in "$FW" "$SEED" "$LOADGEN"; do
  [[ -x $bin ]] || { echo "bench/run.sh: $bin is missing; build first (make bench)" >&2; exit 2; }
done
command -v curl >/dev/null || { echo "bench/run.sh: curl is required" >&2; exit 2; }
command -v python3 >/dev/null || { echo "bench/run.sh: python3 is required" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/fw-bench.XXXXXX")
DATA=$WORK/data
RESULTS=$WORK/results.env
SERVER_PID=""
SAMPLER_PID=""
: >"$RESULTS"

cleanup() {
  local rc=$?
  if [[ -n $SAMPLER_PID ]]; then kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; fi
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ ${FW_BENCH_KEEP:-0} == 1 ]]; then
    echo "kept $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
result() { echo "$1=$2" >>"$RESULTS"; }
section() { printf '\n== %s\n' "$*"; }

# Resident memory of the server, sampled every 100 ms into a file: "VmRSS RssAnon" in kB a
# line. RssAnon is the heap and stacks; the rest of VmRSS is file pages (SQLite's mmap of the
# database), which the kernel can drop at any time.
start_sampler() {
  local out=$1
  : >"$out"
  (
    while [[ -r /proc/$SERVER_PID/status ]]; do
      awk '/^VmRSS:/ { r = $2 } /^RssAnon:/ { a = $2 } END { if (r) print r, a }' \
        "/proc/$SERVER_PID/status" >>"$out" 2>/dev/null || break
      sleep 0.1
    done
  ) &
  SAMPLER_PID=$!
}
stop_sampler() {
  kill "$SAMPLER_PID" 2>/dev/null || true
  wait "$SAMPLER_PID" 2>/dev/null || true
  SAMPLER_PID=""
}
rss_mb() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status"; }
anon_mb() { awk '/^RssAnon:/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status"; }
peak_mb() { sort -n -k1 "$1" | tail -1 | awk '{ printf "%.0f", $1 / 1024 }'; }       # VmRSS
peak_anon_mb() { sort -n -k2 "$1" | tail -1 | awk '{ printf "%.0f", $2 / 1024 }'; }  # RssAnon
# CPU seconds (user + system) the server has used so far.
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$SERVER_PID/stat"; }
# Percentage of the machine's CPU busy over one second (other work skews every figure here).
busy_pct() {
  local a b
  a=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $5 + $6 }' /proc/stat)
  sleep 1
  b=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $5 + $6 }' /proc/stat)
  awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " "); bu = y[1] - x[1]; id = y[2] - x[2];
    printf "%.0f", (bu + id) ? 100 * bu / (bu + id) : 0 }'
}
metric() {  # metric NAME: the value of an unlabelled counter on /metrics
  curl -fsS -H "Authorization: Bearer $OPERATOR_TOKEN" "http://127.0.0.1:$PORT/metrics" | awk -v n="$1" '$1 == n { printf "%.0f", $2 }'
}

echo "Fachwerk benchmarks: $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo), work dir $WORK"

# ---- 1. micro-benchmarks
if [[ $MICRO_RUN == 1 && -x $MICRO ]]; then
  section "micro-benchmarks (Google Benchmark)"
  "$MICRO" --benchmark_min_time=0.2 2>&1 | grep -E '^(BM_|-|Benchmark)' | tee "$WORK/micro.txt"
fi

# ---- 2. seed
section "seed: $ITEMS items, $EXPERTS experts, $ANSWERS answers (k=$REDUNDANCY), export project $EXPORT_ANSWERS answers"
t0=$(now)
PROJECT=$("$SEED" --data "$DATA" --items "$ITEMS" --experts "$EXPERTS" --answers "$ANSWERS" \
  --redundancy "$REDUNDANCY" --tokens "$CONNECTIONS" --tokens-out "$WORK/tokens.txt" \
  --export-answers "$EXPORT_ANSWERS" --info-out "$WORK/info.env")
seed_s=$(elapsed "$t0")
# shellcheck disable=SC1091
source "$WORK/info.env"
db_mb=$(du -sm "$DATA" | awk '{ print $1 }')
echo "seeded in $seed_s s; work-loop project $PROJECT; data directory $db_mb MB"
result seed_s "$seed_s"
result db_mb "$db_mb"

section "generate $IMPORT_LINES JSONL items for the import"
"$SEED" --write-jsonl "$WORK/items.jsonl" --lines "$IMPORT_LINES"
import_mb=$(du -m "$WORK/items.jsonl" | awk '{ print $1 }')

# ---- 3. server
section "server: fachwerk serve --threads $THREADS"
"$FW" serve --data "$DATA" --listen 127.0.0.1:0 --port-file "$WORK/port" --threads "$THREADS" \
  --log-level warn >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 600); do
  [[ -s $WORK/port ]] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  sleep 0.1
done
[[ -s $WORK/port ]] || { echo "bench/run.sh: the server did not start" >&2; exit 1; }
PORT=$(cat "$WORK/port")
echo "pid $SERVER_PID, port $PORT, RSS $(rss_mb) MB"
result idle_rss_mb "$(rss_mb)"
busy=$(busy_pct)
echo "machine busy before the load runs (the server idle): $busy% of CPU, load average $(cut -d' ' -f1-3 /proc/loadavg)"
if ((busy > 10)); then echo "WARNING: other work is using the CPU; the figures below are skewed by it" >&2; fi
result busy_before_pct "$busy"

# ---- 4. ceiling and work loop
section "ceiling: GET /healthz, $CONNECTIONS connections, ${HEALTHZ_DURATION}s"
cpu0=$(cpu_s)
"$LOADGEN" --port "$PORT" --connections "$CONNECTIONS" --duration "$HEALTHZ_DURATION" --mode healthz \
  | tee "$WORK/healthz.txt"
tail -1 "$WORK/healthz.txt" >"$WORK/healthz.json"
result healthz_cpu_s "$(awk -v a="$cpu0" -v b="$(cpu_s)" 'BEGIN { printf "%.2f", b - a }')"

section "work loop: next + submit, $CONNECTIONS experts on $CONNECTIONS connections, ${DURATION}s"
jobs0=$(metric fachwerk_db_write_jobs_total)
commits0=$(metric fachwerk_db_commits_total)
start_sampler "$WORK/rss-cycle.txt"
cpu0=$(cpu_s)
"$LOADGEN" --port "$PORT" --connections "$CONNECTIONS" --duration "$DURATION" --mode cycle \
  --tokens "$WORK/tokens.txt" --project "$PROJECT" | tee "$WORK/cycle.txt"
cycle_cpu=$(awk -v a="$cpu0" -v b="$(cpu_s)" 'BEGIN { printf "%.2f", b - a }')
stop_sampler
tail -1 "$WORK/cycle.txt" >"$WORK/cycle.json"
result cycle_cpu_s "$cycle_cpu"
jobs1=$(metric fachwerk_db_write_jobs_total)
commits1=$(metric fachwerk_db_commits_total)
group=$(awk -v j=$((jobs1 - jobs0)) -v c=$((commits1 - commits0)) 'BEGIN { printf "%.1f", c ? j / c : 0 }')
echo "database writer: $((jobs1 - jobs0)) write jobs in $((commits1 - commits0)) commits ($group jobs per commit)"
echo "server CPU during the run (warm-up included): $cycle_cpu s"
result cycle_peak_rss_mb "$(peak_mb "$WORK/rss-cycle.txt")"
result jobs_per_commit "$group"

# ---- 5. import and export over HTTP
section "import: $IMPORT_LINES items ($import_mb MB JSONL) over HTTP"
before=$(rss_mb)
before_anon=$(anon_mb)
start_sampler "$WORK/rss-import.txt"
t0=$(now)
import_out=$(curl -sS -o "$WORK/import-response.json" -w '%{http_code} %{time_total}' \
  -H "Authorization: Bearer $LAB_TOKEN" -H 'Content-Type: application/x-ndjson' \
  --data-binary @"$WORK/items.jsonl" "http://127.0.0.1:$PORT/api/v1/projects/$IMPORT_PROJECT/items")
import_s=$(elapsed "$t0")
stop_sampler
read -r import_code _ <<<"$import_out"
echo "HTTP $import_code in $import_s s: $(head -c 300 "$WORK/import-response.json")"
echo "server RSS: $before MB before, peak $(peak_mb "$WORK/rss-import.txt") MB during the import;" \
  "anonymous (heap): $before_anon MB before, peak $(peak_anon_mb "$WORK/rss-import.txt") MB"
[[ $import_code == 201 ]] || { echo "bench/run.sh: the import failed" >&2; exit 1; }
result import_s "$import_s"
result import_rss_before_mb "$before"
result import_peak_rss_mb "$(peak_mb "$WORK/rss-import.txt")"
result import_anon_before_mb "$before_anon"
result import_peak_anon_mb "$(peak_anon_mb "$WORK/rss-import.txt")"
result import_mb "$import_mb"

section "export: raw JSONL of the $EXPORT_ANSWERS-answer project over HTTP"
before=$(rss_mb)
before_anon=$(anon_mb)
start_sampler "$WORK/rss-export.txt"
t0=$(now)
export_out=$(curl -sS -o /dev/null -w '%{http_code} %{size_download}' \
  -H "Authorization: Bearer $LAB_TOKEN" "http://127.0.0.1:$PORT/api/v1/projects/$EXPORT_PROJECT/export?format=raw")
export_s=$(elapsed "$t0")
stop_sampler
read -r export_code export_bytes <<<"$export_out"
export_mb=$(awk -v b="$export_bytes" 'BEGIN { printf "%.0f", b / 1e6 }')
echo "HTTP $export_code, $export_mb MB in $export_s s"
echo "server RSS: $before MB before, peak $(peak_mb "$WORK/rss-export.txt") MB during the export;" \
  "anonymous (heap): $before_anon MB before, peak $(peak_anon_mb "$WORK/rss-export.txt") MB"
[[ $export_code == 200 ]] || { echo "bench/run.sh: the export failed" >&2; exit 1; }
result export_s "$export_s"
result export_mb "$export_mb"
result export_rss_before_mb "$before"
result export_peak_rss_mb "$(peak_mb "$WORK/rss-export.txt")"
result export_anon_before_mb "$before_anon"
result export_peak_anon_mb "$(peak_anon_mb "$WORK/rss-export.txt")"
result final_vmhwm_mb "$(awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status")"

# ---- 6. the lab's project list
# Latency of GET $1, $2 requests one after another: "p50 p90 max" in ms (curl's total time,
# a new connection each).
latency_ms() {
  for _ in $(seq "$2"); do
    curl -fsS -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $LAB_TOKEN" "$1"
  done | sort -n | awk '{ t[NR] = $1 * 1000 } END {
    printf "%.1f %.1f %.1f", t[int(NR * 0.5 + 0.5)], t[int(NR * 0.9 + 0.5)], t[NR] }'
}
section "project list: GET /api/v1/projects (the lab's 3 projects, each with its progress)"
curl -fsS -H "Authorization: Bearer $LAB_TOKEN" "http://127.0.0.1:$PORT/api/v1/projects" |
  python3 -c 'import json, sys
for p in json.load(sys.stdin)["projects"]:
    g = p["progress"]
    print("  %s: %d items, %d complete, %d judgments" % (p["name"], g["items"], g["complete"], g["submissions"]))'
read -r list_p50 list_p90 list_max <<<"$(latency_ms "http://127.0.0.1:$PORT/api/v1/projects" 50)"
read -r one_p50 _ one_max <<<"$(latency_ms "http://127.0.0.1:$PORT/api/v1/projects/$PROJECT" 5)"
echo "list: p50 $list_p50 ms, p90 $list_p90 ms, max $list_max ms (50 requests)"
echo "one project with counts (reads its items): p50 $one_p50 ms, max $one_max ms (5 requests)"
result list_p50_ms "$list_p50"
result list_p90_ms "$list_p90"
result list_max_ms "$list_max"
result one_p50_ms "$one_p50"

# ---- summary
section "summary"
python3 - "$WORK" <<'EOF'
import json, sys
work = sys.argv[1]
r = dict(line.strip().split("=", 1) for line in open(f"{work}/results.env") if "=" in line)
h = json.load(open(f"{work}/healthz.json"))
c = json.load(open(f"{work}/cycle.json"))
ratio = c["cycles_per_s"] / h["requests_per_s"] if h["requests_per_s"] else 0
reqratio = c["requests_per_s"] / h["requests_per_s"] if h["requests_per_s"] else 0
# Server CPU per unit of work; the CPU figure includes the warm-up, so count it in too.
def per(cpu, rate, d):
    n = rate * (d["duration_s"] + d["warmup_s"])
    return 1e6 * float(cpu) / n if n else 0
cpu_cycle = per(r["cycle_cpu_s"], c["cycles_per_s"], c)
cpu_healthz = per(r["healthz_cpu_s"], h["requests_per_s"], h)
errs = ", ".join(f"{k}: {v}" for k, v in c["errors"].items()) or "none"
rows = [
    ("seed (items, answers, export answers)", f'{r["seed_s"]} s', f'{r["db_mb"]} MB on disk'),
    ("ceiling: GET /healthz", f'{h["requests_per_s"]:.0f} req/s',
     f'p50 {h["healthz"]["p50_ms"]:.2f} ms, p99 {h["healthz"]["p99_ms"]:.2f} ms; server CPU {cpu_healthz:.0f} us/request'),
    ("work loop: cycles (next + submit)", f'{c["cycles_per_s"]:.0f} cycles/s',
     f'{c["requests_per_s"]:.0f} req/s; server CPU {cpu_cycle:.0f} us/cycle; errors {errs}'),
    ("  next", f'p99 {c["next"]["p99_ms"]:.1f} ms', f'p50 {c["next"]["p50_ms"]:.1f}, p90 {c["next"]["p90_ms"]:.1f}, max {c["next"]["max_ms"]:.1f} ms'),
    ("  submit", f'p99 {c["submit"]["p99_ms"]:.1f} ms', f'p50 {c["submit"]["p50_ms"]:.1f}, p90 {c["submit"]["p90_ms"]:.1f}, max {c["submit"]["max_ms"]:.1f} ms'),
    ("  cycles/s / healthz req/s", f"{ratio:.3f}", f"requests/s ratio {reqratio:.3f}; {r['jobs_per_commit']} write jobs per commit"),
    ("import (JSONL over HTTP)", f'{r["import_s"]} s', f'{r["import_mb"]} MB; server RSS {r["import_rss_before_mb"]} -> peak {r["import_peak_rss_mb"]} MB, heap {r["import_anon_before_mb"]} -> peak {r["import_peak_anon_mb"]} MB'),
    ("project list (with progress)", f'p50 {r["list_p50_ms"]} ms',
     f'p90 {r["list_p90_ms"]}, max {r["list_max_ms"]} ms; one project with counts p50 {r["one_p50_ms"]} ms'),
    ("export (raw JSONL over HTTP)", f'{r["export_s"]} s', f'{r["export_mb"]} MB; server RSS {r["export_rss_before_mb"]} -> peak {r["export_peak_rss_mb"]} MB, heap {r["export_anon_before_mb"]} -> peak {r["export_peak_anon_mb"]} MB'),
    ("server memory", f'{r["final_vmhwm_mb"]} MB VmHWM', f'idle {r["idle_rss_mb"]} MB; peak under the work loop {r["cycle_peak_rss_mb"]} MB'),
    ("machine busy before the runs", f'{r["busy_before_pct"]}%', "other processes' CPU use; above ~10% the figures are skewed"),
]
w0 = max(len(a) for a, _, _ in rows); w1 = max(len(b) for _, b, _ in rows)
for a, b, d in rows:
    print(f"{a:<{w0}}  {b:>{w1}}  {d}")
def num(v):
    try: return float(v)
    except ValueError: return v
summary = {k: num(v) for k, v in r.items()}
summary.update(healthz_rps=h["requests_per_s"], cycles_per_s=c["cycles_per_s"], cycle_rps=c["requests_per_s"],
               next_p99_ms=c["next"]["p99_ms"], submit_p99_ms=c["submit"]["p99_ms"], ceiling_ratio=round(ratio, 4),
               server_cpu_us_per_cycle=round(cpu_cycle), server_cpu_us_per_healthz=round(cpu_healthz), errors=c["errors"])
print(json.dumps(summary))
EOF
