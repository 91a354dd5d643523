using System.Text.RegularExpressions;

namespace LiveSession.Server.Tests.Infrastructure;

/// <summary>The console's login form as a browser posts it: the page's antiforgery token, then the key.</summary>
public static partial class ConsoleLoginForm
{
    /// <param name="name">The optional moderator name typed next to the key.</param>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient browser, string key, string code = "bms22", string? name = null)
    {
        var token = await AntiforgeryTokenAsync(browser, $"/e/{code}/moderate/login");
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["key"] = key,
        };
        if (name is not null)
        {
            fields["name"] = name;
        }

        return await browser.PostAsync($"/e/{code}/moderate/auth/login", new FormUrlEncodedContent(fields)).DefaultTimeout();
    }

    public static async Task<string> AntiforgeryTokenAsync(HttpClient browser, string page)
    {
        var html = await browser.GetStringAsync(page).DefaultTimeout();
        return TokenField().Match(html).Groups[1].Value;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
