// Rollout throughput, the generation an RL step (ppo, grpo) begins with, against benchmarks/reference/generate.py
// --rollout (a PyTorch KV-cache loop over the same left-padded prompts with the same settings):
//   dotnet run -c Release --project benchmarks/Workbench.Benchmarks -- --filter '*Rollout*'
//   /usr/bin/python3 benchmarks/reference/generate.py --rollout [--threads N]
// Shaped as configs/tasks-ppo.yaml's rollouts: 16 task-suite prompts (compare, count, uppercase, reverse at
// difficulty 1, in the chat template, 30-50 chars: lengths differ, so the batch is left-padded and masked), 4
// completions each (64 rows), tasks-gpt.yaml's model (4 layers, 4 heads, n_embd 128, block 96, char vocabulary),
// 24 new tokens at temperature 1. The weights are random, so no stop token is set: every row draws all 24
// tokens on both sides, 1,536 per call, and tokens/s = 1536 / seconds. The prompts' ids are in
// benchmarks/reference/rollout_prompts.json, written by `-- --rollout-prompts PATH`, which both sides read.
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Workbench.Data.Chat;
using Workbench.Data.Tasks;
using Workbench.Data.Tokenizers;
using Workbench.Experiments.Generation;
using Workbench.Models;
using Workbench.Torch;

namespace Workbench.Benchmarks;

[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class RolloutBenchmarks
{
    public const int Prompts = 16;
    public const int Generations = 4;
    public const int NewTokens = 24;
    public const int BlockSize = 96;

    private Gpt _model = null!;
    private int[][] _rows = null!;
    private GenerationSettings _settings = null!;

    [GlobalSetup]
    public void Setup()
    {
        BenchSetup.Threads();
        var file = JsonSerializer.Deserialize<PromptFile>(File.ReadAllText(PromptPath()))!;
        Workbench.Torch.Torch.ManualSeed(1337);
        _model = new Gpt(new GptConfig(file.VocabSize, BlockSize, Layers: 4, Heads: 4, Embedding: 128, Dropout: 0, Bias: false));
        _rows = file.Prompts.SelectMany(p => Enumerable.Repeat(p, Generations)).ToArray();
        _settings = new GenerationSettings(NewTokens, Temperature: 1.0, Seed: 1);
    }

    [GlobalCleanup]
    public void Cleanup() => _model.Dispose();

    /// <summary>64 rows x 24 new tokens.</summary>
    [Benchmark]
    public int Rollout() => Generator.Generate(_model, _rows, _settings, Device.Cpu).Sum(c => c.Tokens.Count);

    /// <summary>Writes the prompts both sides read: the suite's first training problems, encoded as tasks-gpt.yaml's char tokenizer would.</summary>
    public static void WritePrompts(string path)
    {
        var suite = new TaskSuite(["compare", "count", "uppercase", "reverse"], difficulty: 1);
        var problems = suite.Train(Prompts, seed: 1);
        var tokenizer = CharTokenizer.TrainForChat([suite.Alphabet(), .. problems.SelectMany(p => p.Conversation).Select(m => m.Role + "\n" + m.Content)]);
        var template = new ChatTemplate(tokenizer);
        var file = new PromptFile(tokenizer.VocabSize, problems.Select(p => template.EncodePrompt(p.Question)).ToArray());
        File.WriteAllText(path, JsonSerializer.Serialize(file) + "\n");
    }

    private static string PromptPath()
    {
        // BenchmarkDotNet runs from a generated folder under bin/: find the repository's copy by walking up.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "benchmarks", "reference", "rollout_prompts.json");
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException("benchmarks/reference/rollout_prompts.json not found above " + AppContext.BaseDirectory);
    }

    private sealed record PromptFile(int VocabSize, int[][] Prompts);
}
