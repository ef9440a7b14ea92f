// Turns a merged spec tree into the resolved ExperimentSpec: checks every key, type and range,
// fills every default (some depend on the dataset, model kind or stage) and runs the cross-field
// checks. Problems are collected, never thrown, so one pass reports them all.
using System.Text.RegularExpressions;
using Workbench.Data.Tasks;
using Workbench.Data.Tokenizers;
using Workbench.Experiments.Catalog;
using Workbench.Tracking;

namespace Workbench.Experiments.Specs;

internal static partial class SpecResolver
{
    private static readonly string[] DataKeys = ["dataset", "path", "split", "tokenizer"];
    private static readonly string[] TaskKeys = ["tasks", "difficulty", "problems", "eval_problems", "hardness", "skip_problems"];
    private static readonly string[] TrainKeys =
        ["stage", "init_from", "optimizer", "schedule", "batch_size", "grad_accum", "epochs", "max_steps", "grad_clip", "log_every", "eval", "checkpoint"];

    public static readonly string[] RootKeys =
        ["name", "extends", "seed", "device", "threads", "precision", "baseline", "tags", "notes", "metric", "data", "model", "train", "sample"];

    /// <summary>The resolved spec; problems go to <paramref name="errors"/>, and with a <paramref name="log"/> every key read is noted there.</summary>
    public static ExperimentSpec Resolve(MappingNode root, List<SpecError> errors, SpecKeyLog? log = null)
    {
        var top = SpecSection.Root(root, errors, log);
        top.CheckKeys(RootKeys);

        var name = top.RequiredText("name", "missing; every spec needs a `name`");
        if (name.Contains('@')) top.Error("name", "must not contain `@` (run references use it: name@best)");
        var seed = top.Long("seed", 1337, Bound.NonNegative);
        var device = top.Choice("device", "auto", ["auto", "cpu", "cuda"], "device",
                                alsoAccept: d => CudaOrdinal().IsMatch(d), expected: "auto, cpu, cuda or cuda:N");
        var threads = top.OptionalInt("threads", Bound.AtLeast(1));
        var precision = top.Choice("precision", "fp32", SpecCatalog.Precisions, "precision");
        if (precision == "fp16")
            top.Error("precision", "fp16 needs loss scaling (a gradient scaler), which is not built yet; use bf16, which needs none " +
                                   "(CPUs, and NVIDIA GPUs from Ampere on)");
        var baseline = top.OptionalText("baseline");
        var tags = top.TextList("tags");
        var notes = top.Text("notes", "");

        var dataSection = top.Section("data", [.. DataKeys, .. TaskKeys]);
        var data = ReadData(dataSection);
        var modelSection = top.Section("model");
        var model = ReadModel(modelSection, dataSection, data.Dataset);
        var trainSection = top.Section("train", [.. TrainKeys, .. StageTable.Names]);
        var train = ReadTrain(trainSection, model.Kind, data.Dataset, kindRejected: modelSection.Rejected("kind"),
                              datasetRejected: dataSection.Rejected("dataset"));
        var metric = ReadMetric(top, train.Stage, data.Dataset);
        var sample = ReadSample(top.Section("sample", "prompt", "tokens", "temperature", "top_k"));

        return new ExperimentSpec(name, seed, device, threads, precision, baseline, tags, notes, metric, data, model, train, sample);
    }

