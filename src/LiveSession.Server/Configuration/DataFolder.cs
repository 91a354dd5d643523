using Microsoft.Extensions.Options;

namespace LiveSession.Server.Configuration;

/// <summary>
/// The node's data folder (SQLite file, Data Protection keys, generated secrets), created at start
/// for the service's user only: folders 0700, files 0600, so that another account on the host
/// reads no attendee data and no key.
/// </summary>
public sealed class DataFolder
{
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public DataFolder(IOptions<LiveSessionOptions> options)
    {
        Root = Path.GetFullPath(options.Value.DataDirectory);
        CreateOwnerOnlyFolder(Root);
        EventsDirectory = Path.GetFullPath(options.Value.EventsDirectory ?? Path.Combine(Root, "events"));
    }

    public string Root { get; }

    public string EventsDirectory { get; }

    public string DatabasePath => Path.Combine(Root, "livesession.db");

    public string SecretPath(string name) => Path.Combine(Root, "secrets", name);

    /// <summary>Where the Data Protection key ring is kept without Redis (registration runs before this type exists).</summary>
    public static string KeysDirectory(string dataDirectory) => Path.Combine(Path.GetFullPath(dataDirectory), "keys");

    /// <summary>Writes a secret readable by the service's user only.</summary>
    public static void WriteSecret(string path, string value)
    {
        CreateOwnerOnlyFolder(Path.GetDirectoryName(path)!);
        CreateOwnerOnlyFile(path);
        File.WriteAllText(path, value + Environment.NewLine);
    }

    /// <summary>Creates the folder 0700; an existing one of ours is tightened to 0700.</summary>
    public static void CreateOwnerOnlyFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, OwnerOnlyFolder);
        }

        TryRestrict(path, OwnerOnlyFolder);
    }

    /// <summary>Sets an existing file to 0600 (a file of another user is left as it is).</summary>
    public static void RestrictToOwner(string path)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path))
        {
            TryRestrict(path, OwnerOnlyFile);
        }
    }

    /// <summary>Creates an empty file 0600 unless it exists, so that what is written into it later is never readable by others.</summary>
    public static void CreateOwnerOnlyFile(string path)
    {
        if (!File.Exists(path))
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerOnlyFile;
            }

            try
            {
                using var _ = new FileStream(path, options);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Made by another process in between (nodes of a cluster sharing a folder).
            }
        }

        RestrictToOwner(path);
    }

    private static void TryRestrict(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        try
        {
            if (File.GetUnixFileMode(path) != mode)
            {
                File.SetUnixFileMode(path, mode);
            }
        }
        catch (UnauthorizedAccessException)
        {
            // Not ours (a folder provided by the operator): its owner decides.
        }
    }
}
