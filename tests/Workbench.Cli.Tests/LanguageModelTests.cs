// End-to-end: the CLI trains the language models (names char-MLP, a GPT on a local text file), records
// their data, and `sample` streams text from a finished run.
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Workbench.Cli.Tests;

public sealed class LanguageModelTests(NamesMlpRun names) : IClassFixture<NamesMlpRun>
{
    [Fact]
    public void A_short_names_mlp_run_learns_well_below_the_uniform_loss()
    {
        Assert.True(names.Run.ExitCode == 0, names.Run.Stderr);
        Assert.Equal("finished", names.Show.GetProperty("status").GetString());
        var runDir = names.Show.GetProperty("run_dir").GetString()!;
        var tokenizer = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, "tokenizer.json"))).RootElement;
        var vocab = tokenizer.GetProperty("code_points").GetArrayLength() + 2;     // + the boundary and <unk>

        var valLoss = names.Show.GetProperty("summary").GetProperty("val/loss").GetDouble();

        Assert.True(valLoss < Math.Log(vocab) - 0.5, $"val/loss {valLoss} after 300 steps; uniform over {vocab} tokens is {Math.Log(vocab):0.000}");
    }

    [Fact]
    public void Every_evaluation_writes_a_sample_of_names_that_the_report_shows()
    {
        var runDir = names.Show.GetProperty("run_dir").GetString()!;

        var samples = Directory.GetFiles(Path.Combine(runDir, "samples")).Order().ToArray();

        Assert.Equal(new[] { "sample-00000100.txt", "sample-00000200.txt", "sample-00000300.txt" }, samples.Select(f => Path.GetFileName(f)!));
        var report = File.ReadAllText(Path.Combine(runDir, "report.html"));
        foreach (var sample in samples)
        {
            var text = File.ReadAllText(sample);
            Assert.Matches("^[a-z\n-]+$", text);                                     // names, one per line; never <unk>
            Assert.Contains(text, report);
        }
    }

    [Fact]
    public void Show_json_records_the_names_dataset_and_tokenizer_hashes()
    {
        var hashes = names.Show.GetProperty("dataset_hashes");

        Assert.Matches("^[0-9a-f]{64}$", hashes.GetProperty("names").GetString());
        Assert.Matches("^[0-9a-f]{64}$", hashes.GetProperty("tokenizer").GetString());
    }

    [Fact]
    public void Sampling_a_run_twice_with_one_seed_prints_the_same_names()
    {
        var first = names.Seed5Sample;
        var second = names.Cli.Run(names.Seed5Arguments);

        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(first.Stdout, second.Stdout);
        Assert.Contains('\n', first.Stdout.TrimEnd());                             // the boundary token prints as a line break
    }

    [Fact]
    public void A_run_trained_on_a_gpu_samples_on_a_machine_without_one()
    {
        // The names run's database and folder, copied as a user copies runs/ off a GPU box, marked as trained on cuda:0.
        using var laptop = new CliRunner();
        CopyFolder(Path.Combine(names.Cli.Directory, "runs"), Path.Combine(laptop.Directory, "runs"));
        using (var db = new SqliteConnection($"Data Source={laptop.Db};Pooling=False"))
        {
            db.Open();
            using var update = db.CreateCommand();
            update.CommandText = "UPDATE runs SET device = 'cuda:0' WHERE id = $id";
            update.Parameters.AddWithValue("$id", names.Id);
            Assert.Equal(1, update.ExecuteNonQuery());
        }

        var sample = laptop.Run(names.Seed5Arguments);

        Assert.True(sample.ExitCode == 0, sample.Stderr);
        Assert.Equal(names.Seed5Sample.Stdout, sample.Stdout);
    }

    [Fact]
    public void Sampling_a_run_that_is_not_a_language_model_exits_2()
    {
        using var cli = new CliRunner();
        var xor = cli.Run("run", cli.Write("xor.yaml", """
            name: xor
            threads: 1
            data: {dataset: xor}
            model: {kind: perceptron, hidden: 2, activation: sigmoid}
            train: {optimizer: {name: sgd, lr: 1.0}, batch_size: 4, epochs: 5}
            """)).LastLine;

        var sample = cli.Run("sample", xor);

        Assert.Equal(2, sample.ExitCode);
        Assert.Contains("not a language model", sample.Stderr);
        Assert.DoesNotContain("   at ", sample.Stderr);
        Assert.Equal("", sample.Stdout);
    }

    [Fact]
    public void The_best_checkpoint_is_picked_by_the_specs_metric()
    {
        using var cli = new CliRunner();
        var text = cli.Write("story.txt", Story());
        var config = cli.Write("gpt.yaml", $$$"""
            name: gpt
            threads: 1
            data: {dataset: text, path: "{{{text}}}", tokenizer: {kind: char}}
            model: {kind: gpt, n_layer: 1, n_head: 2, n_embd: 16, block_size: 16}
            train: {stage: pretrain, batch_size: 4, max_steps: 40, eval: {every: 10, batches: 2}}
            metric: {name: train/eval_loss}
            """);

        var run = cli.Run("run", config);

        Assert.True(run.ExitCode == 0, run.Stderr);
        var show = JsonDocument.Parse(cli.Run("show", run.LastLine, "--json").Stdout).RootElement;
        var best = JsonDocument.Parse(File.ReadAllText(Path.Combine(show.GetProperty("run_dir").GetString()!, "checkpoints", "best", "state.json"))).RootElement;
        Assert.Equal(show.GetProperty("summary").GetProperty("best/train/eval_loss").GetDouble(), best.GetProperty("Metric").GetDouble());
    }

    [Fact]
    public void A_bf16_run_trains_a_gpt_to_the_loss_of_its_fp32_twin()
    {
        using var cli = new CliRunner();
        var text = cli.Write("story.txt", Story());
        var config = cli.Write("gpt.yaml", $$$"""
            name: gpt
            seed: 3
            threads: 1
            data: {dataset: text, path: "{{{text}}}", tokenizer: {kind: char}}
            model: {kind: gpt, n_layer: 1, n_head: 2, n_embd: 32, block_size: 32, dropout: 0.0}
            train: {stage: pretrain, optimizer: {name: adamw, lr: 3.0e-3}, batch_size: 8, max_steps: 60, eval: {every: 60, batches: 4}}
            """);

        var fp32 = cli.Run("run", config, "--set", "precision=fp32");
        var bf16 = cli.Run("run", config, "--set", "precision=bf16");

        Assert.True(bf16.ExitCode == 0, bf16.Stderr);
        var show = JsonDocument.Parse(cli.Run("show", bf16.LastLine, "--json").Stdout).RootElement;
        Assert.Equal("bf16", show.GetProperty("config").GetProperty("precision").GetString());
        var loss16 = show.GetProperty("summary").GetProperty("val/loss").GetDouble();
        var loss32 = JsonDocument.Parse(cli.Run("show", fp32.LastLine, "--json").Stdout).RootElement
            .GetProperty("summary").GetProperty("val/loss").GetDouble();
        Assert.True(Math.Abs(loss16 - loss32) < 0.05, $"val/loss bf16 {loss16:0.0000}, fp32 {loss32:0.0000}");
        Assert.NotEqual(loss32, loss16);                                           // it did run in bfloat16
        var sample = cli.Run("sample", bf16.LastLine, "--tokens", "20");
        Assert.True(sample.ExitCode == 0, sample.Stderr);
    }

    [Fact]
    public void A_tiny_gpt_trains_on_a_local_text_file_and_continues_a_prompt()
    {
        using var cli = new CliRunner();
        var text = cli.Write("story.txt", Story());
        var config = cli.Write("tiny-gpt.yaml", $$$"""
            name: tiny-gpt
            seed: 7
            threads: 1
            data: {dataset: text, path: "{{{text}}}", tokenizer: {kind: char}}
            model: {kind: gpt, n_layer: 1, n_head: 2, n_embd: 32, block_size: 32, dropout: 0.0, bias: false}
            train:
              stage: pretrain
              optimizer: {name: adamw, lr: 3.0e-3}
              batch_size: 8
              max_steps: 30
              log_every: 10
              eval: {every: 15, batches: 4}
            sample: {prompt: "The ", tokens: 40, temperature: 0.8, top_k: 10}
            """);

        var run = cli.Run("run", config);
        var sample = cli.Run("sample", run.LastLine, "--prompt", "Once ", "--tokens", "30");

        Assert.True(run.ExitCode == 0, run.Stderr);
        var show = JsonDocument.Parse(cli.Run("show", run.LastLine, "--json").Stdout).RootElement;
        Assert.True(double.IsFinite(show.GetProperty("summary").GetProperty("val/loss").GetDouble()));
        Assert.True(show.GetProperty("dataset_hashes").TryGetProperty("text", out _));
        Assert.True(sample.ExitCode == 0, sample.Stderr);
        Assert.StartsWith("Once ", sample.Stdout);
        Assert.Equal("Once ".Length + 30 + 1, sample.Stdout.Length);               // one character per token, then a newline
    }

    [Fact]
    public void A_text_too_short_for_one_validation_window_is_refused_before_the_run_exists_and_says_what_to_change()
    {
        using var cli = new CliRunner();
        var text = cli.Write("short.txt", Story()[..300]);                         // 30 val tokens, block_size 32
        var config = cli.Write("short.yaml", $$$"""
            name: short
            threads: 1
            data: {dataset: text, path: "{{{text}}}", tokenizer: {kind: char}}
            model: {kind: gpt, n_layer: 1, n_head: 2, n_embd: 32, block_size: 32}
            train: {stage: pretrain, batch_size: 8, max_steps: 30}
            """);

        var run = cli.Run("run", config);

        cli.AssertRefusedWithNothingWritten(run, 2, "the val split has 30 tokens", "data.split.val");
        Assert.DoesNotContain("step 10", run.Stderr);
    }

    [Fact]
    public void A_gpt_started_from_a_run_encodes_new_text_with_that_runs_tokenizer_and_refuses_characters_it_cannot_encode()
    {
        using var cli = new CliRunner();
        var config = cli.Write("tiny-gpt.yaml", TinyGpt(cli.Write("story.txt", Story()), steps: 10));
        var parent = cli.Run("run", config, "--name", "parent");
        // Fewer distinct characters: a tokenizer trained on it would give other ids to the same letters.
        var narrower = cli.Write("fox.txt", string.Concat(Enumerable.Repeat("The fox saw the fox by the river.\n", 60)));
        var child = cli.Run("run", config, "--name", "child", "--set", "train.init_from=parent", "--set", $"data.path={narrower}");
        var foreign = cli.Write("zebra.txt", string.Concat(Enumerable.Repeat("The zebra saw the quokka by the river.\n", 60)));
        var refused = cli.Run("run", config, "--name", "refused", "--set", "train.init_from=parent", "--set", $"data.path={foreign}");

        Assert.True(parent.ExitCode == 0, parent.Stderr);
        Assert.True(child.ExitCode == 0, child.Stderr);
        string Tokenizer(string id) => JsonDocument.Parse(cli.Run("show", id, "--json").Stdout).RootElement
            .GetProperty("dataset_hashes").GetProperty("tokenizer").GetString()!;
        Assert.Equal(Tokenizer(parent.LastLine), Tokenizer(child.LastLine));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("cannot encode", refused.Stderr);
        Assert.Contains("'z' (U+007A)", refused.Stderr);
        Assert.DoesNotContain("   at ", refused.Stderr);
        Assert.DoesNotContain("refused", cli.Run("ls", "--json").Stdout);
    }

    [Fact]
    public void Sample_decodes_greedily_at_temperature_0_and_refuses_bad_settings()
    {
        using var cli = new CliRunner();
        var run = cli.Run("run", cli.Write("tiny-gpt.yaml", TinyGpt(cli.Write("story.txt", Story()), steps: 10)));
        Assert.True(run.ExitCode == 0, run.Stderr);

        var greedy = cli.Run("sample", run.LastLine, "--prompt", "The ", "--tokens", "20", "--temperature", "0", "--seed", "1");
        var greedyAgain = cli.Run("sample", run.LastLine, "--prompt", "The ", "--tokens", "20", "--temperature", "0", "--seed", "2");
        var nucleus = cli.Run("sample", run.LastLine, "--tokens", "20", "--top-p", "0.9", "--stop", "\n");
        var badTopP = cli.Run("sample", run.LastLine, "--top-p", "1.5");
        var badStop = cli.Run("sample", run.LastLine, "--stop", "river");

        Assert.True(greedy.ExitCode == 0, greedy.Stderr);
        Assert.Equal(greedy.Stdout, greedyAgain.Stdout);                           // no draws: the seed does not matter
        Assert.True(nucleus.ExitCode == 0, nucleus.Stderr);
        Assert.DoesNotContain('\n', nucleus.Stdout.TrimEnd('\n'));                // it stopped at its first line break
        Assert.Equal(2, badTopP.ExitCode);
        Assert.Contains("top_p must be in (0, 1]", badTopP.Stderr);
        Assert.Equal(2, badStop.ExitCode);
        Assert.Contains("--stop river: is 5 tokens", badStop.Stderr);
    }

    [Fact]
    public void Chat_answers_each_line_of_a_pipe_on_one_line_and_refuses_a_model_without_a_chat_template()
    {
        using var cli = new CliRunner();
        var chatModel = cli.Run("run", cli.Write("tasks.yaml", """
            name: tiny-tasks
            seed: 3
            threads: 1
            data: {dataset: tasks, tasks: [compare, count], problems: 400, eval_problems: 8, tokenizer: {kind: char}}
            model: {kind: gpt, n_layer: 1, n_head: 2, n_embd: 32, block_size: 64}
            train: {stage: pretrain, optimizer: {name: adamw, lr: 3.0e-3}, batch_size: 8, max_steps: 20, log_every: 10, eval: {every: 20}}
            """));
        var textModel = cli.Run("run", cli.Write("tiny-gpt.yaml", TinyGpt(cli.Write("story.txt", Story()), steps: 5)));
        Assert.True(chatModel.ExitCode == 0, chatModel.Stderr);

        var chat = cli.Run(["chat", chatModel.LastLine, "--tokens", "12"], stdin: "Which is larger: 12 or 7?\nCount the letter a in: banana\nhello\n");
        var refused = cli.Run(["chat", textModel.LastLine], stdin: "hello\n");

        Assert.True(chat.ExitCode == 0, chat.Stderr);
        Assert.Equal(3, chat.Stdout.Split('\n', StringSplitOptions.None).Length - 1);    // one line per turn, whatever the answers
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("has no chat template", refused.Stderr);
        Assert.DoesNotContain("   at ", refused.Stderr);
    }

    private static string TinyGpt(string text, int steps) => $$$"""
        name: tiny-gpt
        seed: 7
        threads: 1
        data: {dataset: text, path: "{{{text}}}", tokenizer: {kind: char}}
        model: {kind: gpt, n_layer: 1, n_head: 2, n_embd: 32, block_size: 32}
        train: {stage: pretrain, optimizer: {name: adamw, lr: 3.0e-3}, batch_size: 8, max_steps: {{{steps}}}, log_every: 5, eval: {every: 10, batches: 2}}
        """;

    private static void CopyFolder(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(dir.Replace(from, to, StringComparison.Ordinal));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
    }

    // About 4 KB of plain English with a small alphabet.
    internal static string Story()
    {
        var text = new StringBuilder();
        string[] animals = ["fox", "dog", "cat", "owl", "hen", "elk"];
        for (var i = 0; i < 80; i++)
            text.Append($"The {animals[i % 6]} saw the {animals[(i * 5 + 1) % 6]} by the river.\n");
        return text.ToString();
    }
}
