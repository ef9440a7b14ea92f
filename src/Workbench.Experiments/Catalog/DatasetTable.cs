// The dataset catalog: every name `data.dataset` takes, with the family of data it is (which decides
// the model kinds and stages that can read it) and what its splits are. A new dataset is one line here
// plus its loader; a name missing from the table is an error, never a default.
namespace Workbench.Experiments.Catalog;

/// <summary>What a dataset's rows are, and so which model kinds can take them.</summary>
public enum DataFamily
{
    Image,        // labelled images (mnist)
    TruthTable,   // the four rows of a two-input boolean function, trained and evaluated on all of them
    Regression,   // real-valued features and target
    Text,         // a token stream or lines of text
    Chat,         // conversations (prompt and answer) in the chat template; pretraining reads them as text
}

/// <param name="OfficialTest">The dataset ships its own test set, used unless data.split.test gives a fraction.</param>
/// <param name="NeedsPath">data.path names the user's file to read.</param>
public sealed record DatasetDefinition(string Name, DataFamily Family, string Meaning, bool OfficialTest = false, bool NeedsPath = false)
{
    /// <summary>Supervised training on it classifies (cross-entropy, accuracy) rather than regresses.</summary>
    public bool Classifies => Family is DataFamily.Image or DataFamily.TruthTable;
}

public static class DatasetTable
{
    public static IReadOnlyList<DatasetDefinition> All { get; } =
    [
        new("mnist", DataFamily.Image, "handwritten digits, 28x28 grey, 10 classes; 60,000 train and 10,000 official test images", OfficialTest: true),
        new("xor", DataFamily.TruthTable, "exclusive or of two bits: the perceptron's counter-example"),
        new("or", DataFamily.TruthTable, "inclusive or of two bits"),
        new("and", DataFamily.TruthTable, "and of two bits"),
        new("linreg", DataFamily.Regression, "noisy samples of a random linear function (the gradient-descent exercise)"),
        new("names", DataFamily.Text, "makemore's 32,033 names, one per line"),
        new("sotu", DataFamily.Text, "State of the Union addresses, as one text"),
        new("text", DataFamily.Text, "a UTF-8 text file of your own (data.path)", NeedsPath: true),
        new("tasks", DataFamily.Chat, "the built-in verifiable tasks (arithmetic, word puzzles), generated from the seed; held out by content"),
        new("jsonl", DataFamily.Chat, "a JSONL file in TRL's shapes: {prompt, completion} or {messages} (sft), {prompt, chosen, rejected} (reward, dpo)",
            NeedsPath: true),
    ];

    public static IReadOnlyList<string> Names { get; } = All.Select(d => d.Name).ToList();

    /// <summary>The named dataset; a name the table does not hold is a programming error here (specs check names first).</summary>
    public static DatasetDefinition Get(string name) =>
        All.FirstOrDefault(d => d.Name == name) ?? throw new KeyNotFoundException($"dataset `{name}` is not in the catalog (known: {string.Join(", ", Names)})");
}
