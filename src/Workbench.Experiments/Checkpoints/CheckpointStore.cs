// A run's checkpoints: runs/<id>/checkpoints/{step-NNNNNNNN, best, final}/, each holding
// model.safetensors, optimizer.safetensors and state.json. A checkpoint is written into a temporary
// folder and renamed into place, so a crash never leaves a half-written one; only the last `keep`
// step checkpoints are kept, plus best (by the primary metric) and final.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Workbench.Torch;
using Workbench.Torch.Nn;
using Workbench.Torch.Optim;

namespace Workbench.Experiments.Checkpoints;

/// <summary>Everything but the tensors: where training stands, so that a resumed run continues exactly.</summary>
public sealed record CheckpointState(
    long Step,
    long Epoch,
    long BatchInEpoch,
    string RngState,
    double? Metric,
    double LossSum,
    long LossCount);

public sealed record Checkpoint(
    string Path,
    Dictionary<string, Tensor> Model,
    Dictionary<string, Tensor> Optimizer,
    CheckpointState State) : IDisposable
{
    /// <summary>Copies the weights into <paramref name="model"/>; weights of another architecture are a CheckpointException naming this folder.</summary>
    public void LoadModelInto(Module model)
    {
        try
        {
            model.LoadStateDict(Model);
        }
        catch (ArgumentException e)
        {
            throw new CheckpointException($"checkpoint {Path} does not fit the run's model: {e.Message}", e);
        }
    }

    public void Dispose()
    {
        foreach (var t in Model.Values) t.Dispose();
        foreach (var t in Optimizer.Values) t.Dispose();
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
    public string SaveStep(IReadOnlyDictionary<string, Tensor> model, Optimizer optimizer, CheckpointState state, bool isBest)
    {
        var name = StepPrefix + state.Step.ToString("D8", CultureInfo.InvariantCulture);
        var path = Write(name, model, optimizer, state);
        if (isBest) CopyAs(path, Best);
        foreach (var old in StepFolders().SkipLast(_keep)) Directory.Delete(old, recursive: true);
        return path;
    }

    /// <summary>Marks the newest checkpoint as the run's final weights (what init_from, sample and reports load).</summary>
    public string SaveFinal(IReadOnlyDictionary<string, Tensor> model, Optimizer optimizer, CheckpointState state) =>
        Write(Final, model, optimizer, state);

    /// <summary>The newest step checkpoint, or null when none was written.</summary>
    public string? LatestStep() => StepFolders().LastOrDefault();

    public string PathOf(string name) => Path.Combine(Root, name);

    public static Checkpoint Load(string folder, Device? device = null)
    {
        if (!Directory.Exists(folder)) throw new CheckpointException($"checkpoint {folder} does not exist");
        Dictionary<string, Tensor>? model = null;
        try
        {
            var state = JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(Path.Combine(folder, "state.json")), Json)
                ?? throw new CheckpointException($"{folder}/state.json is empty");
            model = SafeTensors.Load(Path.Combine(folder, "model.safetensors"), device);
            var optimizer = SafeTensors.Load(Path.Combine(folder, "optimizer.safetensors"), device);
            return new Checkpoint(folder, model, optimizer, state);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            if (model != null) foreach (var t in model.Values) t.Dispose();
            throw new CheckpointException($"checkpoint {folder} cannot be read: {e.Message}", e);
        }
    }

    private string Write(string name, IReadOnlyDictionary<string, Tensor> model, Optimizer optimizer, CheckpointState state)
    {
        BeforeSave?.Invoke();
        Directory.CreateDirectory(Root);
        var temp = Path.Combine(Root, $".tmp-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        var optimizerState = optimizer.StateDict();
        try
        {
            SafeTensors.Save(Path.Combine(temp, "model.safetensors"), model);
            SafeTensors.Save(Path.Combine(temp, "optimizer.safetensors"), optimizerState);
            AtomicFile.WriteAllText(Path.Combine(temp, "state.json"), JsonSerializer.Serialize(state, Json));
            return Replace(temp, name);
        }
        catch
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            throw;
        }
        finally
        {
            foreach (var t in optimizerState.Values) t.Dispose();
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
