using Microsoft.Extensions.Options;

namespace LiveSession.Server.Configuration;

/// <summary>The node's data folder (SQLite file, Data Protection keys, generated secrets), created at start.</summary>
public sealed class DataFolder
{
    public DataFolder(IOptions<LiveSessionOptions> options)
    {
        Root = Path.GetFullPath(options.Value.DataDirectory);
        Directory.CreateDirectory(Root);
        EventsDirectory = Path.GetFullPath(options.Value.EventsDirectory ?? Path.Combine(Root, "events"));
    }

    public string Root { get; }

    public string EventsDirectory { get; }

    public string DatabasePath => Path.Combine(Root, "livesession.db");

    public string KeysDirectory => Path.Combine(Root, "keys");

    public string SecretPath(string name) => Path.Combine(Root, "secrets", name);

    /// <summary>Writes a secret readable by the service's user only.</summary>
    public static void WriteSecret(string path, string value)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, value + Environment.NewLine);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
