using System.Globalization;

namespace LiveSession.Server.ModeratorConsole;

/// <summary>
/// The console's words in English, French and German. Keyed by the English text, as gettext does, so
/// the markup stays readable; a text missing from a table shows in English rather than breaking the
/// console. The language comes from the switch (<c>?lang=</c>, then remembered in a cookie), else from
/// the browser's Accept-Language, else English: the same order as the attendee pages.
/// </summary>
public sealed partial class ConsoleText
{
    public const string CookieName = "livesession-console-lang";

    public static readonly IReadOnlyList<(string Code, string Name)> Languages = [("en", "English"), ("fr", "Français"), ("de", "Deutsch")];

    public static readonly ConsoleText English = new("en");

    private static readonly ConsoleText French = new("fr");
    private static readonly ConsoleText German = new("de");

    private ConsoleText(string language) => Language = language;

    public string Language { get; }

    /// <summary>For day and month names ("mar. 8 nov." rather than "Tue 8 Nov").</summary>
    public CultureInfo Culture => CultureInfo.GetCultureInfo(Language);

    public string this[string english] => Language switch
    {
        "fr" when Translations.TryGetValue(english, out var words) => words.Fr,
        "de" when Translations.TryGetValue(english, out var words) => words.De,
        _ => english,
    };

    /// <summary>Whether the tables hold French and German for this English text (a test checks every text the console uses).</summary>
    public static bool IsTranslated(string english) => Translations.ContainsKey(english);

    /// <summary>A word whose translation depends on where it stands (a question's status, not a counter's plural).</summary>
    public string Of(string context, string english)
    {
        var key = $"{context}|{english}";
        return Language != English.Language && Translations.ContainsKey(key) ? this[key] : english;
    }

    /// <summary>A text with {0}-style placeholders, filled in after translation.</summary>
    public string Format(string english, params object?[] values) => string.Format(CultureInfo.InvariantCulture, this[english], values);

    public static ConsoleText For(string? language) => language switch
    {
        "fr" => French,
        "de" => German,
        _ => English,
    };

    /// <summary>The language for this request; a <c>?lang=</c> choice is remembered in a cookie.</summary>
    public static string Choose(HttpContext? http)
    {
        if (http is null)
        {
            return English.Language;
        }

        if (Known(http.Request.Query["lang"].ToString()) is { } chosen)
        {
            if (!http.Response.HasStarted)
            {
                http.Response.Cookies.Append(CookieName, chosen, new CookieOptions
                {
                    HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, MaxAge = TimeSpan.FromDays(365),
                    Secure = http.Request.IsHttps,
                });
            }

            return chosen;
        }

        if (Known(http.Request.Cookies[CookieName]) is { } remembered)
        {
            return remembered;
        }

        var preferred = http.Request.GetTypedHeaders().AcceptLanguage
            .Where(value => value.Quality is not 0)
            .OrderByDescending(value => value.Quality ?? 1);
        foreach (var value in preferred)
        {
            if (Known(value.Value.Value?.Split('-')[0]) is { } language)
            {
                return language;
            }
        }

        return English.Language;
    }

    private static string? Known(string? code)
    {
        var lower = code?.Trim().ToLowerInvariant();
        return Languages.Any(l => l.Code == lower) ? lower : null;
    }
}
