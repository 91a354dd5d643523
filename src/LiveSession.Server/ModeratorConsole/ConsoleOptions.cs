using System.ComponentModel.DataAnnotations;

namespace LiveSession.Server.ModeratorConsole;

/// <summary>The console's limits: <c>LiveSession:Console</c> in configuration.</summary>
public sealed class ConsoleOptions
{
    public const string Section = "LiveSession:Console";

    /// <summary>Failed logins allowed per client address and per minute; past it, logins are refused until the minute ends.</summary>
    [Range(1, 1000)]
    public int FailedLoginsPerMinute { get; set; } = 5;

    /// <summary>
    /// The console warns when one question gains more than this many votes within
    /// <see cref="VoteSurgeWindow"/>. A room votes with its thumbs while it reads: even a popular
    /// question in a hall of a few hundred gathers its votes over a minute or more, about one a second
    /// at best. 15 in 10 s (1.5 a second, sustained) is past that; a script is far past it.
    /// </summary>
    [Range(1, 100_000)]
    public int VoteSurgeVotes { get; set; } = 15;

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan VoteSurgeWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the server keeps a console whose browser went away (Blazor's default: 3 minutes).
    /// Short, so a closed laptop or a crowd of dropped consoles frees its memory soon; a Wi-Fi blip
    /// of a few seconds still reconnects to the same circuit, and a later reconnect reloads the page.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan DisconnectedCircuitRetention { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>At most this many disconnected consoles are kept at once (Blazor's default: 100); the oldest go first.</summary>
    [Range(0, 1000)]
    public int DisconnectedCircuitsRetained { get; set; } = 20;

    /// <summary>
    /// Outside Development the console's cookie is <c>Secure</c>: it only travels over HTTPS (directly,
    /// or behind a TLS proxy listed in <c>LiveSession:TrustedProxies</c>), and a login over plain HTTP
    /// from another machine is refused with <c>https_required</c> instead of logging in a browser that
    /// would drop the cookie. On a closed network without TLS, true lets the cookie travel over plain
    /// HTTP (Secure only on HTTPS requests), at the price of anyone on that network reading it.
    /// </summary>
    public bool CookieOverPlainHttp { get; set; }
}
