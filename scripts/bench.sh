#!/usr/bin/env bash
# `make bench`: the BenchmarkDotNet suites (BENCH_FILTER selects, default all), then the end-to-end
# runs whose figures benchmarks/RESULTS.md quotes (wall time and test accuracy), in a scratch database,
# then the MNIST MLP step time against PyTorch (benchmarks/mnist-step.sh; MNIST_STEPS etc. there).
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet run -c Release --project benchmarks/Workbench.Benchmarks -- \
    --filter "${BENCH_FILTER:-*}" --artifacts benchmarks/BenchmarkDotNet.Artifacts

db=$(mktemp -d)/workbench.db
for config in ${BENCH_CONFIGS:-configs/xor-perceptron.yaml configs/mnist-mlp.yaml}; do
    start=$(date +%s.%N)
    id=$(CI=true bin/workbench run "$config" --db "$db" 2>/dev/null | tail -n 1)
    seconds=$(echo "$(date +%s.%N) - $start" | bc)
    acc=$(bin/workbench show "$id" --db "$db" --json | grep -o '"test/acc": *[0-9.eE-]*' | head -1 | sed 's/.*: *//')
    printf 'e2e %-32s %8.1f s  test/acc %s  (run %s)\n' "$config" "$seconds" "${acc:-n/a}" "$id"
done

benchmarks/mnist-step.sh
