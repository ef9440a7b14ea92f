// The one training loop every stage runs, read top to bottom like nanoGPT's train.py: stop on Ctrl-C
// with a checkpoint, lr for this step, one step, stop on a NaN/inf loss (or a stage's divergence limit),
// log, evaluate (a sweep trial may be pruned there), save best and interval checkpoints, report progress;
// after the last step the final checkpoint and the summary.
//
// The loop owns the cadence; a stage owns what a step and an evaluation are (ITrainingObjective):
//   Step(step, logging)  forward, backward and optimizer step(s); returns the loss and named metrics,
//                        and why the run must stop as diverged, if it must (GRPO's KL limit).
//                        A step may be several updates (PPO/GRPO: a rollout, then K updates on it).
//                        OptimizerStep.Run is the building block for one update; a data-parallel step
//                        all-reduces the gradients there, during the last backward and before the clip.
//   Evaluate(step)       named metrics (and a line for the user); `best` is saved when they include
//                        the spec's metric and it is the best so far, whichever stage evaluated it.
//   Finish(step)         what is measured once after training (supervised: the test split).
//   Trained              the named modules and optimizers that checkpoints hold and the lr drives.
//   Items                what a step consumes (samples, tokens): throughput, epoch and mfu follow.
//
// Data parallel (c.Parallel): every rank runs this loop in step; they start from rank 0's weights, agree
// after each step on the mean loss and on whether to stop (Ctrl-C reaches them at different moments),
// and only rank 0 writes checkpoints.
using System.Diagnostics;
using Workbench.Experiments.Building;
using Workbench.Experiments.Checkpoints;
using Workbench.Experiments.Stages;
using Workbench.Torch;
using Workbench.Tracking;

namespace Workbench.Experiments.Training;

