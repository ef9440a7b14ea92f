// Checkpoints on disk: what a run saves comes back intact, a NaN metric included, and a damaged
// checkpoint is a clear error instead of a crash.
using Workbench.Experiments.Checkpoints;
using Workbench.Experiments.Training;
using Workbench.Torch;
using Workbench.Torch.Nn;
using Workbench.Torch.Optim;

namespace Workbench.Experiments.Tests.Checkpoints;

public sealed class CheckpointStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wb-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_checkpoint_whose_metric_is_nan_saves_and_loads_back()
    {
        using var model = new Linear(3, 2);
        using var optimizer = new Adam(model.Parameters().ToList(), 1e-3);
        var store = new CheckpointStore(_dir, keep: 2);
        var state = new CheckpointState(7, 1, 3, "", double.NaN, 1.5, 2);

        store.SaveStep(TrainedModules.Of(model, optimizer), state, isBest: false);
        using var loaded = CheckpointStore.Load(store.LatestStep()!);

        Assert.Equal(7, loaded.State.Step);
        Assert.True(double.IsNaN(loaded.State.Metric!.Value));
        Assert.Equal(model.StateDict().Keys.Order(), loaded.Model.Keys.Order());
    }

    [Fact]
    public void Keeps_only_the_last_k_step_checkpoints()
    {
        using var model = new Linear(2, 1);
        using var optimizer = new Sgd(model.Parameters().ToList(), 0.1);
        var store = new CheckpointStore(_dir, keep: 2);

        foreach (var step in new[] { 10L, 20, 30 })
            store.SaveStep(TrainedModules.Of(model, optimizer), new CheckpointState(step, 0, step, "", 0.5, 0, 0), isBest: step == 20);

        var names = Directory.GetDirectories(store.Root).Select(d => Path.GetFileName(d)!).Order().ToArray();
        Assert.Equal(["best", "step-00000020", "step-00000030"], names);
    }

    [Fact]
    public void A_damaged_state_file_is_a_checkpoint_error_naming_the_folder()
    {
        using var model = new Linear(2, 1);
        using var optimizer = new Sgd(model.Parameters().ToList(), 0.1);
        var store = new CheckpointStore(_dir, keep: 1);
        var folder = store.SaveStep(TrainedModules.Of(model, optimizer), new CheckpointState(1, 0, 1, "", null, 0, 0), isBest: false);
        File.WriteAllText(Path.Combine(folder, "state.json"), "{ not json");

        var error = Assert.Throws<CheckpointException>(() => CheckpointStore.Load(folder));

        Assert.Contains(folder, error.Message);
    }

    [Fact]
    public void Several_named_modules_and_optimizers_come_back_into_a_run_that_trains_the_same_names()
    {
        using var policy = new Linear(3, 2);
        using var value = new Linear(3, 1);
        using var policyOpt = new Adam(policy.Parameters().ToList(), 1e-3);
        using var valueOpt = new Sgd(value.Parameters().ToList(), 0.1, momentum: 0.9);
        using (var x = Tensor.Ones([4, 3]))
        {
            // A step so the optimizers have state worth restoring.
            using var lossP = policy.Forward(x).Sum();
            using var lossV = value.Forward(x).Sum();
            lossP.Backward();
            lossV.Backward();
            policyOpt.Step();
            valueOpt.Step();
        }
        var trained = new TrainedModules(new Dictionary<string, Module> { ["model"] = policy, ["value_head"] = value },
            new Dictionary<string, Optimizer> { ["optimizer"] = policyOpt, ["value_optimizer"] = valueOpt });
        var folder = new CheckpointStore(_dir, keep: 1).SaveStep(trained, new CheckpointState(3, 0, 3, "", null, 0, 0), isBest: false);

        Assert.Equal(["model.safetensors", "optimizer.safetensors", "state.json", "value_head.safetensors", "value_optimizer.safetensors"],
            Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using var policy2 = new Linear(3, 2);
        using var value2 = new Linear(3, 1);
        using var policyOpt2 = new Adam(policy2.Parameters().ToList(), 1e-3);
        using var valueOpt2 = new Sgd(value2.Parameters().ToList(), 0.1, momentum: 0.9);
        var restored = new TrainedModules(new Dictionary<string, Module> { ["model"] = policy2, ["value_head"] = value2 },
            new Dictionary<string, Optimizer> { ["optimizer"] = policyOpt2, ["value_optimizer"] = valueOpt2 });
        using (var checkpoint = CheckpointStore.Load(folder)) checkpoint.LoadInto(restored);

        AssertSameTensors(value.StateDict(), value2.StateDict());
        AssertSameTensors(policy.StateDict(), policy2.StateDict());
        AssertSameTensors(valueOpt.StateDict(), valueOpt2.StateDict());
        AssertSameTensors(policyOpt.StateDict(), policyOpt2.StateDict());
        using var weightsOnly = CheckpointStore.LoadModules(folder, null, "value_head");
        Assert.Empty(weightsOnly.Optimizers);
        Assert.Equal(["value_head"], weightsOnly.Modules.Keys);
    }

    [Fact]
    public void A_checkpoint_of_other_module_names_is_refused_by_name()
    {
        using var model = new Linear(2, 1);
        using var optimizer = new Sgd(model.Parameters().ToList(), 0.1);
        var folder = new CheckpointStore(_dir, keep: 1).SaveStep(TrainedModules.Of(model, optimizer), new CheckpointState(1, 0, 1, "", null, 0, 0), isBest: false);
        using var head = new Linear(2, 1);
        using var headOpt = new Sgd(head.Parameters().ToList(), 0.1);
        var wider = new TrainedModules(new Dictionary<string, Module> { ["model"] = model, ["value_head"] = head },
            new Dictionary<string, Optimizer> { ["optimizer"] = optimizer, ["value_optimizer"] = headOpt });

        using var checkpoint = CheckpointStore.Load(folder);
        var error = Assert.Throws<CheckpointException>(() => checkpoint.LoadInto(wider));

        Assert.Contains("value_head", error.Message);
        Assert.Contains(folder, error.Message);
    }

    [Fact]
    public void A_checkpoint_written_before_named_modules_loads_as_model_and_optimizer()
    {
        using var model = new Linear(2, 1);
        using var optimizer = new Sgd(model.Parameters().ToList(), 0.1);
        var folder = new CheckpointStore(_dir, keep: 1).SaveStep(TrainedModules.Of(model, optimizer), new CheckpointState(5, 0, 5, "", 0.25, 1, 1), isBest: false);
        // Before named modules, state.json had no "Modules" or "Optimizers".
        var state = Path.Combine(folder, "state.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(state))!.AsObject();
        json.Remove("Modules");
        json.Remove("Optimizers");
        File.WriteAllText(state, json.ToJsonString());

        using var checkpoint = CheckpointStore.Load(folder);

        Assert.Equal(["model"], checkpoint.Modules.Keys);
        Assert.Equal(["optimizer"], checkpoint.Optimizers.Keys);
        Assert.Equal(5, checkpoint.State.Step);
    }

    [Theory]
    [InlineData("optimizer", "optimizer")]
    [InlineData("model", "Bad Name")]
    public void Module_and_optimizer_names_must_differ_and_make_file_names(string moduleName, string optimizerName)
    {
        using var model = new Linear(2, 1);
        using var other = new Linear(2, 1);
        using var optimizer = new Sgd(model.Parameters().ToList(), 0.1);
        Assert.Throws<ArgumentException>(() => new TrainedModules(
            new Dictionary<string, Module> { ["model"] = model, [moduleName] = other },
            new Dictionary<string, Optimizer> { [optimizerName] = optimizer }));
    }

    private static void AssertSameTensors(IReadOnlyDictionary<string, Tensor> expected, IReadOnlyDictionary<string, Tensor> actual)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, tensor) in expected)
        {
            // Adam's step counter is int64; the rest float32.
            using var a = tensor.To(ScalarType.Float64);
            using var b = actual[name].To(ScalarType.Float64);
            Assert.Equal(a.ToArray<double>(), b.ToArray<double>());
        }
    }
}
