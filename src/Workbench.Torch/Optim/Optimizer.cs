// The optimizer base: parameter groups, per-parameter state (PyTorch's optimizer.state), the step
// loop, and saving/restoring that state. Each optimizer only says how one parameter is updated.
//
// State dict keys follow PyTorch's layout, flattened for safetensors: "step" (optimizer steps taken),
// "param_groups.<g>.lr", and per parameter "state.<i>.step" and "state.<i>.<buffer>" (exp_avg,
// exp_avg_sq, momentum_buffer), where i counts parameters across groups in order.
namespace Workbench.Torch.Optim;

public abstract class Optimizer : IDisposable
{
    private readonly OptimizerGroup[] _groups;
    private readonly Tensor[] _parameters;
    private readonly ParameterState?[] _state;
    private bool _disposed;

    private protected Optimizer(IEnumerable<ParameterGroup> groups, Hyperparameters defaults)
    {
        var resolved = new List<OptimizerGroup>();
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var g in groups)
        {
            var values = defaults.With(g);
            values.Validate(resolved.Count);
            foreach (var p in g.Parameters)
            {
                if (!seen.Add(p))
                    throw new ArgumentException($"parameter group {resolved.Count}: a parameter appears more than once across the groups");
            }
            resolved.Add(new OptimizerGroup(g.Parameters.ToArray(), values));
        }
        if (seen.Count == 0) throw new ArgumentException("the optimizer was given no parameters");
        _groups = resolved.ToArray();
        _parameters = _groups.SelectMany(g => g.Parameters).ToArray();
        _state = new ParameterState?[_parameters.Length];
    }

    /// <summary>Optimizer steps taken (Step calls), the x axis of the training curves.</summary>
    public long StepCount { get; private set; }

    public IReadOnlyList<OptimizerGroup> Groups => _groups;

    /// <summary>Every parameter across the groups, in state-dict order.</summary>
    public IReadOnlyList<Tensor> Parameters => _parameters;

    /// <summary>The per-parameter buffers this optimizer keeps, by their PyTorch state names.</summary>
    protected abstract IReadOnlyList<string> BufferNames { get; }

    /// <summary>Updates one parameter in place from its gradient; runs under NoGrad in a scope that frees temporaries.</summary>
    private protected abstract void Update(OptimizerGroup group, Tensor parameter, Tensor grad, ParameterState state);

    /// <summary>
    /// Updates a group's parameters that have a gradient (their step counts already incremented). One
    /// Update each by default; an optimizer with a multi-tensor kernel updates them in one native call.
    /// </summary>
    private protected virtual void UpdateGroup(OptimizerGroup group, IReadOnlyList<(Tensor Parameter, Tensor Grad, ParameterState State)> items)
    {
        foreach (var (p, grad, state) in items) Update(group, p, grad, state);
    }

    /// <summary>Applies one update to every parameter that has a gradient.</summary>
    public void Step()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var noGrad = new NoGrad();
        using var scope = TensorScope.Begin();
        var index = 0;
        var items = new List<(Tensor, Tensor, ParameterState)>();
        foreach (var group in _groups)
        {
            items.Clear();
            foreach (var p in group.Parameters)
            {
                var i = index++;
                var grad = p.Grad();
                if (grad is null) continue;
                var state = _state[i] ??= new ParameterState();
                state.Step++;
                items.Add((p, grad, state));
            }
            UpdateGroup(group, items);
        }
        StepCount++;
    }

    /// <summary>Drops every parameter's gradient (zero_grad with set_to_none).</summary>
    public void ZeroGrad()
    {
        foreach (var p in _parameters) p.ClearGrad();
    }

    /// <summary>Sets the learning rate of every group (the schedule calls this before each step).</summary>
    public void SetLearningRate(double learningRate)
    {
        foreach (var g in _groups) g.LearningRate = learningRate;
    }

    /// <summary>
    /// A snapshot of the optimizer's state as new tensors the caller owns (they join the current
    /// TensorScope, if any), ready for SafeTensors.Save.
    /// </summary>
    public Dictionary<string, Tensor> StateDict()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var result = new Dictionary<string, Tensor> { ["step"] = Tensor.Scalar(StepCount, ScalarType.Int64) };
        for (var g = 0; g < _groups.Length; g++)
            result[$"param_groups.{g}.lr"] = Tensor.Scalar(_groups[g].LearningRate, ScalarType.Float64);
        for (var i = 0; i < _state.Length; i++)
        {
            if (_state[i] is not { } state) continue;
            result[$"state.{i}.step"] = Tensor.Scalar(state.Step, ScalarType.Int64);
            foreach (var (name, buffer) in state.Buffers) result[$"state.{i}.{name}"] = buffer.Clone();
        }
        return result;
    }

    /// <summary>
    /// Restores a state written by <see cref="StateDict"/> of the same kind of optimizer over the same
    /// parameters. Every key is checked before anything changes, so a rejected dict leaves this optimizer as it was.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> stateDict)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        long? stepCount = null;
        var rates = new Dictionary<int, double>();
        var steps = new Dictionary<int, long>();
        var buffers = new List<(int Index, string Name, Tensor Source)>();
        foreach (var (key, tensor) in stateDict.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            var parts = key.Split('.');
            if (parts is ["step"])
                stepCount = ReadCount(key, tensor);
            else if (parts is ["param_groups", var g, "lr"] && int.TryParse(g, out var group) && group >= 0 && group < _groups.Length)
                rates[group] = tensor.Item();
            else if (parts is ["state", var p, var name] && int.TryParse(p, out var index) && index >= 0 && index < _parameters.Length)
            {
                if (name == "step") steps[index] = ReadCount(key, tensor);
                else if (BufferNames.Contains(name))
                {
                    if (!tensor.Shape.SequenceEqual(_parameters[index].Shape))
                        throw new ArgumentException(
                            $"optimizer state '{key}' has shape [{string.Join(", ", tensor.Shape)}] but parameter {index} has [{string.Join(", ", _parameters[index].Shape)}]");
                    buffers.Add((index, name, tensor));
                }
                else throw UnknownKey(key);
            }
            else throw UnknownKey(key);
        }
        if (stepCount is null) throw new ArgumentException("optimizer state has no 'step' entry; it was not written by Optimizer.StateDict");

        foreach (var (g, rate) in rates) _groups[g].LearningRate = rate;
        ClearState();
        foreach (var (index, step) in steps) (_state[index] ??= new ParameterState()).Step = step;
        foreach (var (index, name, source) in buffers)
        {
            var p = _parameters[index];
            var copy = source.To(p.DType, p.Device, copy: true);
            TensorScope.Forget(copy);
            (_state[index] ??= new ParameterState()).Buffers[name] = copy;
        }
        StepCount = stepCount.Value;
    }

    private ArgumentException UnknownKey(string key) => new(
        $"optimizer state has an unexpected entry '{key}' for {GetType().Name} over {_parameters.Length} parameters in " +
        $"{_groups.Length} group(s) (expected step, param_groups.<g>.lr, state.<i>.step, state.<i>.{{{string.Join(",", BufferNames)}}})");

    private static long ReadCount(string key, Tensor t)
    {
        var value = t.Item();
        if (value < 0 || value != Math.Floor(value)) throw new ArgumentException($"optimizer state '{key}' is {value}, not a step count");
        return (long)value;
    }

    private void ClearState()
    {
        for (var i = 0; i < _state.Length; i++)
        {
            if (_state[i] is { } s) foreach (var b in s.Buffers.Values) b.Dispose();
            _state[i] = null;
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        ClearState();
        GC.SuppressFinalize(this);
    }

    /// <summary>What the optimizer remembers about one parameter: its update count and named buffers.</summary>
    private protected sealed class ParameterState
    {
        public long Step;
        public readonly Dictionary<string, Tensor> Buffers = [];

        /// <summary>The named buffer, created by <paramref name="create"/> on first use and owned by the optimizer.</summary>
        public Tensor Buffer(string name, Func<Tensor> create)
        {
            if (Buffers.TryGetValue(name, out var b)) return b;
            b = create();
            TensorScope.Forget(b);
            Buffers[name] = b;
            return b;
        }
    }
}
