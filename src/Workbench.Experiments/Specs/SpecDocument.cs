// The resolved spec as a plain ordered tree of key/value pairs, in a fixed order (name, run settings,
// metric, data, model, train, sample). SpecYaml writes it as is; SpecJson sorts the keys. Values are null, bool, long, double,
// string, a list of values, or a nested Mapping.
using System.Globalization;
using System.Text;

namespace Workbench.Experiments.Specs;

internal sealed class Mapping : List<KeyValuePair<string, object?>>
{
    public void Add(string key, object? value) => Add(new KeyValuePair<string, object?>(key, value));
}

internal static class SpecDocument
{
    public static Mapping Of(ExperimentSpec spec) => new()
    {
        { "name", spec.Name },
        { "seed", spec.Seed },
        { "device", spec.Device },
        { "threads", Int(spec.Threads) },
        { "precision", spec.Precision },
        { "baseline", spec.Baseline },
        { "tags", spec.Tags.Cast<object?>().ToList() },
        { "notes", spec.Notes },
        { "metric", new Mapping { { "name", spec.Metric.Name }, { "goal", spec.Metric.Goal } } },
        { "data", Data(spec.Data) },
        { "model", Model(spec.Model) },
        { "train", Train(spec.Train) },
        { "sample", new Mapping
            {
                { "prompt", spec.Sample.Prompt },
                { "tokens", (long)spec.Sample.Tokens },
                { "temperature", spec.Sample.Temperature },
                { "top_k", Int(spec.Sample.TopK) },
            } },
    };

    /// <summary>A number in shortest round-trip form, invariant culture; integral values carry no ".0".</summary>
    public static string Number(object value) => value switch
    {
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => throw new ArgumentException($"not a number: {value}"),
    };

    /// <summary>A double-quoted string with JSON escapes, which YAML double-quoted strings also read.</summary>
    public static string Quote(string text)
    {
        var sb = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case < ' ' or '\u007f' or '\u0085' or '\u2028' or '\u2029' or '\ufeff':
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: sb.Append(c); break;
            }
        }
        return sb.Append('"').ToString();
    }

    private static object? Int(int? value) => value is { } v ? (long)v : null;

    /// <summary>
    /// Keys a document leaves out while they hold their default, so the specs (and hashes) of runs from before
    /// the key are as they were; the spec reference gives these defaults.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, object?> OmittedAtDefault = new Dictionary<string, object?> { ["data.skip_problems"] = 0L };

    private static Mapping Data(DataSpec data)
    {
        var map = new Mapping
        {
            { "dataset", data.Dataset },
            { "path", data.Path },
            { "split", new Mapping { { "val", data.Split.Val }, { "test", data.Split.Test is { } t ? t : "official" } } },
            { "tokenizer", new Mapping { { "kind", data.Tokenizer.Kind }, { "vocab_size", Int(data.Tokenizer.VocabSize) } } },
        };
        // Only the task suite has these keys: other datasets' documents (and so their hashes) are as they were.
        if (data.Tasks is { } tasks)
        {
            map.Add("tasks", tasks.Names.Cast<object?>().ToList());
            map.Add("difficulty", (long)tasks.Difficulty);
            map.Add("problems", (long)tasks.Problems);
            map.Add("eval_problems", (long)tasks.EvalProblems);
            map.Add("hardness", tasks.Hardness);
            if (tasks.SkipProblems != 0) map.Add("skip_problems", (long)tasks.SkipProblems);
        }
        return map;
    }

    private static Mapping Model(ModelSpec model)
    {
        var map = new Mapping { { "kind", model.Kind } };
        model.Write(map);
        return map;
    }

    private static Mapping Train(TrainSpec train) => new Mapping
    {
        { "stage", train.Stage },
        { "init_from", train.InitFrom },
        { "optimizer", new Mapping
            {
                { "name", train.Optimizer.Name },
                { "lr", train.Optimizer.Lr },
                { "betas", train.Optimizer.Betas.Select(b => (object?)b).ToList() },
                { "weight_decay", train.Optimizer.WeightDecay },
                { "momentum", train.Optimizer.Momentum },
            } },
        { "schedule", new Mapping
            {
                { "name", train.Schedule.Name },
                { "warmup_steps", (long)train.Schedule.WarmupSteps },
                { "min_lr", train.Schedule.MinLr },
                { "step_size", Int(train.Schedule.StepSize) },
                { "gamma", train.Schedule.Gamma },
            } },
        { "batch_size", (long)train.BatchSize },
        { "grad_accum", (long)train.GradAccum },
        { "epochs", Int(train.Epochs) },
        { "max_steps", Int(train.MaxSteps) },
        { "grad_clip", train.GradClip },
        { "log_every", (long)train.LogEvery },
        { "eval", new Mapping { { "every", (long)train.Eval.Every }, { "batches", Int(train.Eval.Batches) } } },
        { "checkpoint", new Mapping { { "every", (long)train.Checkpoint.Every }, { "keep", (long)train.Checkpoint.Keep } } },
    }.With(train.Stage, train.Settings);

    // train.<stage> for a stage with keys of its own; nothing for the others, whose documents stay as they were.
    private static Mapping With(this Mapping map, string stage, StageSpec? settings)
    {
        if (settings is null) return map;
        var own = new Mapping();
        settings.Write(own);
        map.Add(stage, own);
        return map;
    }
}
