// Escaping for Markdown: run names, tags and config values are shown as text, never as formatting or links.
using System.Text;

namespace Workbench.Reports;

internal static class MarkdownText
{
    // CommonMark lets a backslash escape any ASCII punctuation; these are the ones that could start
    // emphasis, code, a link or image (no `[`, no link), a closing heading mark, strikethrough or (in a
    // table) a new cell. `<` is escaped where it could open HTML. The rest stays as typed, so the raw
    // text reads well too (`p < 0.001`).
    private const string Special = "\\`*_[]#|~";

    /// <summary><paramref name="text"/> as literal Markdown inline text on one line.</summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\r' or '\n')
            {
                escaped.Append(' ');
                continue;
            }
            // An underscore inside a word never starts emphasis, so `samples_per_s` stays as typed.
            var insideWord = c == '_' && i > 0 && i < text.Length - 1 && char.IsLetterOrDigit(text[i - 1]) && char.IsLetterOrDigit(text[i + 1]);
            var opensHtml = c == '<' && i < text.Length - 1 && (char.IsAsciiLetter(text[i + 1]) || text[i + 1] is '/' or '!' or '?');
            if ((Special.Contains(c) && !insideWord) || opensHtml)
            {
                escaped.Append('\\');
            }
            escaped.Append(c);
        }
        return escaped.ToString();
    }

    /// <summary>A link target for a relative path: each segment percent-encoded, so spaces and brackets survive.</summary>
    public static string Link(string relativePath) =>
        string.Join('/', relativePath.Split('/').Select(Uri.EscapeDataString));
}
