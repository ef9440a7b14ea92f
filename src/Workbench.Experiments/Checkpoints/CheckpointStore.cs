// A run's checkpoints: runs/<id>/checkpoints/{step-NNNNNNNN, best, final}/, each holding one
// safetensors file per named module and optimizer (a one-model run: model.safetensors and
// optimizer.safetensors) and state.json, which lists the names. A checkpoint is written into a
// temporary folder and renamed into place, so a crash never leaves a half-written one; only the last
// `keep` step checkpoints are kept, plus best (by the primary metric) and final.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Workbench.Experiments.Training;
using Workbench.Torch;

namespace Workbench.Experiments.Checkpoints;

/// <summary>
/// Everything but the tensors: where training stands, so that a resumed run continues exactly, and the
/// names of the modules and optimizers whose files the checkpoint holds (null in checkpoints written
/// before there could be several: one `model` and one `optimizer`).
/// </summary>
public sealed record CheckpointState(
    long Step,
    long Epoch,
    long BatchInEpoch,
    string RngState,
    double? Metric,
    double LossSum,
    long LossCount,
    IReadOnlyList<string>? Modules = null,
    IReadOnlyList<string>? Optimizers = null);

/// <summary>A loaded checkpoint: each module's and optimizer's tensors by name.</summary>
public sealed record Checkpoint(
    string Path,
    IReadOnlyDictionary<string, Dictionary<string, Tensor>> Modules,
    IReadOnlyDictionary<string, Dictionary<string, Tensor>> Optimizers,
    CheckpointState State) : IDisposable
{
    /// <summary>The weights of the module named `model`: what init_from, sample and a next stage start from.</summary>
    public Dictionary<string, Tensor> Model => Module(TrainedModules.ModelName);

    public Dictionary<string, Tensor> Module(string name) =>
        Modules.TryGetValue(name, out var tensors) ? tensors
            : throw new CheckpointException($"checkpoint {Path} holds no module '{name}' (it holds {string.Join(", ", Modules.Keys)})");

    /// <summary>
    /// Copies every module's weights and every optimizer's state into <paramref name="trained"/>. A name
    /// either side lacks, or weights of another architecture, is a CheckpointException naming this folder.
    /// </summary>
    public void LoadInto(TrainedModules trained)
    {
        if (!Modules.Keys.Order().SequenceEqual(trained.Modules.Keys.Order()) || !Optimizers.Keys.Order().SequenceEqual(trained.Optimizers.Keys.Order()))
            throw new CheckpointException($"checkpoint {Path} holds modules [{string.Join(", ", Modules.Keys)}] and optimizers " +
                                          $"[{string.Join(", ", Optimizers.Keys)}]; the run trains [{string.Join(", ", trained.Modules.Keys)}] " +
                                          $"and [{string.Join(", ", trained.Optimizers.Keys)}]");
        try
        {
            foreach (var (name, module) in trained.Modules) module.LoadStateDict(Modules[name]);
            foreach (var (name, optimizer) in trained.Optimizers) optimizer.LoadStateDict(Optimizers[name]);
        }
        catch (ArgumentException e)
        {
            throw new CheckpointException($"checkpoint {Path} does not fit the run's model: {e.Message}", e);
        }
    }

    public void Dispose()
    {
        foreach (var tensors in Modules.Values.Concat(Optimizers.Values))
            foreach (var t in tensors.Values) t.Dispose();
    }
}

/// <summary>A checkpoint is missing or unreadable: the message names the folder and the problem.</summary>
public sealed class CheckpointException(string message, Exception? inner = null) : Exception(message, inner);

public sealed class CheckpointStore
{
    public const string Best = "best";
    public const string Final = "final";
    private const string StepPrefix = "step-";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private readonly int _keep;

    public CheckpointStore(string runDirectory, int keep)
    {
        Root = Path.Combine(runDirectory, "checkpoints");
        _keep = Math.Max(1, keep);
    }

    public string Root { get; }

    /// <summary>
    /// Runs before each checkpoint is written. The runner flushes the run's metrics here, so every point a
    /// checkpoint covers is in the database before the checkpoint exists: a run killed hard (SIGKILL) and
    /// resumed from it then has the same series as one never interrupted.
    /// </summary>
    public Action? BeforeSave { get; init; }

