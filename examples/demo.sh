#!/usr/bin/env bash
# The first thing to run: installs missing Debian packages, builds the demo program with
# the dev preset and runs it. The workspace file and the responsibility chart land in the
# current directory.
#
#   examples/demo.sh                     writes ./gridgov-demo.gridgov and its chart
#                                        ./gridgov-demo-chart.html
#   examples/demo.sh my.gridgov          writes my.gridgov and my-chart.html instead
#   examples/demo.sh my.gridgov --data DIR   reads the sample county's files from DIR
#   examples/demo.sh my.gridgov --year DIR   runs the year of matters of DIR (written by
#                                        examples/make_sample_year.py) instead of
#                                        generating build/dev/sample-year
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

"$root/.ci/install-deps.sh"
(
    cd "$root"
    cmake --preset dev >/dev/null
    echo "gridgov: building gridgov_demo in build/dev (the first build takes a few minutes)"
    cmake --build --preset dev --target gridgov_demo >/dev/null
)
# The year of matters (a few megabytes, not kept in the tree) is generated beside the build.
year=()
case " $* " in
*" --year "*) ;;
*)
    /usr/bin/python3 "$root/examples/make_sample_year.py" "$root/build/dev/sample-year" >/dev/null
    year=(--year "$root/build/dev/sample-year")
    ;;
esac
exec "$root/build/dev/examples/gridgov_demo" "$@" "${year[@]}"
