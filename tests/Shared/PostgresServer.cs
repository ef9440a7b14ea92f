// A throwaway PostgreSQL server for tests that need a real one: a cluster made with initdb in a
// temporary folder, started on a free local port, one fresh database per test. Tests run as root and
// the server refuses root, so as root it runs as the postgres user (runuser). It is started once per
// test process, stopped and deleted when the process exits. Where PostgreSQL is not installed or
// cannot start, tests that ask for it are skipped with the reason (scripts/setup.sh test-deps installs it).
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Workbench.Tests.Shared;

public sealed class PostgresServer
{
    /// <summary>The superuser, trusted from 127.0.0.1 without a password.</summary>
    public const string Superuser = "postgres";

    /// <summary>A role that must give its password (scram-sha-256), to test PGPASSWORD and refusals.</summary>
    public const string PasswordUser = "runner";

    public const string Password = "s3cret:/@";

    private static readonly Lazy<(PostgresServer? Server, string? Why)> Instance = new(Start);

    private readonly string _bin;
    private readonly string _folder;
    private readonly bool _asPostgresUser;

    private PostgresServer(string bin, string folder, int port, bool asPostgresUser)
    {
        _bin = bin;
        _folder = folder;
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    public int Port { get; }

    /// <summary>The shared server; skips the calling test, saying why, where there is none.</summary>
    public static PostgresServer Require()
    {
        var (server, why) = Instance.Value;
        Skip.If(server is null, why);
        return server!;
    }

    /// <summary>A new empty database; returns its URL for the superuser.</summary>
    public string CreateDatabase()
    {
        var name = "wb_" + Guid.NewGuid().ToString("N")[..12];
        Psql($"CREATE DATABASE {name};");
        return Url(name);
    }

    public string Url(string database, string user = Superuser) => $"postgresql://{user}@127.0.0.1:{Port}/{database}";

    /// <summary>Drops a database made by <see cref="CreateDatabase"/>, closing connections still open to it.</summary>
    public void DropDatabase(string url) => Psql($"DROP DATABASE IF EXISTS {DatabaseOf(url)} WITH (FORCE);");

    /// <summary>The database a URL names.</summary>
    public static string DatabaseOf(string url) => url[(url.LastIndexOf('/') + 1)..];

    /// <summary>Runs SQL as the superuser in <paramref name="database"/>; throws with psql's message on failure.</summary>
    public void Psql(string sql, string database = "postgres")
    {
        var (code, output) = Exec(Path.Combine(_bin, "psql"),
            ["-h", "127.0.0.1", "-p", Port.ToString(), "-U", Superuser, "-d", database, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql], asPostgres: false);
        if (code != 0) throw new InvalidOperationException($"psql failed ({code}): {output}");
    }

    private static (PostgresServer?, string?) Start()
    {
        var bin = FindBin();
        if (bin is null)
            return (null, "PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin); scripts/setup.sh test-deps installs Debian's postgresql");
        var root = Environment.UserName == "root";
        if (root && !File.Exists("/usr/sbin/runuser") && !File.Exists("/sbin/runuser"))
            return (null, "tests run as root and PostgreSQL refuses root, but runuser is missing to start it as the postgres user");
        RemoveStoppedClusters();
        string why = "";
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var folder = Directory.CreateTempSubdirectory("wb-pg-").FullName;
            if (root && Exec("chown", ["postgres:", folder], asPostgres: false).Code is not 0)
                return (null, "tests run as root and PostgreSQL refuses root, but there is no postgres user to run it as");
            var server = new PostgresServer(bin, folder, FreePort(), root);
            why = server.InitAndStart();
            if (why.Length == 0)
            {
                AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
                return (server, null);
            }
            server.Stop();
        }
        return (null, $"PostgreSQL could not be started: {why}");
    }

    /// <summary>"" when the server runs; else what failed.</summary>
    private string InitAndStart()
    {
        var data = Path.Combine(_folder, "data");
        var (code, output) = Exec(Path.Combine(_bin, "initdb"),
            ["-D", data, "-U", Superuser, "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], _asPostgresUser);
        if (code != 0) return $"initdb: {output}";
        // The superuser is trusted; every other role gives its password, so wrong ones are refused.
        File.WriteAllText(Path.Combine(data, "pg_hba.conf"), $"""
            host all {Superuser} 127.0.0.1/32 trust
            host all all 127.0.0.1/32 scram-sha-256
            local all {Superuser} trust
            """);
        // Durability is not what the tests check: skip the fsyncs that would dominate on a small box.
        var options = $"-p {Port} -k {_folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";
        (code, output) = Exec(Path.Combine(_bin, "pg_ctl"),
            ["-D", data, "-o", options, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60", "start"], _asPostgresUser);
        if (code != 0) return $"pg_ctl start: {output} {ReadLog()}";
        try
        {
            Psql($"CREATE ROLE {PasswordUser} LOGIN CREATEDB PASSWORD '{Password}';");
        }
        catch (InvalidOperationException e)
        {
            return e.Message;
        }
        return "";
    }

    private void Stop()
    {
        Exec(Path.Combine(_bin, "pg_ctl"), ["-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop"], _asPostgresUser);
        // The server's last processes may still be removing their files for a moment after pg_ctl returns.
        for (var attempt = 0; attempt < 20 && Directory.Exists(_folder); attempt++)
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Thread.Sleep(100);
            }
        }
    }

    // The test host may be ended before Stop has deleted its folder; a later run removes what is left
    // of clusters whose server no longer runs (a running server keeps data/postmaster.pid), leaving
    // alone recent folders, which another test process may be setting up right now.
    private static void RemoveStoppedClusters()
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), "wb-pg-*"))
        {
            if (File.Exists(Path.Combine(folder, "data", "postmaster.pid"))
                || Directory.GetLastWriteTimeUtc(folder) > DateTime.UtcNow.AddMinutes(-10)) continue;
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left for another time.
            }
        }
    }

    private string ReadLog()
    {
        try
        {
            return File.ReadAllText(Path.Combine(_folder, "server.log"));
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static string? FindBin()
    {
        var versions = Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [];
        return versions
            .Select(v => Path.Combine(v, "bin"))
            .Where(b => File.Exists(Path.Combine(b, "initdb")))
            .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var n) ? n : 0)
            .FirstOrDefault();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static (int Code, string Output) Exec(string file, IReadOnlyList<string> args, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", file }) start.ArgumentList.Add(a);
        }
        foreach (var a in args) start.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return (process.ExitCode, (stdout.Result + stderr.Result).Trim());
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"{file}: {e.Message}");
        }
    }
}
