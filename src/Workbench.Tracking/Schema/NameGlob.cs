// `ls --name GLOB` on PostgreSQL: SQLite's GLOB (*, ?, [abc], [^abc]; case-sensitive) as the POSIX
// regular expression that PostgreSQL's ~ operator matches, so both stores list the same runs.
using System.Text;

namespace Workbench.Tracking.Schema;

internal static class NameGlob
{
    public static string ToRegex(string glob)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            var close = c == '[' ? glob.IndexOf(']', i + 2) : -1;  // "[]...]" holds a literal ']'
            switch (c)
            {
                case '*':
                    regex.Append(".*");
                    break;
                case '?':
                    regex.Append('.');
                    break;
                case '[' when close > 0:
                    // A bracket expression means the same in both, once a literal backslash is escaped.
                    regex.Append(glob, i, close - i + 1).Replace("\\", "\\\\", regex.Length - (close - i + 1), close - i + 1);
                    i = close;
                    break;
                default:
                    if (!char.IsLetterOrDigit(c)) regex.Append('\\');
                    regex.Append(c);
                    break;
            }
        }
        return regex.Append('$').ToString();
    }
}
