namespace LiveSession.Server.Abuse;

/// <summary>
/// How many new attendee identities this node issued per event in the last minute, for the console's
/// abuse view: one counter per second in a ring of 60, so memory stays fixed whatever the flood.
/// Per node (the console shows its own node's count); never stored.
/// </summary>
public sealed class NewIdentityRate(TimeProvider time)
{
    private const int Seconds = 60;
    private readonly Dictionary<string, Ring> _events = [];
    private readonly Lock _gate = new();

    public void Count(string eventCode)
    {
        var now = Now();
        lock (_gate)
        {
            if (!_events.TryGetValue(eventCode, out var ring))
            {
                ring = new Ring();
                _events[eventCode] = ring;
            }

            ring.Advance(now);
            ring.Counts[now % Seconds]++;
        }
    }

    public int LastMinute(string eventCode)
    {
        var now = Now();
        lock (_gate)
        {
            if (!_events.TryGetValue(eventCode, out var ring))
            {
                return 0;
            }

            ring.Advance(now);
            return ring.Counts.Sum();
        }
    }

    private long Now() => time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Per-second counts of the last minute; seconds that passed without a count are zeroed on the way.</summary>
    private sealed class Ring
    {
        private long _second = -1;

        public int[] Counts { get; } = new int[Seconds];

        public void Advance(long now)
        {
            if (_second < 0 || now - _second >= Seconds)
            {
                Array.Clear(Counts);
            }
            else
            {
                for (var second = _second + 1; second <= now; second++)
                {
                    Counts[second % Seconds] = 0;
                }
            }

            _second = Math.Max(_second, now);
        }
    }
}
