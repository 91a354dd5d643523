using System.Security.Cryptography;
using System.Text;
using LiveSession.Domain.Errors;
using LiveSession.Server.Access;
using LiveSession.Server.Events;
using LiveSession.Server.Questions;
using LiveSession.Server.Storage;

namespace LiveSession.Server.Displays;

/// <summary>
/// Each event's display key: what a room screen or an overlay presents to be served as a display
/// (first, before the crowd). Made on first use, handed out in the display links, rotated on request;
/// a rotation closes the displays that joined with the old key (<see cref="DisplayConnections"/>).
/// </summary>
public sealed class DisplayKeys(IDisplayKeyStore store, EventCatalog events, LinkBuilder links, AuditLog audit, DisplayConnections displays)
{
    /// <summary>The event's display links, making its key on first use.</summary>
    public async Task<DisplayLinks> GetLinksAsync(string? eventCode, CancellationToken cancellationToken)
    {
        var definition = await events.GetDefinitionAsync(eventCode, cancellationToken);
        var key = await store.GetOrAddDisplayKeyAsync(definition.Code, NewKey(), cancellationToken);
        return LinksFor(definition.Code, key);
    }

    /// <summary>A new key: the old links stop working and the displays joined with them are closed.</summary>
    public async Task<DisplayLinks> RotateAsync(string? eventCode, Actor actor, CancellationToken cancellationToken)
    {
        var definition = await events.GetDefinitionAsync(eventCode, cancellationToken);
        var key = NewKey();
        await store.ReplaceDisplayKeyAsync(definition.Code, key, cancellationToken);
        displays.CloseStale(definition.Code, key);
        await audit.RecordAsync(definition.Code, actor, "display-key-rotated", questionId: null, before: null, after: null);
        return LinksFor(definition.Code, key);
    }

    /// <summary>Throws <c>display_key_required</c> or <c>display_key_invalid</c> unless the key is the event's current one.</summary>
    public async Task RequireCurrentAsync(string eventCode, string? displayKey, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(displayKey))
        {
            throw new LiveSessionException(ErrorCodes.DisplayKeyRequired,
                "A room screen or overlay joins with JoinDisplay(eventCode, displayKey); its link (with ?display=…) is in the moderator console.");
        }

        var current = await store.FindDisplayKeyAsync(eventCode, cancellationToken);
        if (current is null || !Matches(current, displayKey))
        {
            throw new LiveSessionException(ErrorCodes.DisplayKeyInvalid,
                "This display link is not (or no longer) valid: open the current one from the moderator console.");
        }
    }

    /// <summary>Whether <paramref name="displayKey"/> is the event's current key.</summary>
    public async Task<bool> IsCurrentAsync(string eventCode, string displayKey, CancellationToken cancellationToken) =>
        await store.FindDisplayKeyAsync(eventCode, cancellationToken) is { } current && Matches(current, displayKey);

    public static bool Matches(string current, string presented) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(current), Encoding.UTF8.GetBytes(presented));

    private DisplayLinks LinksFor(string eventCode, string key)
    {
        var query = "?display=" + Uri.EscapeDataString(key);
        return new DisplayLinks(links.Screen(eventCode) + query, links.Overlay(eventCode) + query);
    }

    /// <summary>32 URL-safe characters, 192 bits.</summary>
    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
}

/// <summary>The body of <c>GET /api/events/{code}/displays</c>: the room screen's and the overlay's links, with the key.</summary>
public sealed record DisplayLinks(string ScreenUrl, string OverlayUrl);
