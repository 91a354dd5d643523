using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LiveSession.Benchmarks.Baseline;

/// <summary>
/// The bare reference: a minimal SignalR server with the same hub path and method names as
/// LiveSession, all clients in one group, and the framework's default group send. It does no
/// product work: <c>POST /broadcast</c> sends the given update as it is, votes are counters in
/// memory, tallies go out every 250 ms. Polls are the same: <c>POST /polls</c> makes an open poll with
/// its results shown, <c>PollAnswer</c> moves an in-memory counter (one answer per connection, a new
/// one replaces the old), and results go out with the tallies. LiveSession's figures are reported as
/// ratios to these.
/// </summary>
public sealed class BaselineServer : IAsyncDisposable
{
    public const string Group = "event";

    private readonly WebApplication _app;

    private BaselineServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Starts on <paramref name="url"/> (port 0 picks a free port) and returns once it listens.</summary>
    public static async Task<BaselineServer> StartAsync(string url)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls(url);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxConcurrentUpgradedConnections = null);
        builder.Services.AddSignalR();
        builder.Services.AddSingleton<BaselineState>();
        builder.Services.AddHostedService<BaselineTallySender>();

        var app = builder.Build();
        app.MapHub<BaselineHub>("/hubs/live");
        app.MapGet("/healthz", () => "Healthy");
        app.MapPost("/broadcast", async (BroadcastBody body, BaselineState state, IHubContext<BaselineHub, IBaselineClient> hub) =>
        {
            await hub.Clients.Group(Group).Update(new BaselineUpdate("bms22", state.NextSeq(), body.Type, body.Data, DateTimeOffset.UtcNow));
            return Results.Ok();
        });
        app.MapGet("/tallies", (BaselineState state) => state.Counts());
        app.MapPost("/polls", async (BaselinePollBody body, BaselineState state, IHubContext<BaselineHub, IBaselineClient> hub) =>
        {
            var poll = state.AddPoll(body.Choices.Count);
            var now = DateTimeOffset.UtcNow;
            // Shaped like LiveSession's poll update when a moderator shows the results of an open poll.
            var data = JsonSerializer.SerializeToElement(new
            {
                id = poll.Id,
                question = body.Question,
                kind = "single",
                choices = body.Choices.Select((text, i) => new { id = poll.ChoiceIds[i], text }),
                maxChoices = 1,
                status = "open",
                resultsVisible = true,
                revision = 3,
                createdAt = now,
                openedAt = now,
                closedAt = (DateTimeOffset?)null,
                results = poll.Results(),
            }, JsonSerializerOptions.Web);
            await hub.Clients.Group(Group).Update(new BaselineUpdate("bms22", state.NextSeq(), "poll", data, now));
            return Results.Ok(new { id = poll.Id, choiceIds = poll.ChoiceIds });
        });
        app.MapGet("/polls/{id}", (string id, BaselineState state) =>
            state.FindPoll(id) is { } poll ? Results.Ok(poll.Results()) : Results.NotFound());
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new BaselineServer(app, new Uri(address.Replace("[::]", IPAddress.Loopback.ToString(), StringComparison.Ordinal)));
    }

    /// <summary>The <c>baseline</c> subcommand: serves until the process is stopped.</summary>
    public static async Task<int> RunAsync(string url)
    {
        await using var server = await StartAsync(url);
        Console.WriteLine($"Baseline SignalR server listening on {server.BaseAddress} (server GC: {System.Runtime.GCSettings.IsServerGC})");
        var stopped = new TaskCompletionSource();
        using var registration = server._app.Lifetime.ApplicationStopping.Register(() => stopped.TrySetResult());
        await stopped.Task;
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public interface IBaselineClient
{
    Task Update(BaselineUpdate update);
}

public sealed class BaselineHub(BaselineState state) : Hub<IBaselineClient>
{
    public async Task<BaselineSnapshot> Join(string? eventCode, string? attendeeToken, string? origin)
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, BaselineServer.Group);
        return new BaselineSnapshot(eventCode ?? "bms22", state.Seq, DateTimeOffset.UtcNow, attendeeToken ?? Guid.NewGuid().ToString("N"), origin);
    }

    public BaselineVoteAck Vote(string questionId) => new(questionId, Voted: true, state.Vote(questionId));

    public BaselinePollAnswerAck PollAnswer(string pollId, BaselinePollAnswerRequest? answer)
    {
        var poll = state.FindPoll(pollId) ?? throw new HubException("not_found: This poll does not exist.");
        if (answer?.ChoiceIds is not [var choiceId] || !poll.ChoiceIds.Contains(choiceId))
        {
            throw new HubException("invalid_answer: Pick exactly one of the choices.");
        }

        poll.Answer(Context.ConnectionId, choiceId);
        state.MarkPollDirty(poll.Id);
        return new BaselinePollAnswerAck(poll.Id, [choiceId], []);
    }
}

public sealed class BaselineState
{
    private readonly ConcurrentDictionary<string, int> _counts = new();
    private readonly ConcurrentDictionary<string, byte> _dirty = new();
    private readonly ConcurrentDictionary<string, BaselinePoll> _polls = new();
    private readonly ConcurrentDictionary<string, byte> _dirtyPolls = new();
    private long _seq;

