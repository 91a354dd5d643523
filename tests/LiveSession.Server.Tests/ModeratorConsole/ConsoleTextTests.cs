using System.Text;
using LiveSession.Server.ModeratorConsole;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace LiveSession.Server.Tests.ModeratorConsole;

/// <summary>The console's words in EN/FR/DE: every text it looks up has a translation, and the language is chosen like the attendee pages'.</summary>
public sealed class ConsoleTextTests
{
    [Fact]
    public void Every_text_the_console_looks_up_has_french_and_german()
    {
        var files = Directory.GetFiles(RepositoryFiles.Path("src", "LiveSession.Server", "ModeratorConsole"))
            .Where(f => f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .Append(RepositoryFiles.Path("src", "LiveSession.Server", "Components", "App.razor"))
            .Where(f => !Path.GetFileName(f).StartsWith("ConsoleText", StringComparison.Ordinal));

        var texts = files.SelectMany(f => LookedUp(File.ReadAllText(f))).Distinct().ToList();

        Assert.True(texts.Count > 150, $"only {texts.Count} texts found: the scan is broken");
        var missing = texts.Where(text => !ConsoleText.IsTranslated(text)).ToList();
        Assert.True(missing.Count == 0, "no French and German for: " + string.Join(" | ", missing));
    }

    [Theory]
    [InlineData("fr-FR,fr;q=0.9,en;q=0.5", null, null, "fr")]
    [InlineData("de-CH, en;q=0.8", null, null, "de")]
    [InlineData("es-ES, it;q=0.8", null, null, "en")]
    [InlineData("en;q=0.4, de;q=0.9", null, null, "de")]
    [InlineData("de", "fr", null, "fr")]
    [InlineData("fr", "de", "en", "en")]
    public void The_language_is_the_switch_then_the_cookie_then_accept_language(string acceptLanguage, string? cookie, string? query, string expected)
    {
        var http = new DefaultHttpContext();
        http.Request.Headers.AcceptLanguage = acceptLanguage;
        if (cookie is not null)
        {
            http.Request.Headers.Cookie = $"{ConsoleText.CookieName}={cookie}";
        }

        if (query is not null)
        {
            http.Request.QueryString = new QueryString($"?lang={query}");
        }

        Assert.Equal(expected, ConsoleText.Choose(http));
        Assert.Equal(query is not null, http.Response.Headers.SetCookie.ToString().Contains(ConsoleText.CookieName, StringComparison.Ordinal));
    }

    [Fact]
    public void A_text_missing_from_the_tables_shows_in_english_and_placeholders_are_filled_after_translation()
    {
        Assert.Equal("Not in any table", ConsoleText.For("de")["Not in any table"]);
        Assert.Equal("Donner la parole à Ana", ConsoleText.For("fr").Format("Give the floor to {0}", "Ana"));
        Assert.Equal("publiée", ConsoleText.For("fr").Of("status", "approved"));
        Assert.Equal("approved", ConsoleText.English.Of("status", "approved"));
    }

    /// <summary>The string literals inside every T[…], T.Format(…), t[…], t.Format(…) and _text[…] of a source file.</summary>
    private static IEnumerable<string> LookedUp(string source)
    {
        foreach (var opener in new[] { "T[", "T.Format(", "t[", "t.Format(", "_text[" })
        {
            for (var at = source.IndexOf(opener, StringComparison.Ordinal); at >= 0; at = source.IndexOf(opener, at + 1, StringComparison.Ordinal))
            {
                if (at > 0 && (char.IsLetterOrDigit(source[at - 1]) || source[at - 1] == '_' && opener != "_text["))
                {
                    continue;
                }

                foreach (var literal in LiteralsInBrackets(source, at + opener.Length))
                {
                    yield return literal;
                }
            }
        }
    }

    private static IEnumerable<string> LiteralsInBrackets(string source, int start)
    {
        var depth = 1;
        for (var i = start; i < source.Length && depth > 0; i++)
        {
            var c = source[i];
            if (c == '"')
            {
                // A literal compared with (status == "closed" ? … : …) chooses a text, it is not one.
                var compared = source[..i].TrimEnd().EndsWith("==", StringComparison.Ordinal);
                var literal = new StringBuilder();
                for (i++; i < source.Length && source[i] != '"'; i++)
                {
                    if (source[i] == '\\')
                    {
                        i++;
                    }

                    literal.Append(source[i]);
                }

                if (!compared)
                {
                    yield return literal.ToString();
                }
            }
            else if (c is '[' or '(')
            {
                depth++;
            }
            else if (c is ']' or ')')
            {
                depth--;
            }
        }
    }
}
