#!/usr/bin/env bash
# Runs every gridgov test suite: C++ (doctest), C API contracts, a strict C99 program,
# Python (pytest on /usr/bin/python3) and the installed-package consumers.
# Installs missing Debian packages first.
#
#   tests/run.sh            the dev preset
#   tests/run.sh ci         warnings are errors
#   tests/run.sh asan       AddressSanitizer + UndefinedBehaviorSanitizer
set -euo pipefail
cd "$(dirname "$0")/.."
.ci/install-deps.sh
cmake --workflow --preset "${1:-dev}"
