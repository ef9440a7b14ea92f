#!/usr/bin/env bash
# The post-training pipelines' figures in benchmarks/RESULTS.md: runs configs/pipeline-tasks.yaml, or the
# pipeline file given (benchmarks/pipeline-tasks.sh configs/pipeline-tasks-rl.yaml), 3 seeds, in a scratch
# database, times it, and prints each stage's held-out figures over the seeds (mean ± std; per task too)
# with the step-0 values of the stages that start from another run. The pipeline report's path (with
# Welch's tests between stages) is on stderr of the run.
set -euo pipefail
cd "$(dirname "$0")/.."
config=${1:-configs/pipeline-tasks.yaml}

dir=$(mktemp -d)
start=$(date +%s)
CI=true bin/workbench run "$config" --db "$dir/workbench.db" >"$dir/ids" 2>"$dir/log"
echo "$(basename "$config" .yaml): $(( $(date +%s) - start )) s for $(wc -l <"$dir/ids") stage runs; report: $(grep -o 'report: .*' "$dir/log" | tail -1)"
for id in $(cat "$dir/ids"); do
    bin/workbench show "$id" --db "$dir/workbench.db" --json >"$dir/show-$id.json"
    bin/workbench export "$id" --db "$dir/workbench.db" --format json >"$dir/export-$id.json"
done
python3 - "$dir" <<'PY'
import json, statistics, sys, pathlib
folder = pathlib.Path(sys.argv[1])
stages = {}
for id in (folder / "ids").read_text().split():
    stage = json.loads((folder / f"show-{id}.json").read_text())["stage"]
    metrics = json.loads((folder / f"export-{id}.json").read_text())["metrics"]
    stages.setdefault(stage, []).append(metrics)
keys = ["val/exact_match", *[f"val/exact_match/{t}" for t in ("compare", "count", "reverse", "uppercase")], "val/accuracy", "val/rewards/accuracies", "val/rewards/margins", "val/pass@8"]
# Training metrics are noisy step to step: each seed's mean over the first and the last fifth of its logged steps, and its most.
curves = ["reward", "rewards/correctness/mean", "frac_reward_zero_std", "kl", "objective/scores", "objective/kl"]
for stage, runs in stages.items():
    for key in keys:
        series = [m[key]["value"] for m in runs if key in m]
        if not series:
            continue
        last = [s[-1] for s in series]
        line = f"{stage:9} {key:24} {statistics.mean(last):.3f} ± {statistics.stdev(last) if len(last) > 1 else 0:.3f} (n={len(last)})"
        if stage != "pretrain":
            line += f"   step 0: {statistics.mean(s[0] for s in series):.3f}"
        print(line)
    for key in curves:
        series = [m[key]["value"] for m in runs if key in m]
        if not series:
            continue
        fifths = [f"{statistics.mean(s[:max(1, len(s) // 5)]):.2f} -> {statistics.mean(s[-max(1, len(s) // 5):]):.2f} (most {max(s):.2f})" for s in series]
        print(f"{stage:9} {key:24} by seed, first -> last fifth of the steps: {'; '.join(fifths)}")
PY
