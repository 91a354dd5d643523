using LiveSession.Server.Abuse;
using LiveSession.Server.Access;
using LiveSession.Server.Agenda;
using LiveSession.Server.Api;
using LiveSession.Server.Configuration;
using LiveSession.Server.Displays;
using LiveSession.Server.Events;
using LiveSession.Server.Export;
using LiveSession.Server.Hosting;
using LiveSession.Server.Hub;
using LiveSession.Server.Live;
using LiveSession.Server.Observability;
using LiveSession.Server.Polls;
using LiveSession.Server.Questions;
using LiveSession.Server.Storage;
using LiveSession.Server.Storage.Redis;
using LiveSession.Server.Storage.Sqlite;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LiveSession.Server;

/// <summary>One Add/Map per concern, so that Program.cs reads as a table of contents.</summary>
public static class LiveSessionServices
{
    /// <summary>Options (validated at start), clock, data folder, and the Kestrel limits bound from them.</summary>
    public static WebApplicationBuilder AddLiveSessionOptions(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LiveSessionOptions>()
            .BindConfiguration(LiveSessionOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<LiveSessionOptions>, OrganiserKeyStrength>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DataFolder>();
        builder.Services.AddSingleton<LiveMetrics>();

        var limits = builder.Configuration.GetSection($"{LiveSessionOptions.Section}:Limits").Get<LimitsOptions>() ?? new LimitsOptions();
        var connectionLimits = ConnectionLimits.Fit(limits, ConnectionLimits.ReadFileDescriptorLimit());
        builder.Services.AddSingleton(connectionLimits);
        builder.Services.AddSingleton(services =>
        {
            var metrics = services.GetRequiredService<LiveMetrics>();
            var slots = new HubConnectionSlots(connectionLimits, metrics, services.GetRequiredService<TimeProvider>(), limits.JoinTimeout);
            metrics.ObserveHubSlots(() => slots.Capacity, () => slots.Held);
            return slots;
        });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Upgraded connections (WebSockets) leave MaxConcurrentConnections when they upgrade: together they stay below the fd limit.
            kestrel.Limits.MaxConcurrentUpgradedConnections = connectionLimits.UpgradedConnections;
            kestrel.Limits.MaxConcurrentConnections = connectionLimits.HttpConnections;
            kestrel.Limits.MaxRequestBodySize = 1024 * 1024;
        });
        builder.Services.Configure<FormOptions>(form => form.MultipartBodyLengthLimit = 1024 * 1024);
        return builder;
    }

    /// <summary>The store of record: Redis when <c>ConnectionStrings:Redis</c> is set, else SQLite in the data folder.</summary>
    public static WebApplicationBuilder AddLiveStore(this WebApplicationBuilder builder)
    {
        // Both stores keep polls beside the rest of the event.
        builder.Services.AddSingleton(provider => (IPollStore)provider.GetRequiredService<ILiveStore>());
        builder.Services.AddSingleton(provider => (IDisplayKeyStore)provider.GetRequiredService<ILiveStore>());
        builder.Services.AddSingleton(provider => (IConsoleSessionStore)provider.GetRequiredService<ILiveStore>());
        if (RedisScaleOut.IsConfigured(builder.Configuration))
        {
            return builder.AddRedisStore();
        }

        builder.Services.AddSingleton<ILiveStore>(services => new SqliteLiveStore(
            services.GetRequiredService<DataFolder>().DatabasePath,
            services.GetRequiredService<IOptions<LiveSessionOptions>>().Value.SqliteSynchronousFull,
            services.GetRequiredService<TimeProvider>()));
        return builder;
    }

    /// <summary>The application services that own every state change, and the fan-out behind them.</summary>
    public static WebApplicationBuilder AddLiveSessionCore(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<EventCatalog>();
        services.AddSingleton<LinkBuilder>();
        services.AddSingleton<QuestionService>();
        services.AddSingleton<LiveControlService>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<AttendeeDataPurge>();
        services.AddSingleton<QaExporter>();
        services.AddSingleton<SnapshotService>();
        services.AddSingleton<LiveBroadcaster>();
        services.AddSingleton<TallyPacing>();
        services.AddSingleton<ILiveFeed, InProcessLiveFeed>();
        services.AddSingleton<ITallySource, InMemoryTallySource>();
        services.AddPolls();
        services.AddHostedService<EventBootstrapper>();
        services.AddHostedService<TallyFlusher>();
        services.AddHostedService<RetentionService>();
        services.AddHostedService<QaClosingService>();
        services.AddSingleton<DisplayConnections>();
        services.AddSingleton<AdmissionBudgets>();
        services.AddSingleton<NewIdentityRate>();
        services.AddSingleton<RoomPass>();
        services.AddSingleton<DisplayKeys>();
        services.AddHostedService<DisplayKeyRevalidation>();
        return builder;
    }

    /// <summary>Keys: Data Protection (attendee tokens, cookies), the organiser key, moderator keys and their checks.</summary>
    public static WebApplicationBuilder AddLiveAccess(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddDataProtection().SetApplicationName("LiveSession");
        builder.AddEncryptedKeyRing(keyRingInRedis: RedisScaleOut.IsConfigured(builder.Configuration));
        services.AddSingleton<AttendeeTokens>();
        services.AddSingleton<OrganiserKey>();
        services.AddSingleton<ModeratorKeys>();
        services.AddSingleton<KeyCheckThrottle>();
        // The handler's own lines for a wrong key (not authenticated, challenged) are Information: a
        // guessing script would fill the log. KeyCheckThrottle logs each failure at Debug instead.
        builder.Logging.AddFilter(typeof(ModeratorKeyAuthenticationHandler).FullName, LogLevel.Warning);
        services.AddAuthentication()
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ModeratorKeyAuthenticationHandler>(
                ModeratorKeyAuthenticationHandler.SchemeName, _ => { });
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, EventModeratorRequirement>();
        services.AddAuthorizationBuilder()
            .AddPolicy(EventModeratorRequirement.Policy, policy => policy
                .AddAuthenticationSchemes(ModeratorKeyAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .AddRequirements(new EventModeratorRequirement()))
            .AddPolicy(EventModeratorRequirement.OrganiserPolicy, policy => policy
                .AddAuthenticationSchemes(ModeratorKeyAuthenticationHandler.SchemeName)
                .RequireRole(ModeratorKeyAuthenticationHandler.OrganiserRole));
        return builder;
    }

    /// <summary>The hub: limits on what clients may send, error codes, rate limits.</summary>
    public static WebApplicationBuilder AddLiveHub(this WebApplicationBuilder builder)
    {
        var limits = builder.Configuration.GetSection($"{LiveSessionOptions.Section}:Limits").Get<LimitsOptions>() ?? new LimitsOptions();
        builder.Services.AddSingleton<ConnectionMetricsFilter>();
        builder.Services.AddSingleton<HubErrorFilter>();
        builder.Services.AddSingleton<HubRateLimitFilter>();
        builder.Services.AddSignalR(hub =>
            {
                hub.MaximumReceiveMessageSize = limits.MaxHubMessageBytes;
                hub.EnableDetailedErrors = false;
                // Pages treat 10 s of silence as a dead connection (live-connection.js): ping well within that.
                hub.KeepAliveInterval = TimeSpan.FromSeconds(4);
                hub.AddFilter<ConnectionMetricsFilter>();
                hub.AddFilter<HubErrorFilter>();
                hub.AddFilter<HubRateLimitFilter>();
            })
            .AddJsonProtocol();
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

    /// <summary>ProblemDetails for every refusal, with the same stable codes as the hub.</summary>
    public static WebApplicationBuilder AddLiveProblemDetails(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return builder;
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
