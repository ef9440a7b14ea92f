// A per-step scope: tensors created on this thread while it is open are disposed when it closes.
//
//   using (TensorScope.Begin()) { var loss = model.Forward(x) ...; }   // every temporary freed here
//
// Keep a result beyond the scope with scope.Keep(t) (it moves to the enclosing scope, or to none).
namespace Workbench.Torch;

public sealed class TensorScope : IDisposable
{
    [ThreadStatic] private static TensorScope? _current;

    private readonly TensorScope? _outer;
    private readonly List<Tensor> _owned = [];
    private bool _disposed;

    private TensorScope(TensorScope? outer) => _outer = outer;

    internal static TensorScope? Current => _current;

    public static TensorScope Begin() => _current = new TensorScope(_current);

    internal void Register(Tensor t)
    {
        _owned.Add(t);
        t.Scope = this;
    }

    /// <summary>Moves <paramref name="t"/> out of this scope (into the enclosing one, if any) and returns it.</summary>
    public Tensor Keep(Tensor t)
    {
        if (Release(t)) _outer?.Register(t);
        return t;
    }

    /// <summary>Takes <paramref name="t"/> out of every scope: its owner (a module, an optimizer) disposes it.</summary>
    internal static void Forget(Tensor t) => t.Scope?.Release(t);

    private bool Release(Tensor t)
    {
        var index = _owned.LastIndexOf(t);
        if (index < 0) return false;
        _owned.RemoveAt(index);
        t.Scope = null;
        return true;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var t in _owned) t.Dispose();
        _owned.Clear();
        // Scopes close in order; a scope disposed out of order still restores its own parent.
        if (ReferenceEquals(_current, this)) _current = _outer;
    }
}
