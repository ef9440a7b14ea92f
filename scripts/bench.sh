#!/usr/bin/env bash
# `make bench`: the BenchmarkDotNet suites (BENCH_FILTER selects, default all), then the end-to-end
# runs whose figures benchmarks/RESULTS.md quotes (wall time and test accuracy), in a scratch database,
# then the post-training pipeline's figures (benchmarks/pipeline-tasks.sh), then the sweeps' (TPE against random,
# ASHA against the grid), then the MNIST MLP step time against PyTorch (benchmarks/mnist-step.sh; MNIST_STEPS etc. there),
# then the same MLP and GPT steps against the TorchSharp peer when ../shared/peers/torchsharp is there
# (benchmarks/vs-torchsharp.sh; measurement only: nothing of it enters the repository).
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet run -c Release --project benchmarks/Workbench.Benchmarks -- \
    --filter "${BENCH_FILTER:-*}" --artifacts benchmarks/BenchmarkDotNet.Artifacts

db=$(mktemp -d)/workbench.db
# Each run prints the figures RESULTS.md quotes for it: test/acc, the best val/loss, and linreg's fit errors.
for config in ${BENCH_CONFIGS:-configs/xor-perceptron.yaml configs/mnist-mlp.yaml}; do
    start=$(date +%s.%N)
    id=$(CI=true bin/workbench run "$config" --db "$db" 2>/dev/null | tail -n 1)
    seconds=$(echo "$(date +%s.%N) - $start" | bc)
    show=$(bin/workbench show "$id" --db "$db" --json)
    figures=""
    for key in test/acc best/val/loss fit/weight_rel_error fit/bias_rel_error; do
        value=$(grep -o "\"$key\": *[0-9.eE+-]*" <<<"$show" | head -1 | sed 's/.*: *//')
        [ -z "$value" ] || figures+="  $key $value"
    done
    printf 'e2e %-32s %8.1f s%s  (run %s)\n' "$config" "$seconds" "$figures" "$id"
done

# The post-training pipeline (about 11 minutes on 2 cores); BENCH_PIPELINES=0 skips it.
[ "${BENCH_PIPELINES:-1}" = 0 ] || benchmarks/pipeline-tasks.sh
# The RL chains on compare, 1-4 digits (about 27 and 25 minutes on 2 cores): GRPO and PPO against their SFT
# starts over 3 seeds.
[ "${BENCH_PIPELINES:-1}" = 0 ] || benchmarks/pipeline-tasks.sh configs/pipeline-tasks-rl.yaml
[ "${BENCH_PIPELINES:-1}" = 0 ] || benchmarks/pipeline-tasks.sh configs/pipeline-tasks-ppo.yaml

# The sweep samplers against a known optimum (seconds), then ASHA against the full grid on the MNIST MLP
# (benchmarks/sweep-asha.sh, a few minutes); BENCH_SWEEPS=0 skips both.
if [ "${BENCH_SWEEPS:-1}" != 0 ]; then
    dotnet run -c Release --project benchmarks/Workbench.Benchmarks -- sweep-samplers 100 10
    benchmarks/sweep-asha.sh
fi

benchmarks/mnist-step.sh

# The MLP and GPT steps against the TorchSharp peer in interleaved rounds, with a 95% interval on each
# ratio (it says it skipped when ../shared/peers/torchsharp is not there).
benchmarks/vs-torchsharp.sh
