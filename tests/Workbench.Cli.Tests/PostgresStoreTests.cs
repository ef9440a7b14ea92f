// End-to-end: the CLI against a real PostgreSQL server (--db postgresql://...): runs recorded there
// with their folders in --runs-dir, read back by ls, show, export and compare; processes writing at
// once; and the URL or server problems a user can hit, refused with exit 2 and nothing written.
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Workbench.Tests.Shared;

namespace Workbench.Cli.Tests;

public sealed class PostgresStoreTests : IDisposable
{
    private const string Xor = """
        name: xor
        seed: 1
        device: cpu
        data: {dataset: xor}
        model: {kind: perceptron, hidden: 2, activation: sigmoid}
        train:
          optimizer: {name: sgd, lr: 1.0}
          batch_size: 4
          epochs: 500
          log_every: 50
          eval: {every: 250}
          checkpoint: {every: 250, keep: 1}
        """;

    private readonly CliRunner _cli = new();
    private PostgresServer? _server;
    private string? _database;

    public void Dispose()
    {
        if (_database is not null) _server?.DropDatabase(_database);
        _cli.Dispose();
    }

    [SkippableFact]
    public void A_run_on_a_server_store_keeps_its_folder_in_runs_dir_and_ls_show_export_compare_read_it()
    {
        UseServer();
        var config = _cli.Write("xor.yaml", Xor);
        var runsDir = Path.Combine(_cli.Directory, "machine-a");

        var run = _cli.Run("run", config, "--runs-dir", runsDir);

        Assert.True(run.ExitCode == 0, run.Stderr);
        var id = run.LastLine;
        Assert.True(File.Exists(Path.Combine(runsDir, id, "config.yaml")));
        Assert.False(File.Exists(Path.Combine(_cli.Directory, "runs", "workbench.db")), "a server store writes no SQLite file");
        var listed = JsonDocument.Parse(_cli.Run("ls", "--json").Stdout).RootElement;
        Assert.Equal([id], listed.EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.Equal("finished", listed[0].GetProperty("status").GetString());
        var show = JsonDocument.Parse(_cli.Run("show", id, "--json").Stdout).RootElement;
        Assert.Equal(Path.Combine(runsDir, id), show.GetProperty("run_dir").GetString());
        Assert.Equal(Environment.MachineName, show.GetProperty("host").GetString());
        Assert.Contains($"folder   {Path.Combine(runsDir, id)}  on {Environment.MachineName} (this machine)", _cli.Run("show", id).Stdout);
        var csv = _cli.Run("export", id, "--format", "csv");
        Assert.Equal(0, csv.ExitCode);
        Assert.Contains("train/loss,500,", csv.Stdout);
        var compare = _cli.Run("compare", id, "--runs-dir", runsDir);
        Assert.True(compare.ExitCode == 0, compare.Stderr);
        Assert.Equal(Path.Combine(runsDir, id, "report.html"), compare.LastLine);
        Assert.True(File.Exists(compare.LastLine));
    }

    [SkippableFact]
    public void Two_runs_started_at_once_against_one_server_both_finish_with_all_their_points()
    {
        UseServer();
        var config = _cli.Write("xor.yaml", Xor);
        _cli.Environment["WORKBENCH_RUNS"] = Path.Combine(_cli.Directory, "shared-runs");

        using var first = _cli.Start("run", config, "--name", "first");
        using var second = _cli.Start("run", config, "--name", "second");
        var results = new[] { CliRunner.Wait(first), CliRunner.Wait(second) };

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Stderr));
        var ids = results.Select(r => r.LastLine).ToList();
        var listed = JsonDocument.Parse(_cli.Run("ls", "--json").Stdout).RootElement;
        Assert.Equal(ids.Order(), listed.EnumerateArray().Select(r => r.GetProperty("id").GetString()!).Order());
        Assert.All(listed.EnumerateArray(), r => Assert.Equal("finished", r.GetProperty("status").GetString()));
        // Same spec, same seed: the two runs' series are identical and complete (500 epochs, logged every 50).
        var series = ids.Select(id => _cli.Run("export", id, "--format", "csv").Stdout.Split('\n')
            .Where(l => l.StartsWith("train/loss,", StringComparison.Ordinal)).Select(l => string.Join(',', l.Split(',')[..3])).ToList()).ToList();
        Assert.Equal(10, series[0].Count);
        Assert.Equal(series[0], series[1]);
        Assert.All(ids, id => Assert.True(Directory.Exists(Path.Combine(_cli.Directory, "shared-runs", id))));
    }

    [SkippableFact]
    public void Show_names_the_machine_that_holds_a_runs_files_and_resume_elsewhere_is_refused()
    {
        var server = UseServer();
        var run = _cli.Run("run", _cli.Write("xor.yaml", Xor));
        Assert.True(run.ExitCode == 0, run.Stderr);
        var id = run.LastLine;
        // As if another machine had run it and been killed there.
        server.Psql($"UPDATE runs SET host = 'gpu-box', status = 'failed', run_dir = '/data/runs/{id}' WHERE id = '{id}';",
            PostgresServer.DatabaseOf(_cli.Db));

        Assert.Contains($"folder   /data/runs/{id}  on gpu-box", _cli.Run("show", id).Stdout);
        var resume = _cli.Run("resume", id);
        Assert.Equal(2, resume.ExitCode);
        Assert.Contains($"run {id}'s files are on machine gpu-box (/data/runs/{id})", resume.Stderr);
    }

    [Theory]
    [InlineData("postgresql://127.0.0.1:5432/db", "names no user")]
    [InlineData("postgresql://user@127.0.0.1/runs/db", "names no database (or more than one path segment)")]
    [InlineData("postgresql://user@127.0.0.1:5432", "names no database")]
    [InlineData("postgresql://user@127.0.0.1:5432/db?sslmode=require", "options after '?'")]
    [InlineData("postgresql://user:pw@127.0.0.1:notaport/db", "it is not a URL")]
    public void A_malformed_url_is_exit_2_saying_what_is_wrong_with_nothing_written(string url, string phrase)
    {
        _cli.Db = url;

        var ls = _cli.Run("ls");
        var run = _cli.Run("run", _cli.Write("xor.yaml", Xor));

        _cli.AssertRefusedWithNothingWritten(ls, 2, phrase, "postgresql://user[:password]@host[:port]/database");
        _cli.AssertRefusedWithNothingWritten(run, 2, phrase);
        Assert.DoesNotContain(":pw@", run.Stderr);
        Assert.False(Directory.Exists(Path.Combine(_cli.Directory, "runs")), "a refused run created a runs folder");
    }

    [Fact]
    public void An_unreachable_server_is_exit_2_naming_its_host_and_port_with_nothing_written()
    {
        var port = ClosedPort();
        _cli.Db = $"postgresql://user:pw@127.0.0.1:{port}/db";

        var ls = _cli.Run("ls");
        var run = _cli.Run("run", _cli.Write("xor.yaml", Xor));

        _cli.AssertRefusedWithNothingWritten(ls, 2, $"PostgreSQL server at 127.0.0.1:{port}");
        _cli.AssertRefusedWithNothingWritten(run, 2, $"PostgreSQL server at 127.0.0.1:{port}");
        Assert.DoesNotContain("pw", run.Stderr);
        Assert.False(Directory.Exists(Path.Combine(_cli.Directory, "runs")), "a refused run created a runs folder");
    }

    [SkippableFact]
    public void The_password_comes_from_pgpassword_when_the_url_has_none_and_a_wrong_one_is_exit_2()
    {
        var server = UseServer();
        var database = PostgresServer.DatabaseOf(_cli.Db);
        server.Psql($"ALTER DATABASE {database} OWNER TO {PostgresServer.PasswordUser};");
        _cli.Db = server.Url(database, PostgresServer.PasswordUser);

        _cli.Environment["PGPASSWORD"] = PostgresServer.Password;
        var right = _cli.Run("ls");
        _cli.Environment["PGPASSWORD"] = "wrong";
        var wrong = _cli.Run("ls");
        _cli.Environment.Remove("PGPASSWORD");
        _cli.Db = _cli.Db.Replace("runner@", $"runner:{Uri.EscapeDataString(PostgresServer.Password)}@");
        var inUrl = _cli.Run("ls");

        Assert.True(right.ExitCode == 0, right.Stderr);
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains($"127.0.0.1:{server.Port}", wrong.Stderr);
        Assert.Contains("password authentication failed", wrong.Stderr);
        Assert.True(inUrl.ExitCode == 0, inUrl.Stderr);
    }

    private PostgresServer UseServer()
    {
        _server = PostgresServer.Require();
        _cli.Db = _database = _server.CreateDatabase();
        return _server;
    }

    // A port nothing listens on: one the system just handed out and took back.
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
