#!/usr/bin/env bash
# bench/quality.sh BUILD_DIR: times the quality engine's command line (see bench/README.md,
# "Quality engine").
#
# Builds nothing. In a fresh temporary directory it
#   1. generates a synthetic set with fw_quality_gen (default 200,000 tasks x 5 answers
#      = 1M answers, 2,000 workers, 4 classes) and times `fachwerk aggregate --truth` for
#      each method (mv, wawa, ds, ods, glad) with /usr/bin/time: wall seconds and peak RSS;
#   2. does the same on each real dataset in ../shared/datasets/truth-inference (next to the
#      repository) when that folder exists, and replays each one with the adaptive policy
#      (`fachwerk replay`, 10 arrival orders) against full redundancy, once with the default
#      flags and once with the expert gate and change test (--gate 0.15 --change 0.002);
# then prints the tables. Smaller or other sizes:
#   FW_QBENCH_TASKS=10000 FW_QBENCH_PER_TASK=5 bench/quality.sh build
# FW_QBENCH_METHODS="ds mv" picks methods; FW_QBENCH_REAL=0 skips the real datasets,
# FW_QBENCH_REPLAY=0 the replays, FW_QBENCH_REPEAT=N sets the arrival orders per replay;
# FW_QBENCH_KEEP=1 keeps the temporary directory.
set -euo pipefail

BUILD=${1:?usage: bench/quality.sh BUILD_DIR}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FW=$BUILD/src/cli/fachwerk
TASKS=${FW_QBENCH_TASKS:-200000}
PER_TASK=${FW_QBENCH_PER_TASK:-5}
WORKERS=${FW_QBENCH_WORKERS:-2000}
CLASSES=${FW_QBENCH_CLASSES:-4}
SEED=${FW_QBENCH_SEED:-1}
METHODS=${FW_QBENCH_METHODS:-mv wawa ds ods glad}
DATASETS=${FW_QBENCH_DATASETS:-$REPO/../shared/datasets/truth-inference}
REAL=${FW_QBENCH_REAL:-1}
REPLAY=${FW_QBENCH_REPLAY:-1}
REPEAT=${FW_QBENCH_REPEAT:-10}
# The categorical datasets (f201_Emotion_FULL is numeric and not aggregated here).
REAL_SETS=(d_Duck_Identification d_jn-product d_sentiment s4_Dog_data
           s4_Face_Sentiment_Identification s4_Relevance s5_AdultContent)

