// Escaping for everything a report writes from run data: HTML text, attributes and embedded JSON.
using System.Text;

namespace Workbench.Reports;

public static class HtmlText
{
    /// <summary>Text safe in HTML element content and quoted attribute values: &amp; &lt; &gt; " ' escaped.</summary>
    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        }
        return builder.ToString();
    }

    /// <summary>
    /// JSON made safe to sit inside &lt;script type="application/json"&gt;: every &lt; becomes \u003c, so
    /// neither `&lt;/script` nor `&lt;!--` can appear, and &gt; and &amp; are escaped likewise. Outside
    /// strings JSON has no such characters, so JSON.parse reads the same value back.
    /// </summary>
    public static string ScriptJson(string json) =>
        json.Replace("<", "\\u003c", StringComparison.Ordinal)
            .Replace(">", "\\u003e", StringComparison.Ordinal)
            .Replace("&", "\\u0026", StringComparison.Ordinal);
}
