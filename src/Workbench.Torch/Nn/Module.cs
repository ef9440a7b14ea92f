// Module: a layer or model with named parameters, buffers and child modules (PyTorch's nn.Module).
//
// A module owns its parameters and buffers: they live outside any TensorScope and are disposed with
// the module. Names follow PyTorch's dotted paths ("blocks.0.attn.weight") so state dicts line up.
namespace Workbench.Torch.Nn;

public abstract class Module : IDisposable
{
    private readonly List<KeyValuePair<string, Tensor>> _parameters = [];
    private readonly List<KeyValuePair<string, Tensor>> _buffers = [];
    private readonly List<KeyValuePair<string, Module>> _children = [];
    private bool _disposed;

    public bool Training { get; private set; } = true;

    /// <summary>Registers a trainable tensor (requires_grad is set) under <paramref name="name"/>.</summary>
    protected Tensor RegisterParameter(string name, Tensor value)
    {
        CheckName(name);
        TensorScope.Forget(value);
        value.RequiresGrad = true;
        _parameters.Add(new(name, value));
        return value;
    }

    /// <summary>Registers a non-trainable tensor saved with the state (running statistics, masks).</summary>
    protected Tensor RegisterBuffer(string name, Tensor value)
    {
        CheckName(name);
        TensorScope.Forget(value);
        _buffers.Add(new(name, value));
        return value;
    }

    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        CheckName(name);
        _children.Add(new(name, module));
        return module;
    }

    public IEnumerable<KeyValuePair<string, Tensor>> NamedParameters() => Named(m => m._parameters);

    public IEnumerable<KeyValuePair<string, Tensor>> NamedBuffers() => Named(m => m._buffers);

    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Value);

    public IEnumerable<KeyValuePair<string, Module>> NamedChildren() => _children;

    /// <summary>Every module in the tree, this one first, with dotted names ("" for this one).</summary>
    public IEnumerable<KeyValuePair<string, Module>> NamedModules(string prefix = "")
    {
        yield return new(prefix, this);
        foreach (var (name, child) in _children)
            foreach (var m in child.NamedModules(Join(prefix, name))) yield return m;
    }

    /// <summary>Total number of trainable values.</summary>
    public long ParameterCount() => Parameters().Sum(p => p.NumElements);

    /// <summary>Parameters and buffers by dotted name. The tensors are the module's own (not copies).</summary>
    public IReadOnlyDictionary<string, Tensor> StateDict()
    {
        var state = new Dictionary<string, Tensor>();
        foreach (var (name, t) in NamedParameters()) state[name] = t;
        foreach (var (name, t) in NamedBuffers()) state[name] = t;
        return state;
    }

    /// <summary>Copies values into this module's tensors; with <paramref name="strict"/>, names and shapes must match exactly.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        var own = StateDict();
        if (strict)
        {
            var missing = own.Keys.Except(state.Keys).ToList();
            var unexpected = state.Keys.Except(own.Keys).ToList();
            if (missing.Count > 0 || unexpected.Count > 0)
                throw new ArgumentException(
                    $"state dict does not match the model: missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", unexpected)}]");
        }
        using var noGrad = new NoGrad();
        foreach (var (name, target) in own)
        {
            if (!state.TryGetValue(name, out var source)) continue;
            if (!source.Shape.SequenceEqual(target.Shape))
                throw new ArgumentException(
                    $"{name}: checkpoint has shape [{string.Join(", ", source.Shape)}], model has [{string.Join(", ", target.Shape)}]");
            target.CopyFrom_(source);
        }
    }

    /// <summary>Sets training mode here and in every child (dropout and batch norm read it).</summary>
    public void Train(bool training = true)
    {
        foreach (var (_, m) in NamedModules()) m.Training = training;
    }

    public void Eval() => Train(false);

    /// <summary>
    /// Evaluation mode and no gradient for any parameter: a frozen model (a reference or a scorer) that
    /// the optimizer never sees and backward never reaches.
    /// </summary>
    public void Freeze()
    {
        Eval();
        foreach (var p in Parameters()) p.RequiresGrad = false;
    }

    /// <summary>Moves every parameter and buffer to <paramref name="device"/>, keeping the same tensor handles.</summary>
    public void To(Device device) => Apply(t => t.To(device));

    /// <summary>Casts floating-point parameters and buffers to <paramref name="dtype"/>.</summary>
    public void To(ScalarType dtype) => Apply(t => t.DType.IsFloatingPoint() ? t.To(dtype) : t.Clone());

    /// <summary>Drops every parameter's gradient (zero_grad with set_to_none).</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.ClearGrad();
    }

    private void Apply(Func<Tensor, Tensor> convert)
    {
        using var noGrad = new NoGrad();
        foreach (var (_, t) in NamedParameters().Concat(NamedBuffers()))
        {
            using var converted = convert(t);
            t.SetData_(converted);
        }
    }

    private IEnumerable<KeyValuePair<string, Tensor>> Named(Func<Module, List<KeyValuePair<string, Tensor>>> select)
    {
        foreach (var (prefix, module) in NamedModules())
            foreach (var (name, t) in select(module)) yield return new(Join(prefix, name), t);
    }

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.'))
            throw new ArgumentException($"'{name}' is not a valid member name (non-empty, no dots)");
        if (_parameters.Any(p => p.Key == name) || _buffers.Any(b => b.Key == name) || _children.Any(c => c.Key == name))
            throw new ArgumentException($"'{name}' is already registered on {GetType().Name}");
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var (_, t) in _parameters) t.Dispose();
        foreach (var (_, t) in _buffers) t.Dispose();
        foreach (var (_, c) in _children) c.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>A module with one input and one output, the shape of most layers.</summary>
public abstract class Layer : Module
{
    public abstract Tensor Forward(Tensor input);
}
