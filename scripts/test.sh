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

# The engine's parity suites (every comparison with PyTorch's numbers) again under older OpenBLAS
# kernel sets this CPU can run: float32 sums round differently under each, as they do on a user's CPU,
# so a tolerance that only holds for this machine's kernels fails here and not there. Never a set the
# CPU lacks: OpenBLAS does not check, and its instructions would kill the process.
parity_cores() {
    local flags
    flags=" $(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null | cut -d: -f2) "
    local cores=(Prescott)
    [[ $flags == *" avx "* ]] && cores+=(Sandybridge)
    [[ $flags == *" avx2 "* && $flags == *" fma "* && $flags == *" avx512f "* ]] && cores+=(Haswell)
    echo "${cores[@]}"
}
# oneDNN (Linear layers, convolutions) is held to the same vector width as each OpenBLAS set: SSE4.1 is its
# oldest, AVX for Sandybridge, AVX2 for Haswell.
onednn_isa() {
    case $1 in Sandybridge) echo AVX ;; Haswell) echo AVX2 ;; *) echo SSE41 ;; esac
}
# grep reads all of it: with -q it would stop at the first match and, under pipefail, ldconfig's SIGPIPE would
# fail the test and skip the parity runs whenever its output outgrew the pipe buffer.
if [ "$status" -eq 0 ] && [ $# -eq 0 ] && ldconfig -p 2>/dev/null | grep libopenblas >/dev/null; then
    for core in $(parity_cores); do
        for project in tests/Workbench.Torch.Tests tests/Workbench.Models.Tests; do
            echo "==== parity under OpenBLAS's $core kernels and oneDNN's $(onednn_isa "$core"): $(basename "$project")" | tee -a "$log"
            OPENBLAS_CORETYPE=$core DNNL_MAX_CPU_ISA=$(onednn_isa "$core") dotnet test "$project" -c Release --no-build --nologo 2>&1 | tee -a "$log" | grep -E '^(Passed|Failed)!|^  Failed '
            [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
        done
    done
fi
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
