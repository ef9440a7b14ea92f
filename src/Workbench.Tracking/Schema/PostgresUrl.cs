// Reads --db postgresql://user[:password]@host[:port]/database into Npgsql's connection settings.
// Npgsql takes key=value strings only, and a URL is what users copy from their database host.
using Npgsql;

namespace Workbench.Tracking.Schema;

internal sealed record PostgresUrl(string User, string? Password, string Host, int Port, string Database)
{
    public const int DefaultPort = 5432;

    /// <summary>The URL without its password: what messages and `show` print.</summary>
    public string Display => $"postgresql://{User}@{(Host.Contains(':') ? $"[{Host}]" : Host)}:{Port}/{Database}";

    /// <summary>
    /// The URL without its password, with user and database escaped so that it parses back to this one:
    /// what a child workbench process gets in its argv (which `ps` shows to every user of the machine),
    /// the password going beside it in PGPASSWORD (<see cref="Password"/>).
    /// </summary>
    public string WithoutPassword =>
        $"postgresql://{Uri.EscapeDataString(User)}@{(Host.Contains(':') ? $"[{Host}]" : Host)}:{Port}/{Uri.EscapeDataString(Database)}";

    /// <summary>The server as "host:port", for messages about reaching it.</summary>
    public string Server => $"{Host}:{Port}";

    /// <summary>
    /// Parses a postgresql:// (or postgres://) URL. The password, when the URL has none, comes from
    /// PGPASSWORD. Percent-escapes are decoded, so a password may hold any character.
    /// </summary>
    /// <exception cref="RunStoreException">The URL is malformed; the message says which part.</exception>
    public static PostgresUrl Parse(string url)
    {
        const string shape = "expected postgresql://user[:password]@host[:port]/database";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgresql" or "postgres"))
        {
            throw Malformed(url, $"it is not a URL; {shape}");
        }
        if (uri.UserInfo.Length == 0)
        {
            throw Malformed(url, $"it names no user; {shape}");
        }
        if (uri.IdnHost.Length == 0)
        {
            throw Malformed(url, $"it names no host; {shape}");
        }
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length == 0 || database.Contains('/'))
        {
            throw Malformed(url, $"it names no database (or more than one path segment); {shape}");
        }
        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw Malformed(url, $"options after '?' or '#' are not supported; {shape}");
        }
        var colon = uri.UserInfo.IndexOf(':');
        var user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
        var password = colon < 0
            ? Environment.GetEnvironmentVariable("PGPASSWORD") is { Length: > 0 } fromEnv ? fromEnv : null
            : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        return new PostgresUrl(user, password, uri.IdnHost, uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port, database);
    }

    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = Port,
        Username = User,
        Password = Password,
        Database = Database,
        ApplicationName = "workbench",
        // An unreachable server is reported within seconds rather than after Npgsql's default 15 s.
        Timeout = 10,
        Pooling = true,
    }.ConnectionString;

    private static RunStoreException Malformed(string url, string why) =>
        new($"--db '{Redacted(url)}': {why}");

    /// <summary>A URL with its password (if any) replaced by ***: for messages and stored command lines.</summary>
    public static string Redacted(string url)
    {
        var at = url.LastIndexOf('@');
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (at < 0 || scheme < 0 || at < scheme) return url;
        var colon = url.IndexOf(':', scheme + 3);
        return colon >= 0 && colon < at ? url[..colon] + ":***" + url[at..] : url;
    }
}
