// Reads JSONL files in TRL's dataset shapes: one JSON object a line, blank lines skipped, one shape
// per file (set by its first record). A bad line is a DataException naming the file and the 1-based
// line and saying what is wrong, so the CLI can exit 2 before anything is written.
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Workbench.Data.Tasks;

namespace Workbench.Data.Chat;

public static class TrlJsonl
{
    // The keys that tell the shapes apart; "prompt" is shared, so it decides nothing.
    static readonly (TrlShape Shape, string[] Keys)[] Distinctive =
    [
        (TrlShape.PromptCompletion, ["completion"]),
        (TrlShape.Messages, ["messages"]),
        (TrlShape.Preference, ["chosen", "rejected"]),
        (TrlShape.Verifiable, ["answer", "task"]),
    ];

    /// <summary>SFT conversations from {prompt, completion} (a user turn and the assistant's) or {messages} records.</summary>
    public static IReadOnlyList<IReadOnlyList<ChatMessage>> ReadConversations(string path) =>
        Read(path, "SFT", [TrlShape.PromptCompletion, TrlShape.Messages], (record, shape, line) => shape == TrlShape.Messages
            ? Messages(record, line)
            : [ChatMessage.User(Text(record, "prompt", line)), ChatMessage.Assistant(Text(record, "completion", line))]);

    /// <summary>Preference pairs from {prompt, chosen, rejected} records, for reward modelling and DPO.</summary>
    public static IReadOnlyList<PreferencePair> ReadPreferences(string path) =>
        Read(path, "preference training", [TrlShape.Preference], (record, _, line) =>
        {
            var pair = new PreferencePair(Text(record, "prompt", line), Text(record, "chosen", line), Text(record, "rejected", line));
            if (pair.Chosen == pair.Rejected) throw line.Bad("\"chosen\" and \"rejected\" are the same text; a preference needs two different answers");
            return pair;
        });

    /// <summary>Problems from {prompt, answer, task} records, "task" naming a task of the suite whose checker applies.</summary>
    public static IReadOnlyList<TaskProblem> ReadProblems(string path) =>
        Read(path, "RL", [TrlShape.Verifiable], (record, _, line) =>
        {
            string prompt = Text(record, "prompt", line), answer = Text(record, "answer", line), task = Text(record, "task", line);
            if (TaskSuite.Find(task) is null) throw line.Bad($"\"task\" is \"{task}\", which names no checker; the known tasks are {TaskSuite.KnownNames}");
            return new TaskProblem(task, prompt, answer, prompt);
        });

    /// <summary>A line of a file, for errors that say where.</summary>
    readonly record struct Line(string Path, int Number)
    {
        public DataException Bad(string what) => new($"{Path}:{Number}: {what}.");
    }

    static List<T> Read<T>(string path, string purpose, TrlShape[] accepted, Func<JsonElement, TrlShape, Line, T> convert)
    {
        if (Directory.Exists(path)) throw new DataException($"JSONL dataset {path} is a folder; data.path must name a .jsonl file.");
        if (!File.Exists(path)) throw new DataException($"JSONL dataset file {path} does not exist (data.path).");
        var bytes = File.ReadAllBytes(path);
        int start = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
        var records = new List<T>();
        (TrlShape Shape, int Line)? fileShape = null;
        for (int number = 1; start <= bytes.Length; number++)
        {
            var line = new Line(path, number);
            int end = Array.IndexOf(bytes, (byte)'\n', start);
            if (end < 0) end = bytes.Length;
            var lineBytes = bytes.AsSpan(start, end - start);
            start = end + 1;
            // Checked here rather than turned into U+FFFD, which the model would then learn.
            if (!Utf8.IsValid(lineBytes)) throw line.Bad("not valid UTF-8");
            string text = Encoding.UTF8.GetString(lineBytes);
            if (string.IsNullOrWhiteSpace(text)) continue;

            using var doc = Parse(text, line);
            var record = doc.RootElement;
            var shape = ShapeOf(record, line);
            if (fileShape is not { } set)
            {
                if (!accepted.Contains(shape))
                    throw line.Bad($"a {Describe(shape)} record, but {purpose} reads {string.Join(" or ", accepted.Select(Describe))} records");
                fileShape = (shape, number);
            }
            else if (shape != set.Shape)
                throw line.Bad($"a {Describe(shape)} record, but line {set.Line} made this a file of {Describe(set.Shape)} records; one file holds one shape");
            records.Add(convert(record, shape, line));
        }
        if (records.Count == 0) throw new DataException($"JSONL dataset {path} holds no records.");
        return records;
    }

    static JsonDocument Parse(string text, Line line)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(text); }
        catch (JsonException e) { throw line.Bad($"not JSON ({e.Message})"); }
        if (doc.RootElement.ValueKind == JsonValueKind.Object) return doc;
        var kind = doc.RootElement.ValueKind;
        doc.Dispose();
        throw line.Bad($"{KindName(kind)}, not a JSON object");
    }

    static TrlShape ShapeOf(JsonElement record, Line line)
    {
        var matches = Distinctive.Where(d => d.Keys.Any(k => record.TryGetProperty(k, out _))).Select(d => d.Shape).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw line.Bad($"not one of the record shapes {string.Join(", ", Distinctive.Select(d => Describe(d.Shape)))}"),
            _ => throw line.Bad($"mixes the keys of {string.Join(" and ", matches.Select(Describe))} records"),
        };
    }

    static IReadOnlyList<ChatMessage> Messages(JsonElement record, Line line)
    {
        var list = record.GetProperty("messages");
        if (list.ValueKind != JsonValueKind.Array) throw line.Bad($"\"messages\" must be an array of {{role, content}} objects, not {KindName(list.ValueKind)}");
        var messages = new List<ChatMessage>();
        foreach (var item in list.EnumerateArray())
        {
            string where = $"messages[{messages.Count}]";
            if (item.ValueKind != JsonValueKind.Object) throw line.Bad($"{where} must be a {{role, content}} object, not {KindName(item.ValueKind)}");
            string role = Text(item, "role", line, where);
            if (!ChatMessage.Roles.Contains(role)) throw line.Bad($"{where}.role is \"{role}\"; expected {string.Join(", ", ChatMessage.Roles)}");
            messages.Add(new(role, Text(item, "content", line, where)));
        }
        if (!messages.Any(m => m.Role == ChatMessage.AssistantRole))
            throw line.Bad("\"messages\" has no assistant turn, so there is nothing to train on");
        return messages;
    }

    /// <summary>A required, non-blank string field.</summary>
    static string Text(JsonElement obj, string name, Line line, string? parent = null)
    {
        string field = parent is null ? $"\"{name}\"" : $"{parent}.{name}";
        if (!obj.TryGetProperty(name, out var value)) throw line.Bad($"{field} is missing");
        if (value.ValueKind != JsonValueKind.String) throw line.Bad($"{field} must be a string, not {KindName(value.ValueKind)}");
        string text = value.GetString()!;
        if (string.IsNullOrWhiteSpace(text)) throw line.Bad($"{field} is empty");
        return text;
    }

    static string Describe(TrlShape shape) => shape switch
    {
        TrlShape.PromptCompletion => "{prompt, completion}",
        TrlShape.Messages => "{messages}",
        TrlShape.Preference => "{prompt, chosen, rejected}",
        _ => "{prompt, answer, task}",
    };

    static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