    private static DataSpec ReadData(SpecSection data)
    {
        var dataset = data.Choice("dataset", DatasetTable.Names[0], DatasetTable.Names, "dataset");
        var path = data.OptionalText("path");
        if (DatasetTable.Get(dataset).NeedsPath && path is null && !data.Rejected("dataset"))
            data.Error("path", $"dataset `{dataset}` needs data.path, the file to train on", pointAt: data.Has("path") ? null : "dataset");
        var tasks = dataset == "tasks" ? ReadTasks(data) : null;
        if (dataset != "tasks" && !data.Rejected("dataset"))
            foreach (var key in TaskKeys.Where(data.Has))
                data.Error(key, $"`{key}` applies to dataset `tasks` only (this spec reads `{dataset}`)");

        var split = data.Section("split", "val", "test");
        var truthTable = SpecCatalog.IsTruthTable(dataset);
        var val = split.Number("val", truthTable ? 0.0 : 0.1, Bound.Fraction);
        double? test = SpecCatalog.HasOfficialTest(dataset) ? null : 0.0;
        if (split.IsWord("test", "official"))
        {
            if (!SpecCatalog.HasOfficialTest(dataset))
                split.Error("test", $"dataset `{dataset}` has no official test set; give a fraction or leave test out");
        }
        else if (split.OptionalNumber("test", Bound.Fraction) is { } fraction)
        {
            test = fraction;
        }
        if (truthTable && (val != 0 || test is not (null or 0.0)))
            split.Error(split.Has("val") && val != 0 ? "val" : "test",
                        $"dataset `{dataset}` has four rows and trains and evaluates on all of them; its split fractions must be 0");
        else if (val + (test ?? 0) >= 1)
            split.Error("test", $"val + test must be < 1 (got {val} + {test}), or nothing is left to train on");

        var tokenizer = data.Section("tokenizer", "kind", "vocab_size");
        var kind = tokenizer.Choice("kind", "char", SpecCatalog.TokenizerKinds, "tokenizer kind");
        var vocab = tokenizer.OptionalInt("vocab_size", Bound.AtLeast(2));
        if (kind == "bpe" && vocab is null && !tokenizer.Has("vocab_size"))
            tokenizer.Error("vocab_size", "a bpe tokenizer needs vocab_size (the vocabulary it learns)");
        if (kind == "bpe" && vocab < BpeTokenizer.MinimumVocabSize)
            tokenizer.Error("vocab_size", $"a byte-level bpe vocabulary holds all 256 bytes and {BpeTokenizer.MinimumVocabSize - 256} special tokens " +
                                          $"before its first merge, so vocab_size must be >= {BpeTokenizer.MinimumVocabSize}, got {vocab}");
        if (kind == "gpt2" && vocab is not (null or Gpt2Tokenizer.Gpt2VocabSize))
            tokenizer.Error("vocab_size", $"gpt2 is GPT-2's fixed vocabulary of {Gpt2Tokenizer.Gpt2VocabSize} tokens; leave vocab_size out or set it " +
                                          $"to {Gpt2Tokenizer.Gpt2VocabSize}, got {vocab}");
        if (kind == "gpt2") vocab = Gpt2Tokenizer.Gpt2VocabSize;

        return new DataSpec(dataset, path, new SplitSpec(val, test), new TokenizerSpec(kind, vocab), tasks);
    }

    private static TaskSpec ReadTasks(SpecSection data)
    {
        var known = TaskSuite.All.Select(t => t.Name).ToList();
        var names = data.TextList("tasks");
        foreach (var name in names.Where(n => !known.Contains(n)).Distinct())
            data.Error("tasks", $"unknown task `{name}`{DidYouMean.Hint(name, known)} (the tasks are {string.Join(", ", known)})");
        if (names.Distinct().Count() != names.Count) data.Error("tasks", "a task is listed twice; each task gets an equal share already");
        if (data.Has("tasks") && names.Count == 0) data.Error("tasks", $"the list is empty; name some of {string.Join(", ", known)}, or leave it out for all");
        return new TaskSpec(
            names.Count > 0 ? names : new ValueList<string>(known),
            data.Int("difficulty", 1, new Bound($"in 1-{TaskSuite.MaxDifficulty}", v => v is >= 1 and <= TaskSuite.MaxDifficulty)),
            data.Int("problems", 20_000, Bound.AtLeast(1)),
            data.Int("eval_problems", 200, Bound.AtLeast(1)),
            data.Number("hardness", 0.5, new Bound("in [0, 1]", v => v is >= 0 and <= 1)),
            data.Int("skip_problems", 0, Bound.NonNegative));
    }

    private static ModelSpec ReadModel(SpecSection model, SpecSection data, string dataset)
    {
        var kind = ModelKindTable.Get(model.Choice("kind", ModelKindTable.Names[0], ModelKindTable.Names, "model kind"));
        if (model.Rejected("kind"))
        {
            // Which keys fit depends on the kind; with none known, only keys no kind takes are reported.
            model.CheckKeys(ModelKindTable.All.SelectMany(k => k.Keys).Prepend("kind").ToHashSet());
            return kind.Read(model.Detached());
        }
        model.CheckKeys(kind.Keys.Prepend("kind").ToList(), key => ForeignModelKey(key, kind.Name));

        var fits = SpecCatalog.KindsFor(dataset);
        if (!data.Rejected("dataset") && !fits.Contains(kind.Name))
        {
            var message = $"model kind `{kind.Name}` does not fit dataset `{dataset}` (it takes {string.Join(", ", fits)})";
            if (model.Has("kind")) model.Error("kind", message);
            else data.Error("dataset", message + "; set model.kind");
        }
        return kind.Read(model);
    }

