using System.Net;
using LiveSession.Server.Tests.Infrastructure;

namespace LiveSession.Server.Tests.ModeratorConsole;

/// <summary>
/// Console sessions end when the moderator says so: a logout revokes the session in the store, so a
/// copied cookie is refused on every node; the cookie is Secure outside Development (also behind a trusted TLS proxy). Real
/// Kestrel, real Redis for the two nodes.
/// </summary>
public sealed class ConsoleSessionTests
{
    [Fact]
    public async Task A_cookie_copied_before_logout_works_on_another_node_until_the_logout_and_never_after()
    {
        await using var redis = await RedisServer.StartNewAsync();
        var cluster = new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = redis.ConnectionString };
        await using var first = LiveServer.Start(new Dictionary<string, string?>(cluster));
        await using var second = LiveServer.Start(new Dictionary<string, string?>(cluster));
        var cookies = new CookieContainer();
        using var browser = Browser(first, cookies);
        using var login = await ConsoleLoginForm.PostAsync(browser, first.ModeratorKey);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var cookie = cookies.GetCookies(first.BaseAddress)["livesession-console"]!.Value;

        using var thief = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = second.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await ExportWithAsync(thief, cookie)).StatusCode);

        var token = await ConsoleLoginForm.AntiforgeryTokenAsync(browser, "/e/bms22/moderate/logout");
        using var logout = await browser.PostAsync("/e/bms22/moderate/auth/logout", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);

        using var afterLogout = await ExportWithAsync(thief, cookie);
        Assert.Equal(HttpStatusCode.Redirect, afterLogout.StatusCode);
        Assert.Contains("/moderate/login", afterLogout.Headers.Location!.OriginalString);
        using var onFirst = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = first.BaseAddress };
        Assert.Equal(HttpStatusCode.Redirect, (await ExportWithAsync(onFirst, cookie)).StatusCode);

        // A new login is a new session: it works.
        using var again = await ConsoleLoginForm.PostAsync(browser, first.ModeratorKey);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/e/bms22/moderate/export?format=json")).StatusCode);
    }

    [Fact]
    public async Task Outside_development_the_cookie_is_secure_and_a_plain_http_login_from_another_machine_is_refused_with_https_required()
    {
        await using var server = LiveServer.Start(new Dictionary<string, string?>
        {
            ["LiveSession:Console:CookieOverPlainHttp"] = "false",
            ["LiveSession:TrustedProxies:0"] = "127.0.0.1",
        });

        // On this machine (http://127.0.0.1 is a trustworthy origin: browsers keep its Secure cookies).
        using var local = Browser(server, new CookieContainer());
        using var login = await ConsoleLoginForm.PostAsync(local, server.ModeratorKey);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/e/bms22/moderate", login.Headers.Location!.OriginalString);
        Assert.Contains("; secure", ConsoleCookie(login), StringComparison.OrdinalIgnoreCase);

        // Another machine's address over plain HTTP: the page says so before a key is typed, the login is refused, no cookie.
        using var remote = Browser(server, new CookieContainer());
        remote.DefaultRequestHeaders.Host = "venue-laptop.example:8080";
        Assert.Contains("only works over HTTPS", await remote.GetStringAsync("/e/bms22/moderate/login").DefaultTimeout());
        using var refused = await ConsoleLoginForm.PostAsync(remote, server.ModeratorKey);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal("/e/bms22/moderate/login?error=https_required", refused.Headers.Location!.OriginalString);
        Assert.DoesNotContain(refused.Headers.TryGetValues("Set-Cookie", out var set) ? set : [], c => c.StartsWith("livesession-console=", StringComparison.Ordinal));

        // The same address behind the trusted TLS proxy: logged in, Secure.
        using var proxied = Browser(server, new CookieContainer());
        proxied.DefaultRequestHeaders.Host = "venue-laptop.example";
        proxied.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        using var overTls = await ConsoleLoginForm.PostAsync(proxied, server.ModeratorKey);
        Assert.Equal("/e/bms22/moderate", overTls.Headers.Location!.OriginalString);
        Assert.Contains("; secure", ConsoleCookie(overTls), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The opt-out for a closed network without TLS: Secure only when the request (or the trusted proxy) says HTTPS.</summary>
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData(null, false)]
    public async Task With_the_cookie_allowed_over_plain_http_it_is_secure_when_a_trusted_proxy_says_the_request_came_over_https(string? trustedProxy, bool secure)
    {
        await using var server = LiveServer.Start(new Dictionary<string, string?>
        {
            ["LiveSession:TrustedProxies:0"] = trustedProxy,
            ["LiveSession:Console:CookieOverPlainHttp"] = "true",
        });
        using var browser = Browser(server, new CookieContainer());
        browser.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        browser.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.9");

        using var login = await ConsoleLoginForm.PostAsync(browser, server.ModeratorKey);

        Assert.Equal(secure, ConsoleCookie(login).Contains("; secure", StringComparison.OrdinalIgnoreCase));
    }

    private static string ConsoleCookie(HttpResponseMessage login) =>
        Assert.Single(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("livesession-console=", StringComparison.Ordinal));

    private static HttpClient Browser(LiveServer server, CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    private static Task<HttpResponseMessage> ExportWithAsync(HttpClient client, string cookie)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/e/bms22/moderate/export?format=json");
        request.Headers.Add("Cookie", $"livesession-console={cookie}");
        return client.SendAsync(request).DefaultTimeout();
    }
}
