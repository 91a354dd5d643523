using System.Diagnostics;

namespace LiveSession.Server.Tests.Hosting;

/// <summary>
/// The node's own entry point (<c>dotnet LiveSession.Server.dll</c>, Production, from <c>/</c>) with a weak
/// organiser key: it exits non-zero before it serves anything, with a message that names the setting and
/// how to make a good key, and without the key itself.
/// </summary>
public sealed class OrganiserKeyStrengthTests : IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("livesession-weak-key").FullName;

    [Theory]
    [InlineData("0123456789", "10 characters")]
    [InlineData("org-key-123-org-key-123-org-key", "31 characters")]
    [InlineData("abababababababababababababababababababab", "2 different")]
    public async Task A_weak_organiser_key_stops_the_node_at_start_with_a_message(string key, string detail)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = "/", UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "LiveSession.Server.dll"));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["LiveSession__DataDirectory"] = _dataDirectory;
        start.Environment["LiveSession__OrganiserKey"] = key;
        using var node = Process.Start(start) ?? throw new InvalidOperationException("The node did not start.");
        var output = node.StandardOutput.ReadToEndAsync();
        var error = node.StandardError.ReadToEndAsync();
        try
        {
            // A weak key stops the node within seconds; the margin is for a 2-core box running the whole suite.
            await node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        }
        finally
        {
            if (!node.HasExited)
            {
                node.Kill(entireProcessTree: true);
            }
        }

        var log = await output + "\n" + await error;
        Assert.NotEqual(0, node.ExitCode);
        Assert.Contains("LiveSession:OrganiserKey", log);
        Assert.Contains("openssl rand -base64 32", log);
        Assert.Contains(detail, log);
        Assert.DoesNotContain(key, log);
        Assert.DoesNotContain("Now listening", log);
    }

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);
}
