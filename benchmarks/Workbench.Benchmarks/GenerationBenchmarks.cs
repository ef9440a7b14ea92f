// Tokens/s of batched generation with and without the KV cache, against benchmarks/reference/generate.py
// (a PyTorch KV-cache loop on the same model shape, batch, prompt and settings):
//   dotnet run -c Release --project benchmarks/Workbench.Benchmarks -- --filter '*Generation*'
//   /usr/bin/python3 benchmarks/reference/generate.py [--threads N]
// The model is sotu-char-gpt.yaml's (4 layers, 4 heads, n_embd 128, char vocabulary of 65) with block_size
// 320 = a 64-token prompt + 256 new tokens, so the cache is never rebuilt; 16 sequences, temperature 0.8,
// top_k 20 (the config's sample settings), no stop tokens: 4,096 tokens per call, tokens/s = 4096 / seconds.
// Each call is seconds long (the uncached one tens), so it is timed a few single calls, not BenchmarkDotNet's pilot.
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Workbench.Experiments.Generation;
using Workbench.Models;
using Workbench.Torch;

namespace Workbench.Benchmarks;

[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class GenerationBenchmarks
{
    public const int Batch = 16;
    public const int PromptLength = 64;
    public const int NewTokens = 256;

    private Gpt _model = null!;
    private int[][] _prompts = null!;
    private GenerationSettings _settings = null!;

    [Params(true, false)]
    public bool KvCache { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        BenchSetup.Threads();
        Workbench.Torch.Torch.ManualSeed(1337);
        _model = new Gpt(new GptConfig(VocabSize: 65, BlockSize: PromptLength + NewTokens, Layers: 4, Heads: 4, Embedding: 128, Dropout: 0, Bias: false));
        var random = new Random(1);
        _prompts = Enumerable.Range(0, Batch).Select(_ => Enumerable.Range(0, PromptLength).Select(_ => random.Next(65)).ToArray()).ToArray();
        _settings = new GenerationSettings(NewTokens, Temperature: 0.8, TopK: 20, Seed: 1);
    }

    [GlobalCleanup]
    public void Cleanup() => _model.Dispose();

    /// <summary>16 x 256 new tokens.</summary>
    [Benchmark]
    public int Generate() => Generator.Generate(_model, _prompts, _settings, Device.Cpu, useCache: KvCache).Sum(c => c.Tokens.Count);
}
