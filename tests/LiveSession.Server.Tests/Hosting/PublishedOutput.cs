using LiveSession.Server.Tests.Infrastructure;

namespace LiveSession.Server.Tests.Hosting;

/// <summary>
/// The node as <c>infra/Dockerfile</c> publishes it, made once for the collection: the build stage
/// replayed in a temporary folder (<see cref="DockerfileReplay"/>). Deleted afterwards.
/// </summary>
public sealed class PublishedOutput : IAsyncLifetime
{
    /// <summary>Restore, npm ci and a Release publish of two projects on a shared, busy machine.</summary>
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(8);

    private readonly string _folder = Directory.CreateTempSubdirectory("livesession-publish").FullName;
    private string? _output;

    public DockerfileReplay Dockerfile { get; } = DockerfileReplay.Read();

    /// <summary>The published folder (what the runtime stage copies to /app).</summary>
    public string Folder => _output ?? throw new InvalidOperationException("Published in InitializeAsync.");

    public string Assembly => Path.Combine(Folder, "LiveSession.Server.dll");

    public async Task InitializeAsync() => _output = await Dockerfile.ReplayBuildStageAsync(_folder, PublishTimeout);

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left to the temp folder's cleanup.
        }

        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class PublishedOutputCollection : ICollectionFixture<PublishedOutput>
{
    public const string Name = "published output";
}
