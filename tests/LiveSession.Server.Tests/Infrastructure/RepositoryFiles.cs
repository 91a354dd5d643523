namespace LiveSession.Server.Tests.Infrastructure;

/// <summary>Files of the repository (deployment configuration), found above the test binaries.</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "LiveSession.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (LiveSession.sln) was not found above the test binaries.");
    }
}
