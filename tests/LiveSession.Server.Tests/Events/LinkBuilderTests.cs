using LiveSession.Server.Configuration;
using LiveSession.Server.Events;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace LiveSession.Server.Tests.Events;

/// <summary>The links an event prints and puts in its QR code, and the warning when phones could not open them.</summary>
public sealed class LinkBuilderTests
{
    [Theory]
    [InlineData(null, "http://0.0.0.0:8080", "http://localhost:8080")]
    [InlineData(null, "http://[::]:8080", "http://localhost:8080")]
    [InlineData(null, "http://+:8080", "http://localhost:8080")]
    [InlineData("http://localhost:8080", "http://*:8080", "http://localhost:8080")]
    [InlineData(null, "http://127.0.0.1:5000;http://192.168.1.20:5000", "http://127.0.0.1:5000")]
    public void Links_to_localhost_while_listening_where_other_machines_reach_the_node_are_warned_about(string? publicBaseUrl, string listening, string linksTo)
    {
        var links = Links(publicBaseUrl, listening);

        Assert.Equal($"{linksTo}/e/bms22", links.Attendee("bms22"));
        var warning = Assert.IsType<string>(links.LoopbackWarning);
        Assert.Contains("LiveSession:PublicBaseUrl", warning);
        Assert.Contains(linksTo, warning);
    }

    [Theory]
    [InlineData(null, "http://127.0.0.1:5000")]
    [InlineData(null, "http://localhost:5000;http://[::1]:5000")]
    [InlineData("https://live.example.org", "http://0.0.0.0:8080")]
    [InlineData("http://192.168.1.20:8080", "http://0.0.0.0:8080")]
    public void Links_others_can_open_or_a_node_only_this_machine_reaches_need_no_warning(string? publicBaseUrl, string listening) =>
        Assert.Null(Links(publicBaseUrl, listening).LoopbackWarning);

    private static LinkBuilder Links(string? publicBaseUrl, string listening)
    {
        var server = new ListeningServer();
        foreach (var address in listening.Split(';'))
        {
            server.Addresses.Addresses.Add(address);
        }

        return new LinkBuilder(Options.Create(new LiveSessionOptions { PublicBaseUrl = publicBaseUrl }), server);
    }

    /// <summary>Only the listening addresses, as Kestrel reports them once started.</summary>
    private sealed class ListeningServer : IServer
    {
        public ServerAddressesFeature Addresses { get; } = new();

        public IFeatureCollection Features { get; }

        public ListeningServer()
        {
            Features = new FeatureCollection();
            Features.Set<IServerAddressesFeature>(Addresses);
        }

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }
}
