using System.Net;
using LiveSession.Domain.Events;
using LiveSession.Server.Access;
using LiveSession.Server.Events;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LiveSession.Server.Tests.ModeratorConsole;

/// <summary>The console's cookie login over real HTTP: the form, the cookie, the throttle, the redirects.</summary>
public sealed class ConsoleLoginTests : IAsyncLifetime
{
    private readonly LiveServer _server = LiveServer.Start(new Dictionary<string, string?> { ["LiveSession:Console:FailedLoginsPerMinute"] = "3" });
    private readonly CookieContainer _cookies = new();
    private readonly HttpClient _browser;

    public ConsoleLoginTests()
    {
        _browser = new HttpClient(new HttpClientHandler { CookieContainer = _cookies, AllowAutoRedirect = false })
        {
            BaseAddress = _server.BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    [Fact]
    public async Task The_right_moderator_key_sets_a_strict_http_only_cookie_that_opens_the_console()
    {
        using var response = await LogInAsync(_server.ModeratorKey);

        Assert.Equal("/e/bms22/moderate", response.Headers.Location?.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        using var console = await _browser.GetAsync("/e/bms22/moderate").DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, console.StatusCode);
    }

    [Fact]
    public async Task A_moderator_name_longer_than_sixty_characters_is_refused_before_the_key_is_checked()
    {
        using var tooLong = await ConsoleLoginForm.PostAsync(_browser, _server.ModeratorKey, name: new string('n', 61));
        using var fine = await ConsoleLoginForm.PostAsync(_browser, _server.ModeratorKey, name: "  Anna  ");

        Assert.Equal("/e/bms22/moderate/login?error=name_too_long", tooLong.Headers.Location?.OriginalString);
        Assert.False(tooLong.Headers.Contains("Set-Cookie"));
        Assert.Equal("/e/bms22/moderate", fine.Headers.Location?.OriginalString);
        using var page = await _browser.GetAsync("/e/bms22/moderate/login?error=name_too_long").DefaultTimeout();
        Assert.Contains("That name is too long", await page.Content.ReadAsStringAsync().DefaultTimeout());
    }

    [Fact]
    public async Task The_organiser_key_opens_every_event()
    {
        using var response = await LogInAsync(LiveServer.OrganiserKey);

        Assert.Equal("/e/bms22/moderate", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_wrong_key_is_sent_back_to_the_login_page_without_a_cookie()
    {
        using var response = await LogInAsync("lsk_not-a-key");

        Assert.Equal("/e/bms22/moderate/login?error=unauthorized", response.Headers.Location?.OriginalString);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        using var console = await _browser.GetAsync("/e/bms22/moderate").DefaultTimeout();
        Assert.Equal("/e/bms22/moderate/login", console.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_moderator_key_of_another_event_does_not_log_in()
    {
        var other = await _server.Services.GetRequiredService<EventCatalog>()
            .CreateAsync(DemoEvent.Load() with { Code = "other-event" }, CancellationToken.None).DefaultTimeout();
        var otherKey = other.ModeratorKey;

        using var response = await LogInAsync(otherKey);

        Assert.Equal("/e/bms22/moderate/login?error=unauthorized", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task After_six_wrong_keys_from_one_address_the_right_keys_still_log_in_and_wrong_ones_are_rate_limited()
    {
        var answers = new List<string?>();
        for (var i = 0; i < 6; i++)
        {
            using var failed = await LogInAsync($"lsk_guess-{i}");
            answers.Add(failed.Headers.Location?.OriginalString);
        }

        using var organiser = await LogInAsync(LiveServer.OrganiserKey);
        using var moderator = await LogInAsync(_server.ModeratorKey);
        using var wrong = await LogInAsync("lsk_guess-again");

        // The budget here is 3 wrong keys a minute: the 4th and later are refused as rate_limited.
        Assert.Equal([.. Enumerable.Repeat("/e/bms22/moderate/login?error=unauthorized", 3), .. Enumerable.Repeat("/e/bms22/moderate/login?error=rate_limited", 3)], answers);
        Assert.Equal("/e/bms22/moderate", organiser.Headers.Location?.OriginalString);
        Assert.Equal("/e/bms22/moderate", moderator.Headers.Location?.OriginalString);
        Assert.Contains(moderator.Headers.GetValues("Set-Cookie"), cookie => cookie.StartsWith("livesession-console=", StringComparison.Ordinal));
        using var console = await _browser.GetAsync("/e/bms22/moderate").DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, console.StatusCode);
        Assert.Equal("/e/bms22/moderate/login?error=rate_limited", wrong.Headers.Location?.OriginalString);
        Assert.False(wrong.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Wrong_bearer_keys_on_the_api_use_up_the_same_allowance_as_console_logins()
    {
        using var guesser = _server.CreateClient("lsk_guessed-on-the-api");
        for (var i = 0; i < 3; i++)
        {
            using var refused = await guesser.GetAsync("/api/events/bms22/questions").DefaultTimeout();
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var wrong = await LogInAsync("lsk_guess-on-the-console");
        using var right = await LogInAsync(_server.ModeratorKey);

        Assert.Equal("/e/bms22/moderate/login?error=rate_limited", wrong.Headers.Location?.OriginalString);
        Assert.Equal("/e/bms22/moderate", right.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_login_post_without_the_antiforgery_token_is_refused()
    {
        using var response = await _browser.PostAsync("/e/bms22/moderate/auth/login",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = _server.ModeratorKey })).DefaultTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task The_console_cookie_does_not_open_the_bearer_api()
    {
        using var login = await LogInAsync(_server.ModeratorKey);

        using var api = await _browser.GetAsync("/api/events/bms22/questions").DefaultTimeout();

        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task Export_downloads_with_the_cookie_and_redirects_to_login_without_it()
    {
        using var anonymous = await _browser.GetAsync("/e/bms22/moderate/export?format=csv").DefaultTimeout();
        Assert.Equal("/e/bms22/moderate/login", anonymous.Headers.Location?.OriginalString);

        using var login = await LogInAsync(_server.ModeratorKey);
        using var export = await _browser.GetAsync("/e/bms22/moderate/export?format=csv").DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_new_moderator_key_logs_out_consoles_opened_with_the_old_one()
    {
        using var login = await LogInAsync(_server.ModeratorKey);
        await _server.Services.GetRequiredService<ModeratorKeys>()
            .IssueAsync("bms22", "moderators", replaceExisting: true, Actor.Organiser, CancellationToken.None).DefaultTimeout();

        using var console = await _browser.GetAsync("/e/bms22/moderate").DefaultTimeout();

        Assert.Equal("/e/bms22/moderate/login", console.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_circuit_endpoint_answers_only_with_a_console_cookie()
    {
        using var anonymous = await _browser.PostAsync("/_blazor/negotiate?negotiateVersion=1", null).DefaultTimeout();
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var login = await LogInAsync(_server.ModeratorKey);
        using var negotiate = await _browser.PostAsync("/_blazor/negotiate?negotiateVersion=1", null).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, negotiate.StatusCode);
    }

    [Fact]
    public async Task Logout_ends_the_session()
    {
        using var login = await LogInAsync(_server.ModeratorKey);
        var token = await AntiforgeryTokenAsync("/e/bms22/moderate/logout");

        using var logout = await _browser.PostAsync("/e/bms22/moderate/auth/logout",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token })).DefaultTimeout();

        Assert.Equal("/e/bms22/moderate/login?out=1", logout.Headers.Location?.OriginalString);
        using var console = await _browser.GetAsync("/e/bms22/moderate").DefaultTimeout();
        Assert.Equal(HttpStatusCode.Redirect, console.StatusCode);
    }

    private Task<HttpResponseMessage> LogInAsync(string key) => ConsoleLoginForm.PostAsync(_browser, key);

    private Task<string> AntiforgeryTokenAsync(string page) => ConsoleLoginForm.AntiforgeryTokenAsync(_browser, page);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _browser.Dispose();
        await _server.DisposeAsync();
    }
}