die() { echo "bench/quality.sh: $*" >&2; exit 2; }
[[ -x $FW ]] || die "$FW is missing; build first (cmake --build $BUILD --target fachwerk)"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is required (apt-get install time; scripts/setup installs it)"
GEN=${FW_QUALITY_GEN:-$BUILD/bench/fw_quality_gen}
[[ -x $GEN ]] || die "the generator $GEN is missing (build it, or set FW_QUALITY_GEN)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/fw-qbench.XXXXXX")
cleanup() {
  if [[ ${FW_QBENCH_KEEP:-0} == 1 ]]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

ROWS=$WORK/rows.tsv
: >"$ROWS"

# time_aggregate NAME ANSWERS TRUTH METHOD: one timed run, one row in $ROWS.
time_aggregate() {
  local name=$1 answers=$2 truth=$3 method=$4
  local err=$WORK/err.txt timing=$WORK/time.txt
  if ! /usr/bin/time -f '%e s %M KB' -o "$timing" \
      "$FW" aggregate --method "$method" --in "$answers" --truth "$truth" --out "$WORK/out.csv" 2>"$err"; then
    echo "bench/quality.sh: aggregate --method $method on $name failed:" >&2
    cat "$err" >&2
    exit 1
  fi
  local accuracy
  accuracy=$(sed -n 's/^accuracy \([0-9.]*\) over.*/\1/p' "$err")
  local lines
  lines=$(($(wc -l <"$answers") - 1))
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$method" "$lines" "$(tail -n 1 "$timing")" "${accuracy:--}" >>"$ROWS"
}

echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "generating $TASKS tasks x $PER_TASK answers ($WORKERS workers, $CLASSES classes, seed $SEED)..."
mkdir -p "$WORK/synthetic"
/usr/bin/time -f '%e s' -o "$WORK/gen-time.txt" "$GEN" --tasks "$TASKS" --answers-per-task "$PER_TASK" \
  --workers "$WORKERS" --classes "$CLASSES" --seed "$SEED" --out-dir "$WORK/synthetic" >/dev/null
echo "generated in $(tail -n 1 "$WORK/gen-time.txt") ($(du -h "$WORK/synthetic/answers.csv" | cut -f1) of CSV)"

for m in $METHODS; do time_aggregate synthetic "$WORK/synthetic/answers.csv" "$WORK/synthetic/truth.csv" "$m"; done

REPLAY_VARIANTS=("" "--gate 0.15 --change 0.002")
for v in "${!REPLAY_VARIANTS[@]}"; do : >"$WORK/replay-$v.txt"; done
if [[ $REAL == 1 && -d $DATASETS ]]; then
  for d in "${REAL_SETS[@]}"; do
    [[ -f $DATASETS/$d/answers.csv ]] || continue
    for m in $METHODS; do time_aggregate "$d" "$DATASETS/$d/answers.csv" "$DATASETS/$d/truth.csv" "$m"; done
    if [[ $REPLAY == 1 ]]; then
      for v in "${!REPLAY_VARIANTS[@]}"; do
      # shellcheck disable=SC2086  # the variant's flags split on purpose
      /usr/bin/time -f '%e' -o "$WORK/replay-time.txt" \
        "$FW" replay --in "$DATASETS/$d/answers.csv" --truth "$DATASETS/$d/truth.csv" \
        --repeat "$REPEAT" --format json ${REPLAY_VARIANTS[$v]} >"$WORK/replay.json"
      python3 - "$d" "$(tail -n 1 "$WORK/replay-time.txt")" "$WORK/replay.json" >>"$WORK/replay-$v.txt" <<'EOF'
import json, sys
name, seconds, path = sys.argv[1], sys.argv[2], sys.argv[3]
r = json.load(open(path))
b, a = r["baseline"], r["run"]
change = [100 * (p["accuracy"] - b["accuracy"]) for p in r["per_seed"]]
print(f"| {name} | {b['judgments']:,} ({b['judgments_per_task']:.2f}) | {100 * b['accuracy']:.2f} % | "
      f"{a['judgments']:,.0f} ({a['judgments_per_task']:.2f}) | {100 * a['accuracy']:.2f} % | "
      f"**{100 * r['savings']:.1f} %** | {r['accuracy_change_pp']:+.2f} ({min(change):+.2f}..{max(change):+.2f}) | "
      f"{r['truth_tasks']:,} | {seconds} s |")
EOF
      done
    fi
  done
elif [[ $REAL == 1 ]]; then
  echo "(no real datasets at $DATASETS)"
fi

echo
echo "| data | method | answers | wall | peak RSS | accuracy |"
echo "|---|---|---:|---:|---:|---:|"
while IFS=$'\t' read -r name method lines timing accuracy; do
  read -r secs _ kb _ <<<"$timing"
  printf '| %s | %s | %s | %s s | %s MB | %s |\n' "$name" "$method" "$lines" "$secs" "$((kb / 1024))" "$accuracy"
done <"$ROWS"

for v in "${!REPLAY_VARIANTS[@]}"; do
  [[ -s $WORK/replay-$v.txt ]] || continue
  echo
  echo "Adaptive redundancy (fachwerk replay, ${REPLAY_VARIANTS[$v]:-default flags}; means over $REPEAT arrival orders) vs full redundancy:"
  echo
  echo "| dataset | full: judgments (per task) | full: accuracy | adaptive: judgments (per task) | adaptive: accuracy | savings | Δ accuracy, pp (range) | truth tasks | time ($REPEAT replays) |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  cat "$WORK/replay-$v.txt"
done
