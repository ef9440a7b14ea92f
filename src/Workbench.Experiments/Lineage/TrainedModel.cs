// A finished run as a model later work builds on: its resolved spec, its tokenizer (language models)
// and its final weights, loaded by run reference. train.init_from, `sample`, and the frozen reference
// and reward models of later stages all load runs through here, so weights, tokenizer and spec always
// come from the same run, and a later stage reuses the tokenizer its weights were trained under.
using Workbench.Data.Tokenizers;
using Workbench.Experiments.Checkpoints;
using Workbench.Experiments.Runs;
using Workbench.Experiments.Specs;
using Workbench.Experiments.Stages;
using Workbench.Experiments.Training;
using Workbench.Torch;
using Workbench.Torch.Nn;
using Workbench.Tracking;

namespace Workbench.Experiments.Lineage;

public sealed class TrainedModel : IDisposable
{
    /// <summary>Where a language-model run keeps its tokenizer, beside its checkpoints.</summary>
    public const string TokenizerFile = "tokenizer.json";

    private TrainedModel(RunRecord run, ExperimentSpec spec, ITokenizer? tokenizer, Dictionary<string, Tensor> weights)
    {
        Run = run;
        Spec = spec;
        Tokenizer = tokenizer;
        Weights = weights;
    }

    public RunRecord Run { get; }

    /// <summary>The run's resolved spec, as stored.</summary>
    public ExperimentSpec Spec { get; }

    /// <summary>The tokenizer the weights were trained under; null for models that read no text.</summary>
    public ITokenizer? Tokenizer { get; }

    /// <summary>The final weights of the run's `model` module.</summary>
    public IReadOnlyDictionary<string, Tensor> Weights { get; }

    /// <summary>
    /// Resolves <paramref name="reference"/> (id, name, name@latest, name@best) and loads that run's final
    /// weights onto <paramref name="device"/>. Problems are RunSetupExceptions that start with
    /// <paramref name="use"/> (the key or argument that asked for the run).
    /// </summary>
    public static TrainedModel Load(RunStore store, string reference, Device device, string use)
    {
        RunRecord run;
        try { run = store.Resolve(reference); }
        catch (RunStoreException e) { throw new RunSetupException($"{use}: {e.Message}"); }
        return Load(run, device, use);
    }

    public static TrainedModel Load(RunRecord run, Device device, string use)
    {
        if (run.FolderNotHere() is { } elsewhere) throw new RunSetupException($"{use}: {elsewhere}");
        var folder = new CheckpointStore(run.RunDir, 1).PathOf(CheckpointStore.Final);
        if (!Directory.Exists(folder))
            throw new RunSetupException($"{use}: run {run.Id} has no final weights (it is {run.EffectiveStatus.ToString().ToLowerInvariant()})");
        var spec = SpecLoader.FromJson(run.ConfigJson);
        var tokenizer = spec.Model is LanguageModelSpec ? LoadTokenizer(run, use) : null;
        Checkpoint checkpoint;
        try { checkpoint = CheckpointStore.LoadModules(folder, device, TrainedModules.ModelName); }
        catch (CheckpointException e) { throw new RunSetupException($"{use}: {e.Message}"); }
        return new TrainedModel(run, spec, tokenizer, checkpoint.Model);
    }

    /// <summary>The run's model, built from its spec with these weights, on <paramref name="device"/>.</summary>
    public Layer Build(Device device)
    {
        if (Spec.Train.Stage == "reward")
            throw new RunSetupException($"run {Run.Id} is a reward model (stage reward): it scores text and does not generate it");
        Layer model = Spec.Model switch
        {
            LanguageModelSpec language => language.Build(Tokenizer!.VocabSize),
            _ => throw new RunSetupException($"run {Run.Id} trains a {Spec.Model.Kind}, which a later run cannot load by itself"),
        };
        model.To(device);
        model.LoadStateDict(Weights);
        return model;
    }

    /// <summary>
    /// Records the text a language-model run trains on (its content hash and the tokenizer's) and writes the
    /// tokenizer beside its checkpoints, where <see cref="Load(RunRecord, Device, string)"/> reads it.
    /// </summary>
    public static void RecordText(StageContext c, string contentHash, ITokenizer tokenizer)
    {
        c.RecordData(contentHash, tokenizer.Hash);
        var path = Path.Combine(c.Run.RunDir, TokenizerFile);
        AtomicFile.WriteAllText(path, tokenizer.Export());     // a layout other tools read too; Tokenizer.Load reads it back
        c.Store.AddArtifact(c.Run.Id, path, "tokenizer");
        c.Summary.Set("vocab_size", tokenizer.VocabSize);
    }

    public void Dispose()
    {
        foreach (var t in Weights.Values) t.Dispose();
    }

    private static ITokenizer LoadTokenizer(RunRecord run, string use)
    {
        var path = Path.Combine(run.RunDir, TokenizerFile);
        try
        {
            return Workbench.Data.Tokenizers.Tokenizer.Load(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TokenizerFormatException)
        {
            throw new RunSetupException($"{use}: {path} cannot be read (run {run.Id}'s tokenizer): {e.Message}");
        }
    }
}
