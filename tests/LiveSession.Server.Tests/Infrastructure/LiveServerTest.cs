namespace LiveSession.Server.Tests.Infrastructure;

/// <summary>
/// A real server of its own for each test (xunit makes one instance per test): the demo event in a
/// temp folder, <paramref name="settings"/> over the test defaults; disposed after the test together
/// with the moderator client, if the test made one.
/// </summary>
public abstract class LiveServerTest(IDictionary<string, string?>? settings = null) : IAsyncLifetime
{
    private HttpClient? _moderator;

    protected LiveServer Server { get; } = LiveServer.Start(settings);

    /// <summary>An HTTP client with the demo event's moderator key, made on first use.</summary>
    protected HttpClient Moderator => _moderator ??= Server.CreateModeratorClient();

    /// <summary>Sets up what the class's tests share, on the running server.</summary>
    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        _moderator?.Dispose();
        await Server.DisposeAsync();
    }
}
