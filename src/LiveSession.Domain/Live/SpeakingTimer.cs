using LiveSession.Domain.Errors;

namespace LiveSession.Domain.Live;

/// <summary>
/// The speaking timer as the protocol sends it: a start instant, a duration and an optional
/// pause instant. Clients tick it themselves; the server never sends ticks.
/// </summary>
public sealed record SpeakingTimer(DateTimeOffset? StartedAt, int DurationSeconds, DateTimeOffset? PausedAt)
{
    public const int MaxAdjustSeconds = 3600;

    public static SpeakingTimer Stopped(int durationSeconds) => new(null, durationSeconds, null);

    public static SpeakingTimer StartedAtNow(int durationSeconds, DateTimeOffset now) => new(now, durationSeconds, null);

    public bool IsRunning => StartedAt is not null && PausedAt is null;

    public bool IsPaused => PausedAt is not null;

    public TimeSpan Elapsed(DateTimeOffset now) => StartedAt is { } started ? (PausedAt ?? now) - started : TimeSpan.Zero;

    public TimeSpan Remaining(DateTimeOffset now) => TimeSpan.FromSeconds(DurationSeconds) - Elapsed(now);

    /// <summary>Starts a stopped timer, or resumes a paused one where it stopped.</summary>
    public SpeakingTimer Start(DateTimeOffset now) => this switch
    {
        { IsRunning: true } => throw LiveSessionException.InvalidState("The timer is already running."),
        { StartedAt: { } started, PausedAt: { } paused } => this with { StartedAt = now - (paused - started), PausedAt = null },
        _ => this with { StartedAt = now, PausedAt = null },
    };

    public SpeakingTimer Pause(DateTimeOffset now) => IsRunning
        ? this with { PausedAt = now }
        : throw LiveSessionException.InvalidState("The timer is not running.");

    public SpeakingTimer Reset(int durationSeconds) => Stopped(durationSeconds);

    public SpeakingTimer AddSeconds(int seconds)
    {
        if (seconds is 0 or < -MaxAdjustSeconds or > MaxAdjustSeconds)
        {
            throw LiveSessionException.Invalid($"seconds must be between -{MaxAdjustSeconds} and {MaxAdjustSeconds}, and not 0.");
        }

        return this with { DurationSeconds = Math.Max(0, DurationSeconds + seconds) };
    }
}
