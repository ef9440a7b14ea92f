// The resolved experiment spec: every default filled in, immutable, compared by value.
// Key names and meanings are the contract in docs/spec-reference.md.
namespace Workbench.Experiments.Specs;

public sealed record ExperimentSpec(
    string Name,
    long Seed,
    string Device,          // auto | cpu | cuda | cuda:N
    int? Threads,           // null: all cores
    string Precision,       // fp32 | bf16 | fp16
    string? Baseline,       // a run reference
    ValueList<string> Tags,
    string Notes,
    MetricSpec Metric,
    DataSpec Data,
    ModelSpec Model,
    TrainSpec Train,
    SampleSpec Sample);

/// <summary>The primary metric; <see cref="Goal"/> is "max" or "min".</summary>
public sealed record MetricSpec(string Name, string Goal);

/// <summary><paramref name="Tasks"/> is set for dataset `tasks` only.</summary>
public sealed record DataSpec(string Dataset, string? Path, SplitSpec Split, TokenizerSpec Tokenizer, TaskSpec? Tasks = null);

/// <summary>
/// The built-in task suite: which tasks, how hard, how many training problems and held-out problems (the
/// evaluation set), and how near a preference pair's rejected answer comes to the right one (0 to 1).
/// <paramref name="SkipProblems"/> training problems of the seed's stream are passed over before the
/// <paramref name="Problems"/> taken: an RL stage that skips what its SFT start trained on gets fresh draws.
/// </summary>
public sealed record TaskSpec(ValueList<string> Names, int Difficulty, int Problems, int EvalProblems, double Hardness, int SkipProblems = 0);

/// <summary>Fractions of the training data held out. A null <see cref="Test"/> means the dataset's official test set.</summary>
public sealed record SplitSpec(double Val, double? Test)
{
    public bool OfficialTest => Test is null;
}

public sealed record TokenizerSpec(string Kind, int? VocabSize);

public sealed record TrainSpec(
    string Stage,
    string? InitFrom,
    OptimizerSpec Optimizer,
    ScheduleSpec Schedule,
    int BatchSize,
    int GradAccum,
    int? Epochs,            // a supervised run with neither this nor MaxSteps resolves to 1 epoch
    int? MaxSteps,
    double? GradClip,
    int LogEvery,
    EvalSpec Eval,
    CheckpointSpec Checkpoint,
    StageSpec? Settings = null);   // train.<stage>: the stage's own keys, for stages that have some

public sealed record OptimizerSpec(string Name, double Lr, ValueList<double> Betas, double WeightDecay, double Momentum);

public sealed record ScheduleSpec(string Name, int WarmupSteps, double MinLr, int? StepSize, double Gamma);

/// <summary>A null <see cref="Batches"/> evaluates the whole split.</summary>
public sealed record EvalSpec(int Every, int? Batches);

public sealed record CheckpointSpec(int Every, int Keep);

public sealed record SampleSpec(string Prompt, int Tokens, double Temperature, int? TopK);
