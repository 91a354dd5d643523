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
}