    /// <summary>Saves a step checkpoint, optionally also as best, and prunes older step checkpoints.</summary>
    public string SaveStep(TrainedModules trained, CheckpointState state, bool isBest)
    {
        var name = StepPrefix + state.Step.ToString("D8", CultureInfo.InvariantCulture);
        var path = Write(name, trained, state);
        if (isBest) CopyAs(path, Best);
        foreach (var old in StepFolders().SkipLast(_keep)) Directory.Delete(old, recursive: true);
        return path;
    }

    /// <summary>Marks the newest checkpoint as the run's final weights (what init_from, sample and reports load).</summary>
    public string SaveFinal(TrainedModules trained, CheckpointState state) => Write(Final, trained, state);

    /// <summary>The newest step checkpoint, or null when none was written.</summary>
    public string? LatestStep() => StepFolders().LastOrDefault();

    public string PathOf(string name) => Path.Combine(Root, name);

    /// <summary>Loads every module and optimizer the checkpoint lists.</summary>
    public static Checkpoint Load(string folder, Device? device = null) => Load(folder, device, modulesOnly: null);

    /// <summary>Loads only the named modules (the weights a later run needs), no optimizer state.</summary>
    public static Checkpoint LoadModules(string folder, Device? device, params string[] names) => Load(folder, device, names);

    private static Checkpoint Load(string folder, Device? device, string[]? modulesOnly)
    {
        if (!Directory.Exists(folder)) throw new CheckpointException($"checkpoint {folder} does not exist");
        var modules = new Dictionary<string, Dictionary<string, Tensor>>();
        var optimizers = new Dictionary<string, Dictionary<string, Tensor>>();
        try
        {
            var state = JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(Path.Combine(folder, "state.json")), Json)
                ?? throw new CheckpointException($"{folder}/state.json is empty");
            var moduleNames = state.Modules ?? [TrainedModules.ModelName];
            foreach (var name in modulesOnly ?? [.. moduleNames])
            {
                if (!moduleNames.Contains(name))
                    throw new CheckpointException($"checkpoint {folder} holds no module '{name}' (it holds {string.Join(", ", moduleNames)})");
                modules[name] = SafeTensors.Load(FileOf(folder, name), device);
            }
            if (modulesOnly is null)
                foreach (var name in state.Optimizers ?? [TrainedModules.OptimizerName])
                    optimizers[name] = SafeTensors.Load(FileOf(folder, name), device);
            return new Checkpoint(folder, modules, optimizers, state);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException or CheckpointException)
        {
            foreach (var tensors in modules.Values.Concat(optimizers.Values))
                foreach (var t in tensors.Values) t.Dispose();
            throw e as CheckpointException ?? new CheckpointException($"checkpoint {folder} cannot be read: {e.Message}", e);
        }
    }

    private static string FileOf(string folder, string name) => Path.Combine(folder, name + ".safetensors");

    private string Write(string name, TrainedModules trained, CheckpointState state)
    {
        BeforeSave?.Invoke();
        Directory.CreateDirectory(Root);
        var temp = Path.Combine(Root, $".tmp-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try
        {
            foreach (var (module, value) in trained.Modules) SafeTensors.Save(FileOf(temp, module), value.StateDict());
            foreach (var (optimizer, value) in trained.Optimizers)
            {
                var tensors = value.StateDict();
                try { SafeTensors.Save(FileOf(temp, optimizer), tensors); }
                finally { foreach (var t in tensors.Values) t.Dispose(); }
            }
            state = state with { Modules = [.. trained.Modules.Keys], Optimizers = [.. trained.Optimizers.Keys] };
            AtomicFile.WriteAllText(Path.Combine(temp, "state.json"), JsonSerializer.Serialize(state, Json));
            return Replace(temp, name);
        }
        catch
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            throw;
        }
    }

    private void CopyAs(string source, string name)
    {
        var temp = Path.Combine(Root, $".tmp-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        foreach (var file in Directory.GetFiles(source)) File.Copy(file, Path.Combine(temp, Path.GetFileName(file)));
        Replace(temp, name);
    }

    // Swaps a finished temporary folder into place: the old one is moved aside first, then deleted.
    private string Replace(string temp, string name)
    {
        var target = Path.Combine(Root, name);
        string? aside = null;
        if (Directory.Exists(target))
        {
            aside = Path.Combine(Root, $".old-{name}-{Guid.NewGuid():N}");
            Directory.Move(target, aside);
        }
        Directory.Move(temp, target);
        if (aside != null) Directory.Delete(aside, recursive: true);
        return target;
    }

    private IEnumerable<string> StepFolders() =>
        Directory.Exists(Root)
            ? Directory.GetDirectories(Root, StepPrefix + "*").Order(StringComparer.Ordinal)
            : [];
}