    private static string? ForeignModelKey(string key, string kind)
    {
        var takers = ModelKindTable.All.Where(k => k.Keys.Contains(key)).Select(k => k.Name).ToList();
        return takers.Count == 0 ? null
            : $"model kind `{kind}` does not take `{key}`; it is a key of {string.Join(", ", takers)}";
    }

    private static TrainSpec ReadTrain(SpecSection train, string kind, string dataset, bool kindRejected, bool datasetRejected)
    {
        var positive = Bound.AtLeast(1);
        var stage = ReadStage(train, kind, dataset, kindRejected, datasetRejected);
        var initFrom = train.OptionalText("init_from");

        var opt = train.Section("optimizer", "name", "lr", "betas", "weight_decay", "momentum");
        var optimizer = new OptimizerSpec(
            opt.Choice("name", "adam", SpecCatalog.Optimizers, "optimizer"),
            opt.Number("lr", 1e-3, Bound.Positive),
            opt.NumberList("betas", ValueList.Of(0.9, 0.999), Bound.Fraction),
            opt.Number("weight_decay", 0.0, Bound.NonNegative),
            opt.Number("momentum", 0.0, Bound.Fraction));

        var sched = train.Section("schedule", "name", "warmup_steps", "min_lr", "step_size", "gamma");
        var schedule = new ScheduleSpec(
            sched.Choice("name", "constant", SpecCatalog.Schedules, "schedule"),
            sched.Int("warmup_steps", 0, Bound.NonNegative),
            sched.Number("min_lr", 0.0, Bound.NonNegative),
            sched.OptionalInt("step_size", positive),
            sched.Number("gamma", 0.1, Bound.Positive));
        if (schedule.Name == "step" && schedule.StepSize is null && !sched.Has("step_size"))
            sched.Error("name", "the step schedule needs schedule.step_size (steps between lr drops)");

        var batchSize = train.Int("batch_size", 128, positive);
        var gradAccum = train.Int("grad_accum", 1, positive);
        if (batchSize % gradAccum != 0)
            train.Error("grad_accum", $"must divide batch_size ({batchSize}) into equal micro-batches, got {gradAccum}");

        var epochs = train.OptionalInt("epochs", positive);
        var maxSteps = train.OptionalInt("max_steps", positive);
        if (stage == "pretrain" && maxSteps is null && !train.Has("max_steps"))
            train.Error("max_steps", "missing; a pretrain run needs max_steps (its length in optimizer steps)");
        if (stage != "pretrain" && epochs is null && maxSteps is null && !train.Has("epochs") && !train.Has("max_steps"))
            epochs = 1;
        if (schedule.Name is "linear" or "cosine" && maxSteps is { } steps && schedule.WarmupSteps >= steps)
            sched.Error("warmup_steps", $"must be below train.max_steps ({steps}): the {schedule.Name} decay runs after warmup, got {schedule.WarmupSteps}");

        var gradClip = train.OptionalNumber("grad_clip", Bound.Positive);
        var logEvery = train.Int("log_every", 10, positive);
        var ev = train.Section("eval", "every", "batches");
        var eval = new EvalSpec(ev.Int("every", 200, positive), ev.OptionalInt("batches", positive));
        var ck = train.Section("checkpoint", "every", "keep");
        var checkpoint = new CheckpointSpec(ck.Int("every", 1000, positive), ck.Int("keep", 2, positive));

        var settings = ReadStageSpec(train, stage);
        var spec = new TrainSpec(stage, initFrom, optimizer, schedule, batchSize, gradAccum, epochs, maxSteps,
                                 gradClip, logEvery, eval, checkpoint, settings);
        settings?.Check(train.Section(stage), spec);
        return spec;
    }

