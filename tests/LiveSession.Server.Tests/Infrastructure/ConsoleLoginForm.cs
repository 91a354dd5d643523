using System.Text.RegularExpressions;

namespace LiveSession.Server.Tests.Infrastructure;

/// <summary>The console's login form as a browser posts it: the page's antiforgery token, then the key.</summary>
public static partial class ConsoleLoginForm
{
    public static async Task<HttpResponseMessage> PostAsync(HttpClient browser, string key, string code = "bms22")
    {
        var token = await AntiforgeryTokenAsync(browser, $"/e/{code}/moderate/login");
        return await browser.PostAsync($"/e/{code}/moderate/auth/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["key"] = key,
        })).DefaultTimeout();
    }

    public static async Task<string> AntiforgeryTokenAsync(HttpClient browser, string page)
    {
        var html = await browser.GetStringAsync(page).DefaultTimeout();
        return TokenField().Match(html).Groups[1].Value;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
