using System.Text.Json;
using LiveSession.Server.Live;
using LiveSession.Server.Polls;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveSession.Server.Tests.Infrastructure;

/// <summary>
/// An attendee on the real SignalR .NET client, over WebSockets to the real server. It records
/// every update and keeps a local view the way a well-behaved client does (apply in order,
/// resync on a gap), so tests can compare it with a fresh snapshot.
/// </summary>
public sealed class LiveClient : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly List<UpdateDto> _updates = [];
    private readonly SemaphoreSlim _changed = new(0);

    private LiveClient(HubConnection connection)
    {
        _connection = connection;
        _connection.On<UpdateDto>("Update", update =>
        {
            lock (_updates)
            {
                _updates.Add(update);
            }

            _changed.Release();
        });
    }

    public SnapshotDto? Snapshot { get; private set; }

    public string? Token => Snapshot?.AttendeeToken;

    public HubConnection Connection => _connection;

    public IReadOnlyList<UpdateDto> Updates
    {
        get
        {
            lock (_updates)
            {
                return _updates.ToList();
            }
        }
    }

    public static Task<LiveClient> ConnectAsync(LiveServer server) => ConnectAsync(server.HubUrl);

    /// <param name="hubUrl">The hub, on a node or behind a load balancer.</param>
    /// <param name="configure">More client settings, such as automatic reconnect.</param>
    public static async Task<LiveClient> ConnectAsync(string hubUrl, Action<IHubConnectionBuilder>? configure = null)
    {
        var builder = new HubConnectionBuilder()
            .WithUrl(hubUrl, options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
            });
        configure?.Invoke(builder);
        var connection = builder.Build();
        await connection.StartAsync().DefaultTimeout();
        return new LiveClient(connection);
    }

    public static async Task<LiveClient> JoinAsync(LiveServer server, string eventCode = "bms22", string? token = null, string? origin = null)
    {
        var client = await ConnectAsync(server);
        await client.JoinAsync(eventCode, token, origin);
        return client;
    }

    /// <summary>Connects and joins as a display (room screen, overlay) with the event's display key.</summary>
    public static async Task<LiveClient> JoinDisplayAsync(LiveServer server, string displayKey, string eventCode = "bms22")
    {
        var client = await ConnectAsync(server);
        await client.JoinDisplayAsync(displayKey, eventCode);
        return client;
    }

    public async Task<SnapshotDto> JoinDisplayAsync(string? displayKey, string eventCode = "bms22")
    {
        Snapshot = await _connection.InvokeAsync<SnapshotDto>("JoinDisplay", eventCode, displayKey).DefaultTimeout();
        return Snapshot;
    }

    public async Task<SnapshotDto> JoinAsync(string eventCode = "bms22", string? token = null, string? origin = null)
    {
        Snapshot = await _connection.InvokeAsync<SnapshotDto>("Join", eventCode, token, origin).DefaultTimeout();
        return Snapshot;
    }

    public Task<AskResult> AskAsync(string? text, string? authorName = null, string? addressedTo = null, string? requestId = null) =>
        _connection.InvokeAsync<AskResult>("Ask", new AskRequest(text, authorName, addressedTo) { RequestId = requestId }).DefaultTimeout();

    public Task<JsonElement> VoteAsync(string? questionId) =>
        _connection.InvokeAsync<JsonElement>("Vote", questionId).DefaultTimeout();

    public Task<JsonElement> UnvoteAsync(string? questionId) =>
        _connection.InvokeAsync<JsonElement>("Unvote", questionId).DefaultTimeout();

    public Task<AskResult> WithdrawAsync(string? questionId) =>
        _connection.InvokeAsync<AskResult>("Withdraw", questionId).DefaultTimeout();

    /// <summary><c>PollAnswer</c>: choice ids for a single/multiple poll, words for a word cloud.</summary>
    public Task<PollAnswerDto> PollAnswerAsync(string? pollId, string[]? choiceIds = null, string[]? words = null) =>
        _connection.InvokeAsync<PollAnswerDto>("PollAnswer", pollId, new PollAnswerRequest(choiceIds, words)).DefaultTimeout();

    public async Task<SnapshotDto> ResyncAsync()
    {
        Snapshot = await _connection.InvokeAsync<SnapshotDto>("Snapshot").DefaultTimeout();
        return Snapshot;
    }

    /// <summary>Waits until an update matching <paramref name="predicate"/> has arrived, and returns it.</summary>
    public async Task<UpdateDto> WaitForUpdateAsync(Func<UpdateDto, bool> predicate, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TaskTimeoutExtensions.Timeout);
        while (true)
        {
            var found = Updates.LastOrDefault(predicate);
            if (found is not null)
            {
                return found;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _changed.WaitAsync(left))
            {
                throw new TimeoutException($"No matching update arrived; got: {string.Join(", ", Updates.Select(u => $"{u.Type}#{u.Seq}"))}");
            }
        }
    }

    public Task<UpdateDto> WaitForQuestionAsync(string questionId, string status) =>
        WaitForUpdateAsync(u => u.Type == UpdateTypes.Question && u.Data is JsonElement data
            && data.GetProperty("id").GetString() == questionId && data.GetProperty("status").GetString() == status);

    /// <summary>The last tally this client heard for the question (0 if none).</summary>
    public int? LastTally(string questionId) =>
        Updates.Where(u => u.Type == UpdateTypes.Votes && u.Data is JsonElement)
            .Select(u => ((JsonElement)u.Data!).GetProperty("counts"))
            .Where(c => c.TryGetProperty(questionId, out _))
            .Select(c => (int?)c.GetProperty(questionId).GetInt32())
            .LastOrDefault();

    public async Task StopAsync() => await _connection.StopAsync().DefaultTimeout();

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}
