using LiveSession.Benchmarks.Load;
using LiveSession.Benchmarks.Wire;

namespace LiveSession.Benchmarks.Servers;

/// <summary>
/// What a scenario drives: LiveSession (one node or several) or the bare baseline. The scenario
/// code is the same for both, so the ratio compares servers, not clients.
/// </summary>
public interface ISessionUnderTest : IAsyncDisposable
{
    /// <summary><c>livesession</c> or <c>baseline</c>.</summary>
    string Name { get; }

    /// <summary>The hub URLs (<c>ws://host/hubs/live</c>) that attendees are spread over.</summary>
    IReadOnlyList<Uri> HubUrls { get; }

    /// <summary>The local server process to read CPU and memory from, when known.</summary>
    int? ProcessId { get; }

    string EventCode { get; }

    /// <summary>Creates <paramref name="count"/> questions awaiting moderation (asked by <paramref name="askers"/>).</summary>
    Task<IReadOnlyList<string>> AskAsync(int count, IReadOnlyList<Attendee> askers, CancellationToken cancellationToken);

    /// <summary>Publishes a question as the moderator does; the next push to every attendee is what is measured.</summary>
    Task ApproveAsync(string questionId, CancellationToken cancellationToken);

    Task ScreenAsync(string questionId, CancellationToken cancellationToken);

    /// <summary>The key a room screen joins with (LiveSession's <c>JoinDisplay</c>); null where screens join without one (the baseline).</summary>
    Task<string?> DisplayKeyAsync(CancellationToken cancellationToken);

    /// <summary>The server's own vote tallies of the given questions.</summary>
    Task<IReadOnlyDictionary<string, int>> TalliesAsync(IReadOnlyList<string> questionIds, CancellationToken cancellationToken);

    /// <summary>Makes a single-choice poll, opens it and shows its results, as a moderator does before the room answers.</summary>
    Task<StartedPoll> StartPollAsync(string question, IReadOnlyList<string> choices, CancellationToken cancellationToken);

    /// <summary>The server's own results of the poll.</summary>
    Task<WirePollResults> PollResultsAsync(string pollId, CancellationToken cancellationToken);

    Task<bool> IsAliveAsync();
}

/// <summary>An open poll: its id and its choices' ids, in the order they were given.</summary>
public sealed record StartedPoll(string Id, IReadOnlyList<string> ChoiceIds);
