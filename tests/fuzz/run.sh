#!/usr/bin/env bash
# Runs every libFuzzer target of a GRIDGOV_FUZZ build for a bounded time, starting from
# the checked-in seed corpus and regression inputs, and prints executions and findings per
# target. Exits 1 when any target found a crash, a sanitizer report, a leak or a hang
# (its input is kept under <build>/fuzz-findings/; add it to tests/fuzz/regressions/
# <target>/ once fixed).
#
#   tests/fuzz/run.sh [build folder (build/asan)] [seconds per target (20)] [target...]
set -euo pipefail
cd "$(dirname "$0")/../.."
build="${1:-build/asan}"
seconds="${2:-20}"
shift $(($# < 2 ? $# : 2))
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(instant period scheme formula workflow holidays documents audit
           hierarchy directory activities open311 plans records)
fi
bin="$build/tests/fuzz"
work="$build/fuzz-corpus"
findings="$build/fuzz-findings"
mkdir -p "$work" "$findings"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

failed=0
printf '%-12s %12s %10s %8s %s\n' target executions "exec/s" corpus findings
for t in "${targets[@]}"; do
  exe="$bin/gridgov_fuzz_$t"
  if [ ! -x "$exe" ]; then
    echo "no $exe: configure with GRIDGOV_FUZZ=ON (the asan preset) and build it" >&2
    exit 2
  fi
  mkdir -p "$work/$t"
  inputs=("tests/fuzz/corpus/$t")
  [ -d "tests/fuzz/regressions/$t" ] && inputs+=("tests/fuzz/regressions/$t")
  log="$findings/$t.log"
  status=0
  "$exe" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=3072 -print_final_stats=1 \
    -artifact_prefix="$findings/$t-" "$work/$t" "${inputs[@]}" > "$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  size=$(find "$work/$t" -type f | wc -l)
  if [ "$status" -eq 0 ]; then
    printf '%-12s %12s %10s %8s %s\n' "$t" "${runs:-?}" "${rate:-?}" "$size" 0
  else
    failed=1
    printf '%-12s %12s %10s %8s %s\n' "$t" "${runs:-?}" "${rate:-?}" "$size" "1 (exit $status)"
    echo "---- $t: the end of $log" >&2
    tail -40 "$log" >&2
    ls "$findings/$t-"* 2>/dev/null >&2 || true
  fi
done
exit $failed
