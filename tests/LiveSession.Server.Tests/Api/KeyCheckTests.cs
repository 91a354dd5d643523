using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveSession.Server.Access;
using LiveSession.Server.Tests.Infrastructure;
using LiveSession.Server.Tests.Observability;
using Microsoft.Extensions.Logging;

namespace LiveSession.Server.Tests.Api;

/// <summary>
/// Wrong keys on real Kestrel, as one script on one address sends them: the correct keys still work,
/// wrong ones get <c>rate_limited</c> past the allowance, and the failures are counted, not logged above Debug.
/// In the metrics collection: the meter's series are read from the process's one exporter.
/// </summary>
[Collection(AloneInProcessCollection.Name)]
public sealed class KeyCheckTests
{
    private const string Questions = "/api/events/bms22/questions";

    [Fact]
    public async Task After_an_address_used_up_its_wrong_bearer_keys_the_right_keys_still_authorise_and_wrong_ones_get_429()
    {
        await using var server = LiveServer.Start();
        using var guesser = server.CreateClient("lsk_guess-0000000000000000000000000000000000000");
        using var moderator = server.CreateModeratorClient();
        using var organiser = server.CreateClient(LiveServer.OrganiserKey);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var refused = await guesser.GetAsync(Questions).DefaultTimeout();
            statuses.Add(refused.StatusCode);
        }

        using var limited = await guesser.GetAsync(Questions).DefaultTimeout();
        using var byModerator = await moderator.GetAsync(Questions).DefaultTimeout();
        using var byOrganiser = await organiser.GetAsync("/api/events").DefaultTimeout();
        using var withoutKey = await server.CreateClient().GetAsync(Questions).DefaultTimeout();

        // The default allowance is 5 wrong keys a minute per address.
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 5), HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("rate_limited", (await limited.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout()).GetProperty("code").GetString());
        Assert.StartsWith("application/problem+json", limited.Content.Headers.ContentType?.ToString());
        var retryAfter = int.Parse(Assert.Single(limited.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal(HttpStatusCode.OK, byModerator.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byOrganiser.StatusCode);
        // No key at all is no guess: still 401, whatever the allowance.
        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
    }

    [Fact]
    public async Task A_thousand_wrong_bearer_keys_write_no_information_line_and_are_counted_by_surface()
    {
        using var logs = new CapturedLogs();
        await using var server = LiveServer.Start(new Dictionary<string, string?>
        {
            // Debug for the failures' own line, to see that each one is logged there (and only there).
            ["Logging:LogLevel:LiveSession.Server.Access.KeyCheckThrottle"] = "Debug",
        }, logs: logs);
        using var guesser = server.CreateClient();
        var before = logs.Entries.Count;

        for (var i = 0; i < 1000; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Questions);
            request.Headers.Authorization = new("Bearer", $"lsk_guess-{i:D6}");
            using var refused = await guesser.SendAsync(request).DefaultTimeout();
            Assert.True(refused.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, $"guess {i}: {refused.StatusCode}");
        }

        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
        for (var i = 0; i < 3; i++)
        {
            using var login = await ConsoleLoginForm.PostAsync(browser, $"lsk_console-guess-{i}");
            Assert.Equal("/e/bms22/moderate/login?error=rate_limited", login.Headers.Location?.OriginalString);
        }

        var during = logs.Entries.Skip(before).ToList();
        var loud = during.Where(entry => entry.Level >= LogLevel.Information).ToList();
        Assert.True(loud.Count == 0, "Logged above Debug: " + string.Join(" | ", loud.Take(5).Select(entry => $"{entry.Level} {entry.Category}: {entry.Message}")));
        Assert.Equal(1003, during.Count(entry => entry.Level == LogLevel.Debug && entry.Category.EndsWith("KeyCheckThrottle", StringComparison.Ordinal)));

        await WaitForCountersAsync(server,
            ("api", "unauthorized", 5),
            ("api", "rate_limited", 995),
            ("console", "rate_limited", 3));
    }

    [Theory]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:9", true)]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:3::1", false)]
    [InlineData("::ffff:192.0.2.7", "192.0.2.7", true)]
    [InlineData("192.0.2.7", "192.0.2.8", false)]
    public void Clients_share_an_allowance_by_IPv4_address_and_by_IPv6_64(string one, string other, bool shared) =>
        Assert.Equal(shared, KeyCheckThrottle.Partition(IPAddress.Parse(one)) == KeyCheckThrottle.Partition(IPAddress.Parse(other)));

    /// <summary>The exporter caches a scrape briefly: read until every series has its value.</summary>
    private static async Task WaitForCountersAsync(LiveServer server, params (string Surface, string Outcome, int Count)[] expected)
    {
        using var http = server.CreateClient(LiveServer.OrganiserKey);
        var deadline = DateTime.UtcNow + TaskTimeoutExtensions.Timeout;
        while (true)
        {
            var series = (await http.GetStringAsync("/metrics").DefaultTimeout()).Split('\n')
                .Where(line => line.StartsWith("livesession_key_checks_failed_total{", StringComparison.Ordinal)).ToList();
            var missing = expected.Where(counter => !series.Any(line =>
                line.Contains($"surface=\"{counter.Surface}\"", StringComparison.Ordinal)
                && line.Contains($"outcome=\"{counter.Outcome}\"", StringComparison.Ordinal)
                && line.Split(' ')[1] == counter.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
            if (missing.Count == 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Missing {string.Join(", ", missing)} in: {string.Join(" | ", series)}");
            await Task.Delay(100);
        }
    }
}
