// Turns a merged spec tree into the resolved ExperimentSpec: checks every key, type and range,
// fills every default (some depend on the dataset, model kind or stage) and runs the cross-field
// checks. Problems are collected, never thrown, so one pass reports them all.
using System.Text.RegularExpressions;
using Workbench.Data.Tokenizers;
using Workbench.Experiments.Catalog;
using Workbench.Tracking;

namespace Workbench.Experiments.Specs;

internal static partial class SpecResolver
{
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

        var dataSection = top.Section("data", "dataset", "path", "split", "tokenizer");
        var data = ReadData(dataSection);
        var modelSection = top.Section("model");
        var model = ReadModel(modelSection, dataSection, data.Dataset);
        var trainSection = top.Section("train", "stage", "init_from", "optimizer", "schedule", "batch_size", "grad_accum",
                                       "epochs", "max_steps", "grad_clip", "log_every", "eval", "checkpoint");
        var train = ReadTrain(trainSection, model.Kind, kindRejected: modelSection.Rejected("kind"));
        var metric = ReadMetric(top, train.Stage, data.Dataset);
        var sample = ReadSample(top.Section("sample", "prompt", "tokens", "temperature", "top_k"));

        return new ExperimentSpec(name, seed, device, threads, precision, baseline, tags, notes, metric, data, model, train, sample);
    }

    private static DataSpec ReadData(SpecSection data)
    {
        var dataset = data.Choice("dataset", "mnist", SpecCatalog.Datasets, "dataset");
        var path = data.OptionalText("path");
        if (dataset == "text" && path is null)
            data.Error("path", "dataset `text` needs data.path, the text file to train on", pointAt: data.Has("path") ? null : "dataset");

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

        return new DataSpec(dataset, path, new SplitSpec(val, test), new TokenizerSpec(kind, vocab));
    }

    private static ModelSpec ReadModel(SpecSection model, SpecSection data, string dataset)
    {
        var kind = model.Choice("kind", "mlp", SpecCatalog.ModelKinds, "model kind");
        if (model.Rejected("kind"))
        {
            // Which keys fit depends on the kind; with none known, only keys no kind takes are reported.
            model.CheckKeys(SpecCatalog.ModelKinds.SelectMany(SpecCatalog.ModelKeys).Prepend("kind").ToHashSet());
            return new ModelSpec(kind);
        }
        var allowed = SpecCatalog.ModelKeys(kind).Prepend("kind").ToList();
        model.CheckKeys(allowed, key => ForeignModelKey(key, kind));

        var fits = SpecCatalog.KindsFor(dataset);
        if (!data.Rejected("dataset") && !fits.Contains(kind))
        {
            var message = $"model kind `{kind}` does not fit dataset `{dataset}` (it takes {string.Join(", ", fits)})";
            if (model.Has("kind")) model.Error("kind", message);
            else data.Error("dataset", message + "; set model.kind");
        }

        var positive = Bound.AtLeast(1);
        return kind switch
        {
            "mlp" => new ModelSpec(kind,
                Hidden: model.IntList("hidden", ValueList.Of(200, 100, 75), positive),
                Activation: Activation(model, "relu"),
                Dropout: model.Number("dropout", 0.0, Bound.Fraction)),
            "cnn" => new ModelSpec(kind,
                Channels: model.IntList("channels", ValueList.Of(32, 64), positive),
                Kernel: model.Int("kernel", 3, positive),
                Pool: model.Int("pool", 2, positive),
                Hidden: model.IntList("hidden", ValueList.Of(128), positive),
                Activation: Activation(model, "relu"),
                Dropout: model.Number("dropout", 0.0, Bound.Fraction)),
            "perceptron" => new ModelSpec(kind,
                Hidden: ValueList.Of(model.Int("hidden", 2, positive)),
                Activation: Activation(model, "sigmoid")),
            "char-mlp" => new ModelSpec(kind,
                BlockSize: model.Int("block_size", 3, positive),
                NEmbd: model.Int("n_embd", 10, positive),
                Hidden: model.IntList("hidden", ValueList.Of(200), positive),
                BatchNorm: model.Bool("batch_norm", false),
                Activation: Activation(model, "tanh")),
            "gpt" => ReadGpt(model),
            _ => new ModelSpec(kind),
        };
    }

    private static ModelSpec ReadGpt(SpecSection model)
    {
        var positive = Bound.AtLeast(1);
        var spec = new ModelSpec("gpt",
            NLayer: model.Int("n_layer", 4, positive),
            NHead: model.Int("n_head", 4, positive),
            NEmbd: model.Int("n_embd", 128, positive),
            BlockSize: model.Int("block_size", 64, positive),
            Dropout: model.Number("dropout", 0.0, Bound.Fraction),
            Bias: model.Bool("bias", false));
        if (spec.NEmbd % spec.NHead != 0)
            model.Error(model.Has("n_embd") ? "n_embd" : "n_head",
                        $"n_embd ({spec.NEmbd}) must be divisible by n_head ({spec.NHead}): each head gets n_embd / n_head channels");
        return spec;
    }

    private static string Activation(SpecSection model, string fallback) =>
        model.Choice("activation", fallback, SpecCatalog.Activations, "activation");

    private static string? ForeignModelKey(string key, string kind)
    {
        var takers = SpecCatalog.ModelKinds.Where(k => SpecCatalog.ModelKeys(k).Contains(key)).ToList();
        return takers.Count == 0 ? null
            : $"model kind `{kind}` does not take `{key}`; it is a key of {string.Join(", ", takers)}";
    }

    private static TrainSpec ReadTrain(SpecSection train, string kind, bool kindRejected)
    {
        var positive = Bound.AtLeast(1);
        var stage = ReadStage(train, kind, kindRejected);
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
        if (stage == "supervised" && epochs is null && maxSteps is null && !train.Has("epochs") && !train.Has("max_steps"))
            epochs = 1;
        if (schedule.Name is "linear" or "cosine" && maxSteps is { } steps && schedule.WarmupSteps >= steps)
            sched.Error("warmup_steps", $"must be below train.max_steps ({steps}): the {schedule.Name} decay runs after warmup, got {schedule.WarmupSteps}");

        var gradClip = train.OptionalNumber("grad_clip", Bound.Positive);
        var logEvery = train.Int("log_every", 10, positive);
        var ev = train.Section("eval", "every", "batches");
        var eval = new EvalSpec(ev.Int("every", 200, positive), ev.OptionalInt("batches", positive));
        var ck = train.Section("checkpoint", "every", "keep");
        var checkpoint = new CheckpointSpec(ck.Int("every", 1000, positive), ck.Int("keep", 2, positive));

        return new TrainSpec(stage, initFrom, optimizer, schedule, batchSize, gradAccum, epochs, maxSteps,
                             gradClip, logEvery, eval, checkpoint);
    }

    private static string ReadStage(SpecSection train, string kind, bool kindRejected)
    {
        var fits = SpecCatalog.StageFor(kind);
        var known = SpecCatalog.BuiltStages.Concat(SpecCatalog.PlannedStages).ToList();
        var stage = train.Choice("stage", fits, known, "stage");
        if (SpecCatalog.PlannedStages.Contains(stage))
        {
            train.Error("stage", $"stage `{stage}` is not built yet (built: {string.Join(", ", SpecCatalog.BuiltStages)})");
            return fits;
        }
        if (stage != fits && !kindRejected)
            train.Error("stage", $"stage `{stage}` does not train model kind `{kind}`; `{kind}` trains with `{fits}`");
        return stage;
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
