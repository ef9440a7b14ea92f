// JSONL files in TRL's shapes: good files of each shape read as records, and every bad line is refused
// with the file, the 1-based line and what is wrong.
using System.Text;
using Workbench.Data.Chat;
using Workbench.Data.Tasks;

namespace Workbench.Data.Tests.Chat;

public sealed class TrlJsonlTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("jsonl-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    string Write(params string[] lines)
    {
        var path = Path.Combine(folder, "data.jsonl");
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }

    [Fact]
    public void Prompt_completion_records_read_as_a_user_turn_and_the_assistant_answer()
    {
        var conversations = TrlJsonl.ReadConversations(Write(
            """{"prompt": "What is 2 + 2?", "completion": "4"}""",
            "",
            """{"prompt": "Reverse: abc", "completion": "cba", "id": 7}"""));

        Assert.Equal(2, conversations.Count);
        Assert.Equal([ChatMessage.User("What is 2 + 2?"), ChatMessage.Assistant("4")], conversations[0]);
        Assert.Equal([ChatMessage.User("Reverse: abc"), ChatMessage.Assistant("cba")], conversations[1]);
    }

    [Fact]
    public void Messages_records_read_with_their_roles_in_order()
    {
        var conversations = TrlJsonl.ReadConversations(Write(
            """{"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}"""));

        Assert.Equal([ChatMessage.System("Be brief."), ChatMessage.User("Hi"), ChatMessage.Assistant("Hello")], Assert.Single(conversations));
    }

    [Fact]
    public void Preference_records_read_as_pairs()
    {
        var pairs = TrlJsonl.ReadPreferences(Write("""{"prompt": "What is 2 + 2?", "chosen": "4", "rejected": "5"}"""));

        Assert.Equal(new PreferencePair("What is 2 + 2?", "4", "5"), Assert.Single(pairs));
    }

    [Fact]
    public void Verifiable_records_read_as_problems_of_a_known_task()
    {
        var problems = TrlJsonl.ReadProblems(Write("""{"prompt": "What is 2 + 2?", "answer": "4", "task": "add"}"""));

        var problem = Assert.Single(problems);
        Assert.Equal(new TaskProblem("add", "What is 2 + 2?", "4", "What is 2 + 2?"), problem);
        Assert.True(TaskSuite.Find(problem.Task)!.Check(problem.Answer, " 4 "));
    }

    [Fact]
    public void A_byte_order_mark_and_windows_line_ends_are_accepted()
    {
        var path = Path.Combine(folder, "bom.jsonl");
        File.WriteAllBytes(path, [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes("{\"prompt\": \"a\", \"completion\": \"b\"}\r\n\r\n")]);

        Assert.Single(TrlJsonl.ReadConversations(path));
    }

    [Theory]
    [InlineData("{\"prompt\": \"a\", \"completion\": \"b\"", "not JSON")]
    [InlineData("""["prompt", "completion"]""", "an array, not a JSON object")]
    [InlineData("""{"prompt": "a"}""", "not one of the record shapes {prompt, completion}, {messages}, {prompt, chosen, rejected}, {prompt, answer, task}")]
    [InlineData("""{"completion": "b"}""", "\"prompt\" is missing")]
    [InlineData("""{"prompt": 3, "completion": "b"}""", "\"prompt\" must be a string, not a number")]
    [InlineData("""{"prompt": "a", "completion": "  "}""", "\"completion\" is empty")]
    [InlineData("""{"prompt": "a", "completion": "b", "chosen": "c"}""", "mixes the keys of {prompt, completion} and {prompt, chosen, rejected} records")]
    [InlineData("""{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]}""",
        "a {messages} record, but line 1 made this a file of {prompt, completion} records; one file holds one shape")]
    public void A_bad_sft_line_is_refused_with_file_and_line(string bad, string message)
    {
        var path = Write("""{"prompt": "ok", "completion": "fine"}""", bad, """{"prompt": "ok", "completion": "fine"}""");

        var e = Assert.Throws<DataException>(() => TrlJsonl.ReadConversations(path));

        Assert.StartsWith($"{path}:2: ", e.Message);
        Assert.Contains(message, e.Message);
        Assert.False(e.IsFetchFailure);
    }

    [Theory]
    [InlineData("""{"messages": "hi"}""", "\"messages\" must be an array of {role, content} objects, not a string")]
    [InlineData("""{"messages": [3]}""", "messages[0] must be a {role, content} object, not a number")]
    [InlineData("""{"messages": [{"content": "hi"}]}""", "messages[0].role is missing")]
    [InlineData("""{"messages": [{"role": "bot", "content": "hi"}]}""", "messages[0].role is \"bot\"; expected system, user, assistant")]
    [InlineData("""{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": null}]}""", "messages[1].content must be a string, not null")]
    [InlineData("""{"messages": [{"role": "user", "content": "hi"}]}""", "\"messages\" has no assistant turn")]
    public void A_bad_messages_line_says_which_message_is_wrong(string bad, string message)
    {
        var path = Write(bad);

        var e = Assert.Throws<DataException>(() => TrlJsonl.ReadConversations(path));

        Assert.StartsWith($"{path}:1: {message}", e.Message);
    }

    [Theory]
    [InlineData("""{"prompt": "a", "chosen": "b"}""", "\"rejected\" is missing")]
    [InlineData("""{"prompt": "a", "chosen": ["b"], "rejected": "c"}""", "\"chosen\" must be a string, not an array")]
    [InlineData("""{"prompt": "a", "chosen": "b", "rejected": "b"}""", "\"chosen\" and \"rejected\" are the same text")]
    public void A_bad_preference_line_is_refused_with_file_and_line(string bad, string message)
    {
        var path = Write("""{"prompt": "a", "chosen": "b", "rejected": "c"}""", bad);

        var e = Assert.Throws<DataException>(() => TrlJsonl.ReadPreferences(path));

        Assert.StartsWith($"{path}:2: {message}", e.Message);
    }

    [Theory]
    [InlineData("""{"prompt": "a", "answer": "b", "task": "divide"}""", "\"task\" is \"divide\", which names no checker; the known tasks are add, multiply")]
    [InlineData("""{"prompt": "a", "answer": "b"}""", "\"task\" is missing")]
    [InlineData("""{"prompt": "a", "answer": 4, "task": "add"}""", "\"answer\" must be a string, not a number")]
    public void A_bad_rl_line_is_refused_with_file_and_line(string bad, string message)
    {
        var path = Write(bad);

        var e = Assert.Throws<DataException>(() => TrlJsonl.ReadProblems(path));

        Assert.StartsWith($"{path}:1: {message}", e.Message);
    }

    [Fact]
    public void A_file_of_another_stage_s_shape_says_what_the_reader_needs()
    {
        var path = Write("""{"prompt": "a", "chosen": "b", "rejected": "c"}""");

        var e = Assert.Throws<DataException>(() => TrlJsonl.ReadConversations(path));

        Assert.Equal($"{path}:1: a {{prompt, chosen, rejected}} record, but SFT reads {{prompt, completion}} or {{messages}} records.", e.Message);
    }

    [Fact]
    public void Missing_empty_and_non_utf8_files_are_refused()
    {
        var missing = Path.Combine(folder, "none.jsonl");
        Assert.Contains("does not exist", Assert.Throws<DataException>(() => TrlJsonl.ReadPreferences(missing)).Message);
        Assert.Contains("is a folder", Assert.Throws<DataException>(() => TrlJsonl.ReadPreferences(folder)).Message);
        Assert.Contains("holds no records", Assert.Throws<DataException>(() => TrlJsonl.ReadPreferences(Write("", "  "))).Message);

        var latin1 = Path.Combine(folder, "latin1.jsonl");
        File.WriteAllBytes(latin1, [.. Encoding.UTF8.GetBytes("{\"prompt\": \"a\", \"completion\": \"b\"}\n{\"prompt\": \"caf"), 0xE9, .. "\", \"completion\": \"b\"}\n"u8.ToArray()]);
        Assert.Equal($"{latin1}:2: not valid UTF-8.", Assert.Throws<DataException>(() => TrlJsonl.ReadConversations(latin1)).Message);
    }
}
