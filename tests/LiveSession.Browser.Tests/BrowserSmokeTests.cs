using LiveSession.Browser.Tests.Infrastructure;
using LiveSession.Server.Tests.Infrastructure;

namespace LiveSession.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class BrowserSmokeTests(BrowserFixture browser)
{
    [Fact]
    public async Task Debian_chromium_reaches_the_real_server_on_loopback()
    {
        await using var server = LiveServer.Start();
        var (context, foreign) = await browser.NewContextAsync();
        await using var _ = context;
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync(new Uri(server.BaseAddress, "/healthz").ToString());

        Assert.Equal(200, response!.Status);
        Assert.Equal("Healthy", await page.InnerTextAsync("body"));
        Assert.Empty(foreign);
    }
}