    public long Seq => Interlocked.Read(ref _seq);

    public long NextSeq() => Interlocked.Increment(ref _seq);

    public int Vote(string questionId)
    {
        var votes = _counts.AddOrUpdate(questionId, 1, (_, n) => n + 1);
        _dirty[questionId] = 0;
        return votes;
    }

    public IReadOnlyDictionary<string, int> Counts() => new Dictionary<string, int>(_counts);

    public BaselinePoll AddPoll(int choices)
    {
        var poll = new BaselinePoll($"p{Guid.NewGuid():N}"[..13], Enumerable.Range(1, choices).Select(i => $"c{i}").ToArray());
        _polls[poll.Id] = poll;
        return poll;
    }

    public BaselinePoll? FindPoll(string? pollId) => pollId is not null && _polls.TryGetValue(pollId, out var poll) ? poll : null;

    public void MarkPollDirty(string pollId) => _dirtyPolls[pollId] = 0;

    /// <summary>The polls answered since the last take.</summary>
    public List<BaselinePoll> TakeDirtyPolls()
    {
        var changed = new List<BaselinePoll>();
        foreach (var id in _dirtyPolls.Keys)
        {
            if (_dirtyPolls.TryRemove(id, out _))
            {
                changed.Add(_polls[id]);
            }
        }

        return changed;
    }

    public Dictionary<string, int> TakeDirty()
    {
        var changed = new Dictionary<string, int>();
        foreach (var id in _dirty.Keys)
        {
            if (_dirty.TryRemove(id, out _))
            {
                changed[id] = _counts[id];
            }
        }

        return changed;
    }
}

/// <summary>Coalesced tallies, like LiveSession's default: at most one update every 250 ms.</summary>
public sealed class BaselineTallySender(BaselineState state, IHubContext<BaselineHub, IBaselineClient> hub) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var changed = state.TakeDirty();
            if (changed.Count > 0)
            {
                await hub.Clients.Group(BaselineServer.Group).Update(new BaselineUpdate(
                    "bms22", state.Seq, "votes", JsonSerializer.SerializeToElement(new { counts = changed }), DateTimeOffset.UtcNow));
            }

            foreach (var poll in state.TakeDirtyPolls())
            {
                await hub.Clients.Group(BaselineServer.Group).Update(new BaselineUpdate(
                    "bms22", state.Seq, "pollResults", JsonSerializer.SerializeToElement(new { pollId = poll.Id, results = poll.Results() }, JsonSerializerOptions.Web),
                    DateTimeOffset.UtcNow));
            }
        }
    }
}

/// <summary>One single-choice poll: each connection's answer and the count per choice, under one lock.</summary>
public sealed class BaselinePoll(string id, string[] choiceIds)
{
    private readonly Dictionary<string, string> _answers = [];
    private readonly Dictionary<string, int> _counts = choiceIds.ToDictionary(c => c, _ => 0);

    public string Id { get; } = id;

    public string[] ChoiceIds { get; } = choiceIds;

    public void Answer(string answerer, string choiceId)
    {
        lock (_answers)
        {
            if (_answers.TryGetValue(answerer, out var old))
            {
                _counts[old]--;
            }

            _answers[answerer] = choiceId;
            _counts[choiceId]++;
        }
    }

    /// <summary>Shaped like LiveSession's results (every benchmark attendee joins as remote).</summary>
    public BaselinePollResults Results()
    {
        lock (_answers)
        {
            var counts = new Dictionary<string, int>(_counts);
            var remote = new BaselinePollTally(_answers.Count, counts, []);
            return new BaselinePollResults(_answers.Count, counts, [], new BaselinePollOrigins(new BaselinePollTally(0, new Dictionary<string, int>(), []), remote));
        }
    }
}

public sealed record BroadcastBody(string Type, JsonElement Data);

public sealed record BaselineUpdate(string EventCode, long Seq, string Type, JsonElement Data, DateTimeOffset ServerTime);

public sealed record BaselineSnapshot(string EventCode, long Seq, DateTimeOffset ServerTime, string AttendeeToken, string? Origin);

public sealed record BaselineVoteAck(string QuestionId, bool Voted, int Votes);

public sealed record BaselinePollBody(string Question, IReadOnlyList<string> Choices);

public sealed record BaselinePollAnswerRequest(IReadOnlyList<string>? ChoiceIds, IReadOnlyList<string>? Words);

public sealed record BaselinePollAnswerAck(string PollId, IReadOnlyList<string> ChoiceIds, IReadOnlyList<string> Words);

public sealed record BaselinePollTally(int Total, IReadOnlyDictionary<string, int> Counts, IReadOnlyList<string> Words);

public sealed record BaselinePollOrigins(BaselinePollTally Room, BaselinePollTally Remote);

public sealed record BaselinePollResults(int Total, IReadOnlyDictionary<string, int> Counts, IReadOnlyList<string> Words, BaselinePollOrigins ByOrigin);
