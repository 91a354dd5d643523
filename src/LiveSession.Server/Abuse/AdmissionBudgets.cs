using System.Threading.RateLimiting;
using LiveSession.Domain.Errors;
using LiveSession.Server.Configuration;
using Microsoft.Extensions.Options;

namespace LiveSession.Server.Abuse;

/// <summary>
/// What one address, and one event, may take in any 60 seconds, so that identities and queue places
/// are not free: new attendee tokens per address, questions per address, questions per event. In
/// memory, per node (a cluster admits up to N times as much; the balancer spreads one address over
/// the nodes). Sliding windows of six 10-second segments.
/// </summary>
public sealed class AdmissionBudgets : IDisposable
{
    private readonly LimitsOptions _limits;
    private readonly PartitionedRateLimiter<string> _newAttendees;
    private readonly PartitionedRateLimiter<string> _newAttendeesWithPass;
    private readonly PartitionedRateLimiter<string> _questionsPerAddress;
    private readonly PartitionedRateLimiter<string> _questionsPerEvent;

    public AdmissionBudgets(IOptions<LiveSessionOptions> options)
    {
        _limits = options.Value.Limits;
        _newAttendees = PerMinuteBudget.Create(_limits.NewAttendeesPerMinutePerAddress);
        _newAttendeesWithPass = PerMinuteBudget.Create(_limits.NewAttendeesPerMinutePerAddressWithRoomPass);
        _questionsPerAddress = PerMinuteBudget.Create(_limits.QuestionsPerMinutePerAddress);
        _questionsPerEvent = PerMinuteBudget.Create(_limits.QuestionsPerMinutePerEvent);
    }

    /// <summary>Takes one new identity from the address's budget (the room pass's, larger, when it presented one) or throws <c>rate_limited</c>.</summary>
    public void TakeNewAttendee(string addressKey, bool viaRoomPass)
    {
        var (limiter, permits) = viaRoomPass
            ? (_newAttendeesWithPass, _limits.NewAttendeesPerMinutePerAddressWithRoomPass)
            : (_newAttendees, _limits.NewAttendeesPerMinutePerAddress);
        Take(limiter, addressKey, $"Too many people joined from your network in the last minute (at most {permits}). " +
            "Try again shortly, or scan the QR code on the room screen.");
    }

    /// <summary>Takes one question from the address's budget (unless the room pass lifts it) and from the event's, or throws <c>rate_limited</c>.</summary>
    public void TakeQuestion(string eventCode, string addressKey, bool viaRoomPass)
    {
        if (!viaRoomPass)
        {
            Take(_questionsPerAddress, addressKey, "Many questions came from your network in the last minute. " +
                "Your question is kept: send it again shortly.");
        }

        Take(_questionsPerEvent, eventCode, "The moderators have many questions to read right now. " +
            "Your question is kept: send it again shortly.");
    }

    public void Dispose()
    {
        _newAttendees.Dispose();
        _newAttendeesWithPass.Dispose();
        _questionsPerAddress.Dispose();
        _questionsPerEvent.Dispose();
    }

    private static void Take(PartitionedRateLimiter<string> limiter, string key, string message)
    {
        using var lease = limiter.AttemptAcquire(key);
        if (!lease.IsAcquired)
        {
            throw new LiveSessionException(ErrorCodes.RateLimited, message + PerMinuteBudget.RetryHint(lease));
        }
    }
}
