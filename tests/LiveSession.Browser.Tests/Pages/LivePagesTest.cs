using LiveSession.Browser.Tests.Infrastructure;
using LiveSession.Server.Tests.Infrastructure;

namespace LiveSession.Browser.Tests.Pages;

/// <summary>A real server of its own and the pages opened on it, for one test, disposed after.</summary>
public abstract class LivePagesTest(BrowserFixture browser) : IAsyncLifetime
{
    protected LiveServer Server { get; private set; } = null!;

    protected LivePages Pages { get; private set; } = null!;

    public virtual Task InitializeAsync()
    {
        Server = LiveServer.Start();
        Pages = new LivePages(browser, Server);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Pages.DisposeAsync();
        await Server.DisposeAsync();
    }
}
