using LiveSession.Server.Configuration;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace LiveSession.Server.Events;

/// <summary>Public links of an event, from LiveSession:PublicBaseUrl or else the node's first listening address.</summary>
public sealed class LinkBuilder(IOptions<LiveSessionOptions> options, IServer server)
{
    public string BaseUrl =>
        options.Value.PublicBaseUrl?.TrimEnd('/')
        ?? server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()?.Replace("://0.0.0.0", "://localhost").Replace("://[::]", "://localhost").Replace("://+", "://localhost").Replace("://*", "://localhost").TrimEnd('/')
        ?? "http://localhost:5000";

    public string Attendee(string eventCode) => $"{BaseUrl}/e/{eventCode}";

    /// <summary>What the room screen's QR code points at: questions asked from it are marked as from the room.</summary>
    public string Room(string eventCode) => $"{BaseUrl}/e/{eventCode}?via=room";

    public string Screen(string eventCode) => $"{BaseUrl}/e/{eventCode}/screen";

    public string Overlay(string eventCode) => $"{BaseUrl}/e/{eventCode}/overlay";

    public string Moderator(string eventCode) => $"{BaseUrl}/e/{eventCode}/moderate";

    /// <summary>
    /// Set when the links point to this machine only (localhost, 127.0.0.1, ::1) while the node
    /// listens on an address other machines reach (such as <c>--urls http://0.0.0.0:8080</c>): phones
    /// in the room could open the node, but not its printed links or its QR code.
    /// </summary>
    public string? LoopbackWarning
    {
        get
        {
            if (!IsLoopback(BaseUrl))
            {
                return null;
            }

            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var reachable = addresses.Where(address => !IsLoopback(address)).ToList();
            return reachable.Count == 0
                ? null
                : $"The event links point to {BaseUrl}, which only this machine can open, while the node listens on {string.Join(", ", reachable)}: "
                  + "set LiveSession:PublicBaseUrl to the address attendees use (for example http://192.168.1.20:8080 or https://live.example.org).";
        }
    }

    private static bool IsLoopback(string url) =>
        // Kestrel's wildcard forms are not valid URIs; they are reachable from everywhere.
        Uri.TryCreate(url.Replace("://+", "://wildcard").Replace("://*", "://wildcard"), UriKind.Absolute, out var uri)
        && IsLoopbackHost(uri.Host);

    /// <summary>
    /// A host only this machine reaches: <c>localhost</c> (and <c>*.localhost</c>), 127.0.0.0/8, <c>::1</c>.
    /// Browsers treat these as trustworthy origins (they keep Secure cookies over plain HTTP).
    /// </summary>
    public static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
        || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));
}
