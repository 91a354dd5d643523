using System.Collections.Concurrent;
using System.Diagnostics;
using LiveSession.Benchmarks.Wire;

namespace LiveSession.Benchmarks.Load;

/// <summary>
/// Many attendees over one or more nodes: opens and joins them at a bounded concurrency, keeps
/// them alive with hub pings, counts lost connections, and (when asked) reconnects them to the
/// next node with a short jittered backoff, re-joining with their attendee token.
/// </summary>
public sealed class Crowd : IAsyncDisposable
{
    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(15);

    private readonly IReadOnlyList<Uri> _hubUrls;
    private readonly SourceAddresses _addresses;
    private readonly string _eventCode;
    private readonly ConcurrentQueue<Attendee> _members = new();
    private readonly ConcurrentDictionary<string, int> _errors = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _pinging;
    private int _lost;
    private int _reconnects;
    private long _lastUpdateTicks = Environment.TickCount64;

    public Crowd(IReadOnlyList<Uri> hubUrls, SourceAddresses addresses, string eventCode)
    {
        _hubUrls = hubUrls;
        _addresses = addresses;
        _eventCode = eventCode;
        _pinging = PingLoopAsync();
    }

    /// <summary>Receives every update of every member, with the local receive time.</summary>
    public Action<Attendee, WireUpdate, DateTimeOffset>? UpdateReceived { get; set; }

    /// <summary>The event's display key: members with the role <c>screen</c> join with it as displays (null: as <c>Join(…, "screen")</c>, the baseline's way).</summary>
    public string? DisplayKey { get; set; }

    /// <summary>Whether lost members reconnect (to the next node) and re-join.</summary>
    public bool Reconnect { get; set; }

    public IReadOnlyCollection<Attendee> Members => _members;

    public int Lost => _lost;

    public int Reconnects => _reconnects;

    public IReadOnlyDictionary<string, int> Errors => _errors;

    public int Connected => _members.Count(m => m.IsConnected);

    /// <summary>When any member last received an update (<see cref="Environment.TickCount64"/>).</summary>
    public long LastUpdateTicks => Volatile.Read(ref _lastUpdateTicks);

    /// <summary>Opens and joins <paramref name="count"/> more members; returns how many made it and how fast.</summary>
    public async Task<RampResult> AddAsync(int count, int concurrency, string role, CancellationToken cancellationToken)
    {
        var firstIndex = _members.Count;
        var joined = 0;
        var refused = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            Enumerable.Range(firstIndex, count),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (index, ct) =>
            {
                var attendee = new Attendee(index, role) { UrlIndex = index % _hubUrls.Count };
                try
                {
                    await ConnectAsync(attendee, ct);
                    _members.Enqueue(attendee);
                    Interlocked.Increment(ref joined);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    Interlocked.Increment(ref refused);
                    Count(ex);
                }
            });
        return new RampResult(count, joined, refused, clock.Elapsed);
    }

    /// <summary>
    /// Waits until no member has received an update for <paramref name="quiet"/> (at most
    /// <paramref name="atMost"/>), so that the fan-out of the setup (e.g. the updates of the questions
    /// just asked) is over before anything is measured.
    /// </summary>
    public async Task WaitForQuietAsync(TimeSpan quiet, TimeSpan atMost, CancellationToken cancellationToken)
    {
        var deadline = Environment.TickCount64 + (long)atMost.TotalMilliseconds;
        while (Environment.TickCount64 - Volatile.Read(ref _lastUpdateTicks) < quiet.TotalMilliseconds && Environment.TickCount64 < deadline)
        {
            await Task.Delay(100, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _pinging.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await Parallel.ForEachAsync(_members, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (member, _) =>
        {
            if (member.Connection is { } connection)
            {
                await connection.DisposeAsync();
            }
        });
        _stopping.Dispose();
    }

    private async Task ConnectAsync(Attendee attendee, CancellationToken cancellationToken)
    {
        var connection = await HubWireClient.ConnectAsync(_hubUrls[attendee.UrlIndex], _addresses.For(attendee.Index), cancellationToken);
        connection.UpdateReceived = (update, receivedAt) =>
        {
            Volatile.Write(ref _lastUpdateTicks, Environment.TickCount64);
            UpdateReceived?.Invoke(attendee, update, receivedAt);
        };
        connection.Lost = (_, reason) => OnLost(attendee, reason);
        try
        {
            await attendee.JoinAsync(connection, _eventCode, DisplayKey);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private void OnLost(Attendee attendee, string reason)
    {
        Interlocked.Increment(ref _lost);
        attendee.LostAt = DateTimeOffset.UtcNow;
        Count(new IOException(reason));
        if (Reconnect && !_stopping.IsCancellationRequested)
        {
            _ = ReconnectAsync(attendee);
        }
    }

    private async Task ReconnectAsync(Attendee attendee)
    {
        for (var attempt = 1; !_stopping.IsCancellationRequested; attempt++)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(100, 300) * Math.Min(attempt, 5)), _stopping.Token);
                attendee.UrlIndex = (attendee.UrlIndex + 1) % _hubUrls.Count;
                await ConnectAsync(attendee, _stopping.Token);
                attendee.LostAt = null;
                Interlocked.Increment(ref _reconnects);
                return;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Count(ex);
            }
        }
    }

    private async Task PingLoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var tick = 0;
        var slices = (int)PingInterval.TotalSeconds;
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                // Each second pings one slice of the members, so every member is pinged every PingInterval.
                var slice = tick++ % slices;
                foreach (var member in _members)
                {
                    if (member.Index % slices == slice && member.Connection is { IsOpen: true } connection)
                    {
                        _ = connection.PingAsync().ContinueWith(t => Count(t.Exception!.GetBaseException()), TaskContinuationOptions.OnlyOnFaulted);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private void Count(Exception ex)
    {
        var inner = ex.GetBaseException();
        var message = inner.Message.Length > 120 ? inner.Message[..120] : inner.Message;
        _errors.AddOrUpdate($"{inner.GetType().Name}: {message}", 1, (_, n) => n + 1);
    }
}

public sealed record RampResult(int Attempted, int Joined, int Refused, TimeSpan Elapsed)
{
    public double PerSecond => Elapsed.TotalSeconds > 0 ? Math.Round(Joined / Elapsed.TotalSeconds, 1) : 0;
}
