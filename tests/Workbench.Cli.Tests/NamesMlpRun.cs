// A short run of the names char-MLP example, trained once and shared by the language-model CLI tests.
using System.Text.Json;

namespace Workbench.Cli.Tests;

public sealed class NamesMlpRun : IDisposable
{
    private readonly Lazy<CliResult> _seed5;

    public NamesMlpRun()
    {
        // One engine thread: test classes run side by side on few cores, where libtorch's spinning threads slow each other down.
        Run = Cli.Run("run", Path.Combine(RepositoryConfigs(), "names-mlp.yaml"), "--set", "train.max_steps=300", "--set", "train.eval.every=100",
            "--set", "threads=1");
        Id = Run.LastLine;
        if (Run.ExitCode == 0) Show = JsonDocument.Parse(Cli.Run("show", Id, "--json").Stdout).RootElement;
        _seed5 = new(() => Cli.Run(Seed5Arguments));
    }

    public CliRunner Cli { get; } = new();
    public CliResult Run { get; }
    public string Id { get; }
    public JsonElement Show { get; }

    /// <summary>`sample RUN --seed 5 --tokens 50`, which several tests compare other samples with.</summary>
    public string[] Seed5Arguments => ["sample", Id, "--seed", "5", "--tokens", "50"];

    public CliResult Seed5Sample => _seed5.Value;

    public void Dispose() => Cli.Dispose();

    /// <summary>The repository's configs/ folder, found above the test binaries.</summary>
    private static string RepositoryConfigs()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var configs = Path.Combine(dir.FullName, "configs");
            if (File.Exists(Path.Combine(dir.FullName, "Workbench.sln")) && Directory.Exists(configs)) return configs;
        }
        throw new DirectoryNotFoundException("configs/ not found above " + AppContext.BaseDirectory);
    }
}
