using System.ComponentModel.DataAnnotations;

namespace LiveSession.Server.ModeratorConsole;

/// <summary>The console's limits: <c>LiveSession:Console</c> in configuration.</summary>
public sealed class ConsoleOptions
{
    public const string Section = "LiveSession:Console";

    /// <summary>Failed logins allowed per client address and per minute; past it, logins are refused until the minute ends.</summary>
    [Range(1, 1000)]
    public int FailedLoginsPerMinute { get; set; } = 5;
}
