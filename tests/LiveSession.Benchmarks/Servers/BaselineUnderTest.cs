using System.Net.Http.Json;
using System.Text.Json;
using LiveSession.Benchmarks.Load;
using LiveSession.Benchmarks.Wire;

namespace LiveSession.Benchmarks.Servers;

/// <summary>
/// The baseline server (in this process or a child process): "approving" broadcasts an update
/// shaped and sized like LiveSession's approved-question update; "screening" one like its
/// screen update; a poll is opened with its results shown by one call.
/// </summary>
public sealed class BaselineUnderTest(Uri baseAddress, int? processId, IAsyncDisposable? owned) : ISessionUnderTest
{
    private readonly HttpClient _http = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    private readonly Dictionary<string, int> _numbers = [];

    public string Name => "baseline";

    public IReadOnlyList<Uri> HubUrls { get; } = [LiveSessionUnderTest.HubUrl(baseAddress)];

    public int? ProcessId => processId;

    public string EventCode => "bms22";

    public Task<IReadOnlyList<string>> AskAsync(int count, IReadOnlyList<Attendee> askers, CancellationToken cancellationToken)
    {
        var ids = Enumerable.Range(0, count).Select(i => $"b{Guid.NewGuid():N}"[..13]).ToList();
        lock (_numbers)
        {
            for (var i = 0; i < count; i++)
            {
                _numbers[ids[i]] = i;
            }
        }

        return Task.FromResult<IReadOnlyList<string>>(ids);
    }

    public Task ApproveAsync(string questionId, CancellationToken cancellationToken)
    {
        int number;
        lock (_numbers)
        {
            number = _numbers[questionId];
        }

        var now = DateTimeOffset.UtcNow;
        return BroadcastAsync("question", new
        {
            id = questionId,
            text = QuestionTexts.For(number),
            authorName = (string?)null,
            addressedToSpeakerId = (string?)null,
            origin = "remote",
            status = "approved",
            votes = 0,
            revision = 2,
            createdAt = now,
            mergedIntoId = (string?)null,
            edited = false,
        }, cancellationToken);
    }

    public Task<string?> DisplayKeyAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    public Task ScreenAsync(string questionId, CancellationToken cancellationToken) =>
        BroadcastAsync("screen", new { questionId }, cancellationToken);

    public async Task<IReadOnlyDictionary<string, int>> TalliesAsync(IReadOnlyList<string> questionIds, CancellationToken cancellationToken)
    {
        var counts = await _http.GetFromJsonAsync<Dictionary<string, int>>("/tallies", cancellationToken) ?? [];
        return questionIds.ToDictionary(id => id, id => counts.GetValueOrDefault(id));
    }

    public async Task<StartedPoll> StartPollAsync(string question, IReadOnlyList<string> choices, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync("/polls", new { question, choices }, cancellationToken);
        response.EnsureSuccessStatusCode();
        var poll = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return new StartedPoll(poll.GetProperty("id").GetString()!, poll.GetProperty("choiceIds").EnumerateArray().Select(c => c.GetString()!).ToList());
    }

    public async Task<WirePollResults> PollResultsAsync(string pollId, CancellationToken cancellationToken)
    {
        var results = await _http.GetFromJsonAsync<JsonElement>($"/polls/{pollId}", cancellationToken);
        return new WirePollResults(
            results.GetProperty("total").GetInt32(),
            results.GetProperty("counts").EnumerateObject().ToDictionary(c => c.Name, c => c.Value.GetInt32()));
    }

    public async Task<bool> IsAliveAsync()
    {
        try
        {
            using var response = await _http.GetAsync("/healthz");
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (owned is not null)
        {
            await owned.DisposeAsync();
        }
    }

    private async Task BroadcastAsync(string type, object data, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync("/broadcast", new { type, data }, cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}
