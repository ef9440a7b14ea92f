#!/usr/bin/env bash
# Runs every test project (what `make test` does after setup). When something fails it repeats
# each failed test's name, message and first stack lines at the very end, so a log that keeps
# only its tail (a CI summary, a scrolled terminal) still says what failed and where.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p build
log=build/test.log

dotnet test Workbench.sln -c Release --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
    echo
    echo "==== what failed (the whole log is in $log) ===="
    # Build errors, then each "Failed <test>" block up to a few lines of its stack trace.
    grep -E ': error [A-Z]+[0-9]+' "$log" | sort -u | head -20
    grep -E -A3 'Test Run Aborted|test run was aborted|host process crashed' "$log" | head -40
    awk '/^  Failed [^ ]/ { show = 1; n = 0 }
         show { print; if (/Stack Trace:/) n = 1; else if (n && ++n > 4) show = 0 }' "$log" | cut -c1-400 | head -200
    grep -E '^(Passed|Failed)! ' "$log"
fi
exit "$status"
