using System.Text.Json;
using LiveSession.Server.Tests.Infrastructure;

namespace LiveSession.Server.Tests.Hosting;

/// <summary>
/// The shared array pool's size is an environment variable of the node's process (the runtime reads
/// it from nowhere else): every way this repository starts a node sets the value docs/operations.md names.
/// </summary>
public sealed class SharedBufferPoolTests
{
    private const string Variable = "DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION";
    private const string ArraysPerCore = "4096";

    [Fact]
    public void The_image_sets_the_pool_size_in_its_runtime_stage()
    {
        var runtime = DockerfileReplay.Read().Stage("runtime");

        Assert.Contains(runtime, i => i.Keyword == "ENV" && i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains($"{Variable}={ArraysPerCore}"));
    }

    [Fact]
    public void The_local_cluster_the_launch_profile_and_the_operations_guide_set_the_same_pool_size()
    {
        Assert.Contains($"{Variable}={ArraysPerCore} \\", File.ReadAllText(RepositoryFiles.Path("infra", "local-cluster.sh")), StringComparison.Ordinal);
        Assert.Contains($"`{Variable}={ArraysPerCore}`", File.ReadAllText(RepositoryFiles.Path("docs", "operations.md")), StringComparison.Ordinal);

        using var launch = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.Path("src", "LiveSession.Server", "Properties", "launchSettings.json")));
        foreach (var profile in launch.RootElement.GetProperty("profiles").EnumerateObject())
        {
            Assert.Equal(ArraysPerCore, profile.Value.GetProperty("environmentVariables").GetProperty(Variable).GetString());
        }
    }
}
