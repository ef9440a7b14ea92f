#!/usr/bin/env bash
# ASHA against the full grid on a real small config (issue 13's benchmark): the MNIST MLP for 2 epochs
# over lr x hidden sizes, first every grid point trained to the end, then the same grid with ASHA
# (min_steps 50, reduction factor 3: rungs at steps 50, 150, 450), in a scratch database. Prints both
# sweeps' best val/acc (and the best trial's test/acc), whether ASHA's best is within 0.5% of the grid's,
# the fraction of the grid's training steps ASHA ran, and each sweep's wall time.
# WORKBENCH_CLI picks the CLI (default bin/workbench); `make bench` runs it unless BENCH_SWEEPS=0.
set -euo pipefail
cd "$(dirname "$0")/.."
cli=${WORKBENCH_CLI:-bin/workbench}

dir=$(mktemp -d)
db=$dir/workbench.db
sweep() { # NAME [EARLY_TERMINATE]: writes the sweep file, runs it, prints its id last
    cat >"$dir/$1.yaml" <<YAML
# benchmarks/sweep-asha.sh: $1
spec: $PWD/configs/mnist-mlp.yaml
set: {train.epochs: 2, train.eval.every: 100}
method: grid
metric: {name: val/acc, goal: max}
parameters:
  train.optimizer.lr: {values: [1.0e-4, 3.0e-4, 1.0e-3, 3.0e-3, 1.0e-2, 3.0e-2]}
  model.hidden: {values: [[64], [200, 100, 75]]}
${2:-}
YAML
    local start=$(date +%s)
    CI=true "$cli" sweep "$dir/$1.yaml" --db "$db" 2>"$dir/$1.log" | tail -n 1 >"$dir/$1.id"
    echo $(( $(date +%s) - start )) >"$dir/$1.seconds"
}
sweep grid
sweep asha "early_terminate: {type: asha, min_steps: 50, reduction_factor: 3}"

for name in grid asha; do
    id=$(cat "$dir/$name.id")
    "$cli" sweep show "$id" --db "$db" --json >"$dir/$name.json"
    # A trial's steps: a completed trial's last logged step, a pruned one's pruned_step.
    for run in $(python3 -c 'import json,sys; [print(r) for t in json.load(open(sys.argv[1]))["trials"] for r in t["runs"].values()]' "$dir/$name.json"); do
        "$cli" export "$run" --db "$db" --format json >"$dir/export-$run.json"
        "$cli" show "$run" --db "$db" --json >"$dir/show-$run.json"
    done
done

python3 - "$dir" <<'PY'
import json, sys, pathlib
folder = pathlib.Path(sys.argv[1])
def steps(trial):
    if trial["pruned_step"] is not None:
        return trial["pruned_step"]
    run = next(iter(trial["runs"].values()))
    metrics = json.loads((folder / f"export-{run}.json").read_text())["metrics"]
    return max(metrics["train/loss"]["step"])
def test_acc(trial):
    run = next(iter(trial["runs"].values()))
    return json.loads((folder / f"show-{run}.json").read_text())["summary"].get("test/acc")
figures = {}
for name in ("grid", "asha"):
    sweep = json.loads((folder / f"{name}.json").read_text())
    best = sweep["best"]
    total = sum(steps(t) for t in sweep["trials"])
    seconds = int((folder / f"{name}.seconds").read_text())
    figures[name] = (best["score"], total)
    print(f"{name:4}  sweep {sweep['id']}  {sweep['counts']}  best val/acc {best['score']:.4f} (trial {best['number']}: "
          f"{', '.join(f'{k}={v}' for k, v in best['parameters'].items())}; test/acc {test_acc(best):.4f})  "
          f"{total} training steps  {seconds} s")
(grid_best, grid_steps), (asha_best, asha_steps) = figures["grid"], figures["asha"]
gap = (grid_best - asha_best) / grid_best
print(f"asha best is {gap * 100:.2f}% below the grid's ({'within' if gap <= 0.005 else 'NOT within'} 0.5%), "
      f"using {asha_steps / grid_steps:.2f} of the grid's training steps ({asha_steps} of {grid_steps})")
PY
