using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LiveSession.Benchmarks.Load;
using LiveSession.Benchmarks.Wire;

namespace LiveSession.Benchmarks.Servers;

/// <summary>
/// LiveSession nodes: attendees on the hub, the moderator on the HTTP API of the first node
/// (organiser key). When <paramref name="owned"/> is given, the tool started the node and stops it.
/// </summary>
public sealed class LiveSessionUnderTest(
    IReadOnlyList<Uri> baseAddresses, string organiserKey, string eventCode, int? processId, ServerProcess? owned) : ISessionUnderTest
{
    public const int QuestionsPerAsker = 5; // the server's default per-attendee limit a minute

    private readonly HttpClient _moderator = CreateModerator(baseAddresses[0], organiserKey);

    public string Name => "livesession";

    public IReadOnlyList<Uri> HubUrls { get; } = baseAddresses.Select(HubUrl).ToList();

    public int? ProcessId => processId;

    public string EventCode => eventCode;

    public static Uri HubUrl(Uri baseAddress) =>
        new UriBuilder(baseAddress) { Scheme = baseAddress.Scheme == "https" ? "wss" : "ws", Path = "/hubs/live" }.Uri;

    public async Task<IReadOnlyList<string>> AskAsync(int count, IReadOnlyList<Attendee> askers, CancellationToken cancellationToken)
    {
        if (askers.Count * QuestionsPerAsker < count)
        {
            throw new InvalidOperationException($"{count} questions need {Math.Ceiling(count / (double)QuestionsPerAsker)} askers at {QuestionsPerAsker} a minute each.");
        }

        var ids = new string[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (i, _) =>
            {
                var asked = await askers[i / QuestionsPerAsker].InvokeWithObjectAsync("Ask", new { text = QuestionTexts.For(i) });
                ids[i] = asked.Succeeded && asked.Result is { } result
                    ? result.GetProperty("questionId").GetString()!
                    : throw new InvalidOperationException($"Ask refused: {asked.Error}");
            });
        return ids;
    }

    public async Task ApproveAsync(string questionId, CancellationToken cancellationToken)
    {
        using var response = await _moderator.PostAsync($"/api/events/{eventCode}/questions/{questionId}/approve", null, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    public async Task ScreenAsync(string questionId, CancellationToken cancellationToken)
    {
        using var response = await _moderator.PutAsJsonAsync($"/api/events/{eventCode}/screen", new { questionId }, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    public async Task<string?> DisplayKeyAsync(CancellationToken cancellationToken)
    {
        var links = await _moderator.GetFromJsonAsync<JsonElement>($"/api/events/{eventCode}/displays", cancellationToken);
        var screenUrl = new Uri(links.GetProperty("screenUrl").GetString()!);
        return Uri.UnescapeDataString(screenUrl.Query["?display=".Length..]);
    }

    public async Task<IReadOnlyDictionary<string, int>> TalliesAsync(IReadOnlyList<string> questionIds, CancellationToken cancellationToken)
    {
        var questions = await _moderator.GetFromJsonAsync<JsonElement>($"/api/events/{eventCode}/questions", cancellationToken);
        var wanted = questionIds.ToHashSet();
        return questions.EnumerateArray()
            .Where(q => wanted.Contains(q.GetProperty("id").GetString()!))
            .ToDictionary(q => q.GetProperty("id").GetString()!, q => q.GetProperty("votes").GetInt32());
    }

    public async Task<StartedPoll> StartPollAsync(string question, IReadOnlyList<string> choices, CancellationToken cancellationToken)
    {
        using var created = await _moderator.PostAsJsonAsync($"/api/events/{eventCode}/polls", new { question, kind = "single", choices }, cancellationToken);
        await EnsureSuccessAsync(created, cancellationToken);
        var poll = await created.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var id = poll.GetProperty("id").GetString()!;
        foreach (var action in new[] { "open", "show-results" })
        {
            using var response = await _moderator.PostAsync($"/api/events/{eventCode}/polls/{id}/{action}", null, cancellationToken);
            await EnsureSuccessAsync(response, cancellationToken);
        }

        return new StartedPoll(id, poll.GetProperty("choices").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToList());
    }

    public async Task<WirePollResults> PollResultsAsync(string pollId, CancellationToken cancellationToken)
    {
        var poll = await _moderator.GetFromJsonAsync<JsonElement>($"/api/events/{eventCode}/polls/{pollId}", cancellationToken);
        var results = poll.GetProperty("results");
        return new WirePollResults(
            results.GetProperty("total").GetInt32(),
            results.GetProperty("counts").EnumerateObject().ToDictionary(c => c.Name, c => c.Value.GetInt32()));
    }

    public async Task<bool> IsAliveAsync()
    {
        try
        {
            using var response = await _moderator.GetAsync("/healthz");
            return response.IsSuccessStatusCode && owned is not { HasExited: true };
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _moderator.Dispose();
        if (owned is not null)
        {
            await owned.DisposeAsync();
        }
    }

    private static HttpClient CreateModerator(Uri baseAddress, string organiserKey)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", organiserKey);
        return client;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} → {(int)response.StatusCode}: {body}");
        }
    }
}
