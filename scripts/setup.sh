#!/usr/bin/env bash
# Installs what Workbench needs on a Debian machine and configures the native build.
#
#   scripts/setup.sh deps        libtorch (+ OpenBLAS, Gloo's headers), cmake, g++, npm; writes build/torch_dir
#   scripts/setup.sh test-deps   what only the tests need (Chromium for the report browser test)
#   scripts/setup.sh bench-deps  what only the benchmarks need (Debian's PyTorch, the reference side)
#
# Idempotent: when everything is there it only looks, which takes well under a second.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*" >&2; }

# Runs apt-get as root, through sudo, or explains what to run.
apt_install() {
    local missing=()
    for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing ${missing[*]}"
    local run=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then run=(sudo); else
            say "need root to install: ${missing[*]}"
            say "run:  sudo apt-get install -y ${missing[*]}   then run make again"
            exit 2
        fi
    fi
    # Refresh the package lists once if they are missing or older than a day.
    if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -1)" ]; then
        "${run[@]}" apt-get update -qq
    fi
    DEBIAN_FRONTEND=noninteractive "${run[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Prints the folder holding TorchConfig.cmake, in DESIGN.md's order, or nothing.
find_torch_dir() {
    if [ -n "${Torch_DIR:-}" ] && [ -f "$Torch_DIR/TorchConfig.cmake" ]; then echo "$Torch_DIR"; return; fi
    if [ -n "${LIBTORCH:-}" ] && [ -f "$LIBTORCH/share/cmake/Torch/TorchConfig.cmake" ]; then
        echo "$LIBTORCH/share/cmake/Torch"; return
    fi
    # An installed PyTorch (the CUDA build on GPU boxes); found without importing torch, which is slow.
    for py in python3 /usr/bin/python3; do
        command -v "$py" >/dev/null || continue
        local dir
        dir=$("$py" -c 'import importlib.util as u; s = u.find_spec("torch"); print(s.submodule_search_locations[0] if s else "")' 2>/dev/null || true)
        if [ -n "$dir" ] && [ -f "$dir/share/cmake/Torch/TorchConfig.cmake" ]; then echo "$dir/share/cmake/Torch"; return; fi
    done
    local debian=/usr/lib/x86_64-linux-gnu/cmake/Torch
    [ -f "$debian/TorchConfig.cmake" ] && echo "$debian"
    return 0
}

deps() {
    command -v dotnet >/dev/null || { say "the .NET 10 SDK is missing: install it (https://dot.net), then run make again"; exit 2; }
    local tools=()
    command -v cmake >/dev/null || tools+=(cmake)
    command -v g++ >/dev/null || tools+=(g++)
    command -v npm >/dev/null || tools+=(npm)
    command -v make >/dev/null || tools+=(make)
    [ ${#tools[@]} -eq 0 ] || apt_install "${tools[@]}"
    # `workbench plot` draws its text in DejaVu Sans; without it ScottPlot falls back to another font, so a
    # machine where it cannot be installed (no root) still builds and runs (the subshell keeps its exit).
    ( apt_install fonts-dejavu-core ) || say "fonts-dejavu-core is not installed: plot labels use another font"

    local torch_dir
    torch_dir=$(find_torch_dir)
    if [ -z "$torch_dir" ]; then
        apt_install libtorch-dev libopenblas0-pthread
        torch_dir=$(find_torch_dir)
    fi
    # Debian's libtorch falls back to the reference BLAS (about 40x slower) without OpenBLAS; its c10d
    # headers include Gloo's, which come separately (without them the shim builds without --nproc).
    case "$torch_dir" in /usr/lib/*) apt_install libopenblas0-pthread libgloo-dev ;; esac
    [ -n "$torch_dir" ] || { say "libtorch was not found after installing libtorch-dev"; exit 1; }

    mkdir -p build
    if [ "$(cat build/torch_dir 2>/dev/null)" != "$torch_dir" ]; then
        say "libtorch: $torch_dir"
        echo "$torch_dir" > build/torch_dir
    fi
}

test_deps() {
    command -v chromium >/dev/null || apt_install chromium
}

# The PyTorch references (benchmarks/reference) run on Debian's python3-torch, the same libtorch 1.13.
bench_deps() {
    /usr/bin/python3 -c 'import torch, numpy' 2>/dev/null || apt_install python3-torch python3-numpy
}

case "${1:-deps}" in
    deps) deps ;;
    test-deps) test_deps ;;
    bench-deps) bench_deps ;;
    *) say "unknown step '$1' (deps, test-deps, bench-deps)"; exit 2 ;;
esac
