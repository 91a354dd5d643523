using LiveSession.Server.Configuration;
using LiveSession.Server.Hosting;
using LiveSession.Server.Observability;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace LiveSession.Server.Hub;

public static class HubRegistration
{
    /// <summary>The hub: limits on what clients may send, error codes, rate limits, the connection slots.</summary>
    public static WebApplicationBuilder AddLiveHub(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(provider =>
        {
            var metrics = provider.GetRequiredService<LiveMetrics>();
            var slots = new HubConnectionSlots(
                provider.GetRequiredService<ConnectionLimits>(), metrics, provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<IOptions<LiveSessionOptions>>().Value.Limits.JoinTimeout);
            metrics.ObserveHubSlots(() => slots.Capacity, () => slots.Held);
            return slots;
        });
        services.AddSingleton<ConnectionMetricsFilter>();
        services.AddSingleton<HubErrorFilter>();
        services.AddSingleton<HubRateLimitFilter>();
        services.AddSignalR(hub =>
            {
                hub.EnableDetailedErrors = false;
                // Pages treat 10 s of silence as a dead connection (live-connection.js): ping well within that.
                hub.KeepAliveInterval = TimeSpan.FromSeconds(4);
                hub.AddFilter<ConnectionMetricsFilter>();
                hub.AddFilter<HubErrorFilter>();
                hub.AddFilter<HubRateLimitFilter>();
            })
            .AddJsonProtocol();
        services.AddOptions<HubOptions>().Configure<IOptions<LiveSessionOptions>>((hub, options) =>
            hub.MaximumReceiveMessageSize = options.Value.Limits.MaxHubMessageBytes);
        return builder;
    }

    /// <summary>The hub's connection cap and join deadline, in front of everything else that could hold a hub request.</summary>
    public static IApplicationBuilder UseHubConnectionSlots(this IApplicationBuilder app)
    {
        var limits = app.ApplicationServices.GetRequiredService<ConnectionLimits>();
        if (limits.Lowered)
        {
            app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConnectionLimits)).LogWarning(
                "The file-descriptor limit ({Limit}) is below the configured connection caps: lowered to {Hub} hub, {Console} console and {Http} HTTP connections. Raise `ulimit -n` or lower LiveSession:Limits:MaxHubConnections.",
                limits.FileDescriptorLimit, limits.HubConnections, limits.ConsoleConnections, limits.HttpConnections);
        }

        return app.Use(app.ApplicationServices.GetRequiredService<HubConnectionSlots>().Admit);
    }

    /// <summary>
    /// The hub, as <c>MapHub</c> maps it, with the stalled-connection guard in front. WebSockets only
    /// (what the pages use); no stateful reconnect: a client resyncs from a snapshot anyway, and its
    /// replay buffer would let a client that never acknowledges hold the node's writes.
    /// </summary>
    public static IEndpointRouteBuilder MapLiveHub(this IEndpointRouteBuilder app)
    {
        var limits = app.ServiceProvider.GetRequiredService<IOptions<LiveSessionOptions>>().Value.Limits;
        var time = app.ServiceProvider.GetRequiredService<TimeProvider>();
        app.MapConnections(LiveHub.Path, new HttpConnectionDispatcherOptions
            {
                Transports = HttpTransportType.WebSockets,
                AllowStatefulReconnects = false,
                TransportMaxBufferSize = limits.MaxBufferedBytesPerConnection,
            }, connections => connections
                .Use(app.ServiceProvider.GetRequiredService<HubConnectionSlots>().Watch)
                .UseStalledConnectionGuard(limits.StalledSendTimeout, time)
                .UseHub<LiveHub>())
            .WithMetadata(new HubMetadata(typeof(LiveHub)));
        return app;
    }
}