    // train.<stage>: the spec's own stage reads its keys; another stage's section is a mistake worth naming.
    private static StageSpec? ReadStageSpec(SpecSection train, string stage)
    {
        foreach (var other in StageTable.Names.Where(s => s != stage && train.Has(s)))
            train.Error(other, $"`train.{other}` holds stage {other}'s keys; this spec's stage is `{stage}`");
        var definition = StageTable.Get(stage);
        if (definition.ReadSettings is not { } read)
        {
            if (train.Has(stage)) train.Error(stage, $"stage `{stage}` has no keys of its own");
            return null;
        }
        return read(train.Section(stage, [.. definition.Keys]));
    }

    private static string ReadStage(SpecSection train, string kind, string dataset, bool kindRejected, bool datasetRejected)
    {
        var fits = ModelKindTable.Get(kind).Stage;
        var stage = StageTable.Get(train.Choice("stage", fits, StageTable.Names, "stage"));
        if (train.Rejected("stage")) return fits;
        if (!stage.Built)
        {
            train.Error("stage", $"stage `{stage.Name}` is not built yet (built: {string.Join(", ", StageTable.BuiltNames)})");
            return fits;
        }
        if (!kindRejected && !stage.Kinds.Contains(kind))
            train.Error("stage", $"stage `{stage.Name}` does not train model kind `{kind}` (it trains {string.Join(", ", stage.Kinds)}); " +
                                 $"`{kind}` trains from scratch with `{fits}`");
        else if (!datasetRejected && !stage.Datasets.Contains(dataset))
            train.Error("stage", $"stage `{stage.Name}` does not read dataset `{dataset}` (it reads {string.Join(", ", stage.Datasets)})");
        return stage.Name;
    }

    private static MetricSpec ReadMetric(SpecSection top, string stage, string dataset)
    {
        var fallback = SpecCatalog.DefaultMetric(stage, dataset);
        var evaluated = SpecCatalog.EvalMetrics(stage, dataset).Select(d => d.Name).OrderBy(n => n != fallback).ToList();
        var listed = string.Join(", ", evaluated);
        var byDefault = new MetricSpec(fallback, GoalOf(fallback));
        if (!top.Has("metric")) return byDefault;
        var metric = top.Section("metric", "name", "goal");
        var name = metric.RequiredText("name", $"missing; a metric needs its `name` (stage `{stage}` evaluates {listed})",
                                       allowed: "a metric the stage evaluates (see Metrics)");
        if (name.Length == 0) return byDefault;
        // A name the stage never logs would leave the run without a best checkpoint, silently.
        if (MetricTable.Catalog.Find(name) is not { } definition)
        {
            // The nearest metric this stage evaluates, else the nearest in the table (a misspelt `rewards/margin`).
            var near = DidYouMean.Suggest(name, evaluated) ?? DidYouMean.Suggest(name, MetricTable.Catalog.Definitions.Select(d => d.Name));
            metric.Error("name", $"unknown metric `{name}`{(near is null ? "" : $"; did you mean `{near}`?")} " +
                                 $"(stage `{stage}` on `{dataset}` evaluates {listed}; docs/spec-reference.md lists every metric)");
            return byDefault;
        }
        if (!SpecCatalog.Evaluates(definition, stage, dataset))
        {
            metric.Error("name", $"stage `{stage}` on `{dataset}` does not evaluate `{name}`{DidYouMean.Hint(name, evaluated)} (it evaluates {listed})");
            return byDefault;
        }
        // A loss is minimised and an accuracy maximised; the summary's best/ values follow the same rule.
        // Every metric a stage evaluates has a direction (MetricTableTests holds the table to that).
        var natural = definition.Goal.ToName();
        var goal = metric.Choice("goal", natural, SpecCatalog.MetricGoals, "metric goal");
        if (goal != natural)
            metric.Error("goal", $"`{name}` is best at its {(natural == "min" ? "lowest" : "highest")}, so its goal is `{natural}`, not `{goal}`");
        return new MetricSpec(name, natural);
    }

    private static string GoalOf(string metric) => MetricTable.Catalog.GoalOf(metric).ToName();

    private static SampleSpec ReadSample(SpecSection sample) => new(
        sample.Text("prompt", ""),
        sample.Int("tokens", 200, Bound.AtLeast(1)),
        sample.Number("temperature", 1.0, Bound.Positive),
        sample.OptionalInt("top_k", Bound.AtLeast(1)));

    [GeneratedRegex(@"^cuda:[0-9]+$")]
    private static partial Regex CudaOrdinal();
}
