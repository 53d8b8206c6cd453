#!/usr/bin/env bash
# Builds the vendor example (examples/cpp/vendor) against the gridgov that the `consumer`
# test installed (tests/consumer/run.sh, the fixture this test requires), the way a vendor
# would: find_package(gridgov) with the prefix as the only CMAKE_PREFIX_PATH. The
# workspace it reads is written by the portal example (examples/c/portal.c) of the build
# under test; the dashboard must list 青石镇's grids with masked phones and the portal's
# open case with its deadline and light, and write its JSON.
#
#   tests/consumer/vendor.sh <consumer scratch dir> <gridgov_portal program> <examples dir>
set -euo pipefail

prefix=$(cd "$1/prefix" && pwd)
portal=$2
examples=$(cd "$3" && pwd)
work=$1/vendor

rm -rf "$work"
mkdir -p "$work"
consumer_name=vendor
# shellcheck source=tests/consumer/lib.sh
source "$(dirname "$0")/lib.sh"

step "a workspace from the portal example"
"$portal" "$examples/data" "$work/township.gridgov" >"$work/portal.out"
expect "$work/portal.out" "workspace kept: $work/township.gridgov"

step "vendor example: find_package(gridgov) from $prefix"
cmake -S "$examples/cpp/vendor" -B "$work/build" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
    -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF >"$work/configure.log"
found=$(sed -n 's/^gridgov_DIR:PATH=//p' "$work/build/CMakeCache.txt")
case $found in
    "$prefix"/*) echo "gridgov_DIR=$found" ;;
    *) echo "find_package(gridgov) found $found, not the installed prefix" >&2; exit 1 ;;
esac
cmake --build "$work/build" >"$work/build.log"

step "the dashboard of 青石镇 at 2026-03-03 15:00"
"$work/build/gridgov_vendor" "$work/township.gridgov" 371338102 2026-03-03T15:00 \
    "$work/dashboard.json" | tee "$work/vendor.out"
expect "$work/vendor.out" \
    "371338102 青石镇 on 2026-03-03 15:00" \
    "371338102201001 青石村第一网格  121 households, leader 乔燕静 (二级网格长, 青石村)" \
    "A 网格信息员 康磊建 137****1760" \
    "B 网格信息员 郭建海 152****4211" \
    "open cases: 1" \
    "2026-000002 E0102 暴露垃圾 at 371338102201002 青石村第二网格: handling, 青石镇环卫所, deadline 2026-03-03 16:30, light green" \
    "wrote $work/dashboard.json"
# No phone number in clear anywhere.
if grep -qE '(^|[^0-9*])1[0-9]{10}([^0-9]|$)' "$work/vendor.out" "$work/dashboard.json"; then
    echo "an unmasked phone number was printed or written" >&2
    exit 1
fi
expect "$work/dashboard.json" '"township": "371338102"' '"number": "2026-000002"' \
    '"light": "green"' '"deadline": "2026-03-03T16:30:00+08:00"' '"phone": "137****1760"'
if command -v python3 >/dev/null; then
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert len(d["grids"]) > 0 and len(d["open_cases"]) == 1' \
        "$work/dashboard.json"
    echo "dashboard.json parses as JSON"
fi

step "the vendor example built and ran against the installed package"
