using LiveSession.Server.Configuration;
using Microsoft.Extensions.Options;

namespace LiveSession.Server.Access;

/// <summary>
/// The organiser key: from configuration, else generated once and kept (owner-only) in the data
/// folder so that it stays the same across restarts.
/// </summary>
public sealed class OrganiserKey
{
    public OrganiserKey(IOptions<LiveSessionOptions> options, DataFolder dataFolder)
    {
        if (!string.IsNullOrWhiteSpace(options.Value.OrganiserKey))
        {
            Value = options.Value.OrganiserKey.Trim();
            IsGenerated = false;
            return;
        }

        var path = dataFolder.SecretPath("organiser.key");
        if (File.Exists(path))
        {
            Value = File.ReadAllText(path).Trim();
        }
        else
        {
            Value = ModeratorKeys.NewKey();
            DataFolder.WriteSecret(path, Value);
            IsNew = true;
        }

        IsGenerated = true;
    }

    public string Value { get; }

    /// <summary>True when the key was not configured but generated (now or at an earlier start).</summary>
    public bool IsGenerated { get; }

    /// <summary>True when this start generated the key: the only time the start banner prints it.</summary>
    public bool IsNew { get; }

    public bool Matches(string candidate) => ModeratorKeys.FixedTimeEquals(candidate, Value);
}
