// Thrown when a spec cannot be loaded; carries every problem found, not only the first.
namespace Workbench.Experiments.Specs;

public sealed class SpecException : Exception
{
    public SpecException(IReadOnlyList<SpecError> errors)
        : base(string.Join(Environment.NewLine, errors.Select(e => e.ToString())))
    {
        Errors = errors;
    }

    /// <summary>Every problem, ordered by file, line and column.</summary>
    public IReadOnlyList<SpecError> Errors { get; }
}