public static class TrainingLoop
{
    public static StageResult Run(StageContext c, ITrainingObjective objective)
    {
        var train = c.Spec.Train;
        var metric = c.Spec.Metric.Name;   // what `best` is judged by
        var trained = objective.Trained;
        var items = objective.Items;
        var totalSteps = objective.TotalSteps;
        var schedule = OptimizerFactory.Schedule(train.Schedule, train.Optimizer.Lr, totalSteps);
        // The CPU's peak is a matmul probe: only run it when mfu will be logged.
        var peakFlops = items.FlopsEach > 0 ? DevicePeak.FlopsPerSecond(c.Device) : 0;
        var loss = new LossMeter();
        var step = Restore(c, objective, loss);
        if (c.Parallel is { } parallel)
        {
            parallel.BroadcastFromLeader(trained);
            // Dropout and sampling differ per rank; rank 0 keeps the single-process stream.
            if (!parallel.IsLeader) Torch.Torch.ManualSeed(DataParallel.RankSeed(c.Spec.Seed, parallel.Rank, step));
        }
        var stopping = false;   // data parallel: the ranks' agreement after the last step

        c.Observer.OnStart(c.Run.Id, c.Run.Name, totalSteps);
        c.Summary.Set("params", trained.Modules.Values.Sum(m => m.ParameterCount()));
        var timing = new StepTiming(skipFirst: 10);
        if (step == 0 && objective.EvaluatesAtStart)
        {
            var start = objective.Evaluate(0);
            foreach (var (name, value) in start.Metrics) c.Log(name, 0, value);
            if (start.Message is { } message) c.Observer.OnMessage($"step 0: {message}");
        }

        while (step < totalSteps)
        {
            // Ctrl-C lands between steps: checkpoint where we are, so `resume` continues exactly.
            if (c.Parallel is null ? c.Cancellation.IsCancellationRequested : stopping)
            {
                SaveStep(c, trained, items, step, loss, isBest: false);
                return new StageResult(RunStatus.Killed, $"interrupted at step {step}");
            }

            var lr = schedule.At(step);
            foreach (var optimizer in trained.Optimizers.Values) optimizer.SetLearningRate(lr);
            var logging = (step + 1) % train.LogEvery == 0 || step + 1 == totalSteps;
            var started = Stopwatch.GetTimestamp();
            var result = objective.Step(step, logging);
            if (c.Parallel is { } ranks)
            {
                var (meanLoss, stop) = ranks.Agree(result.Loss, c.Cancellation.IsCancellationRequested);
                (result, stopping) = (result with { Loss = meanLoss }, stop);
            }
            step++;
            timing.Add(Stopwatch.GetElapsedTime(started));

            // A NaN or infinite loss ends the run; the last checkpoint written is the last good one.
            if (!double.IsFinite(result.Loss))
            {
                c.Log("train/loss", step, result.Loss);
                return new StageResult(RunStatus.Diverged, $"the loss became {result.Loss} at step {step}; the last good checkpoint is kept");
            }
            loss.Add(result.Loss);

            double? itemsPerSecond = timing.MeanMs is { } ms ? items.PerStep * 1000.0 / ms : null;
            // A stage's own limit (max_kl of ppo and grpo): the step's figures are logged, so the chart shows what passed it.
            if (result.Diverged is { } reason)
            {
                c.Log("train/loss", step, result.Loss);
                foreach (var (name, value) in result.Metrics) c.Log(name, step, value);
                return new StageResult(RunStatus.Diverged, $"{reason} at step {step}; the last good checkpoint is kept");
            }

            if (logging)
            {
                c.Log("train/loss", step, loss.TakeMean());
                c.Log("lr", step, lr);
                if (!double.IsNaN(result.GradNorm)) c.Log("grad_norm", step, result.GradNorm);
                foreach (var (name, value) in result.Metrics) c.Log(name, step, value);
                c.Log("epoch", step, items.Epoch(step));
                if (itemsPerSecond is { } rate)
                {
                    c.Log($"{items.Unit}_per_s", step, rate);
                    if (peakFlops > 0) c.Log("mfu", step, rate * items.FlopsEach / peakFlops);
                }
            }

            // A sweep trial also evaluates at its pruning rule's rungs, and may stop there.
            var evaluating = step % train.Eval.Every == 0 || step == totalSteps || c.Pruning?.EvaluatesAt(step) == true;
            var improved = false;
            if (evaluating)
            {
                var evaluation = objective.Evaluate(step);
                foreach (var (name, value) in evaluation.Metrics) c.Log(name, step, value);
                improved = evaluation.Metrics.Any(m => m.Name == metric) && c.Summary.Best(metric) == c.Summary.Final(metric);
                if (evaluation.Message is { } message) c.Observer.OnMessage($"step {step}: {message}");
                if (c.Pruning is { } pruning && step < totalSteps && evaluation.Metrics.Any(m => m.Name == metric)
                    && pruning.ShouldStop(step, c.Summary.Final(metric)!.Value))
                {
                    c.Observer.OnMessage($"step {step}: pruned: {metric} {c.Summary.Final(metric):G6} is not among the best trials' at this step");
                    return new StageResult(RunStatus.Pruned, $"pruned at step {step}");
                }
            }
            if (logging || evaluating)
                c.Observer.OnProgress(new Runs.TrainingProgress(step, totalSteps, items.Epoch(step), c.Summary.Final("train/loss"),
                    metric, c.Summary.Final(metric), itemsPerSecond, items.Unit));

            if (improved || (step % train.Checkpoint.Every == 0 && step < totalSteps))
                SaveStep(c, trained, items, step, loss, improved);
        }

        objective.Finish(step);
        if (c.Writes) c.Checkpoints.SaveFinal(trained, State(c, items, step, loss));
        if (timing.MeanMs is { } mean)
        {
            c.Summary.Set("step_ms", mean);
            c.Summary.Set($"{items.Unit}_per_s", items.PerStep * 1000.0 / mean);
        }
        if (c.Parallel?.AllReduceMs is { } allReduce) c.Summary.Set("allreduce_ms", allReduce);
        c.Observer.OnEnd();
        return new StageResult(RunStatus.Finished);
    }

    /// <summary>
    /// On resume, loads the checkpoint's modules, optimizers, RNG and loss-meter state and returns its step;
    /// on a fresh start loads the init_from weights, if any, and returns 0.
    /// </summary>
    private static long Restore(StageContext c, ITrainingObjective objective, LossMeter loss)
    {
        var trained = objective.Trained;
        if (c.ResumeFrom is not { } checkpoint)
        {
            if (c.InitialWeights != null) objective.Initialize(c.InitialWeights);
            return 0;
        }
        checkpoint.LoadInto(trained);
        RngState.FromBytes(Convert.FromBase64String(checkpoint.State.RngState)).Restore();
        loss.Restore(checkpoint.State.LossSum, checkpoint.State.LossCount);
        return checkpoint.State.Step;
    }

    // Only the process that writes the run saves (rank 0 of a data-parallel run): the replicas are identical.
    private static void SaveStep(StageContext c, TrainedModules trained, TrainingItems items, long step, LossMeter loss, bool isBest)
    {
        if (c.Writes) c.Checkpoints.SaveStep(trained, State(c, items, step, loss), isBest);
    }

    private static CheckpointState State(StageContext c, TrainingItems items, long step, LossMeter loss)
    {
        var (epoch, stepInEpoch) = items.Position(step);
        return new CheckpointState(step, epoch, stepInEpoch, Convert.ToBase64String(RngState.Capture().ToBytes()),
            c.Summary.Final(c.Spec.Metric.Name), loss.Sum, loss.Count);
    }
}
