using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using LiveSession.Server.Configuration;
using LiveSession.Server.Storage;
using Microsoft.Extensions.Options;

namespace LiveSession.Server.Abuse;

/// <summary>
/// The room pass: a short code in the room screen's QR link that rotates every
/// <c>LiveSession:RoomPassLifetime</c> (10 min; the previous one is still good). A join that presents it
/// (the hub URL's <c>?pass=</c>) draws on a larger budget of new identities, and its questions skip the
/// per-address budget: 300 people behind one venue Wi-Fi address all get in, while a script far from
/// the room, which cannot see the screen, pays the normal price. Derived from the event's display key
/// (shared by every node through the store, never shown to attendees), so rotating that key changes
/// the pass too. Only the display links' QR code (<c>qr.svg?display=</c>) carries it.
/// </summary>
public sealed class RoomPass(IDisplayKeyStore store, IOptions<LiveSessionOptions> options, TimeProvider time)
{
    private static readonly TimeSpan KeyCacheLifetime = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, (string? Key, DateTimeOffset ReadAt)> _keys = new();

    /// <summary>The current pass of the event, or null when it has no display key yet.</summary>
    public async Task<string?> CurrentAsync(string eventCode, CancellationToken cancellationToken) =>
        await DisplayKeyAsync(eventCode, cancellationToken) is { } key ? Pass(key, eventCode, Window()) : null;

    /// <summary>Whether <paramref name="pass"/> is the event's current or previous pass.</summary>
    public async Task<bool> IsValidAsync(string eventCode, string? pass, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(pass) || pass.Length > 64 || await DisplayKeyAsync(eventCode, cancellationToken) is not { } key)
        {
            return false;
        }

        var window = Window();
        return Matches(Pass(key, eventCode, window), pass) || Matches(Pass(key, eventCode, window - 1), pass);
    }

    private long Window() => time.GetUtcNow().UtcTicks / options.Value.RoomPassLifetime.Ticks;

    private static string Pass(string displayKey, string eventCode, long window)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(displayKey), Encoding.UTF8.GetBytes($"room-pass|{eventCode}|{window}"));
        return Convert.ToBase64String(mac, 0, 12).Replace('+', '-').Replace('/', '_');
    }

    private static bool Matches(string expected, string presented) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(presented));

    /// <summary>A rotated display key reaches the pass within a few seconds; joins do not each read the store.</summary>
    private async Task<string?> DisplayKeyAsync(string eventCode, CancellationToken cancellationToken)
    {
        if (_keys.TryGetValue(eventCode, out var cached) && time.GetUtcNow() - cached.ReadAt < KeyCacheLifetime)
        {
            return cached.Key;
        }

        var key = await store.FindDisplayKeyAsync(eventCode, cancellationToken);
        _keys[eventCode] = (key, time.GetUtcNow());
        return key;
    }
}
