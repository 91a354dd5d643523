using LiveSession.Server.Access;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace LiveSession.Server.Observability;

/// <summary>
/// OpenTelemetry: the service's meter, ASP.NET Core's, SignalR's and Polly's, the .NET runtime's
/// (<c>dotnet_*</c>: GC, heap, thread pool, exceptions) and the process's (<c>process_*</c>: CPU, memory), scrapeable at
/// <c>/metrics</c> (Prometheus text); with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, metrics and the
/// moderator API's traces go out over OTLP too. No client address is recorded.
/// </summary>
public static class LiveTelemetry
{
    public const string MetricsPath = "/metrics";

    private static readonly string[] Meters =
    [
        LiveMetrics.MeterName,
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections",
        "Polly",
    ];

    public static WebApplicationBuilder AddLiveTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LiveMetrics>();
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("livesession"))
            .WithMetrics(metrics => metrics.AddMeter(Meters).AddRuntimeInstrumentation().AddProcessInstrumentation().AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry
                .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation(options =>
                {
                    options.Filter = context => context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal);
                    options.EnrichWithHttpRequest = (activity, _) => activity.SetTag("client.address", null);
                }))
                .UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>
    /// <c>/metrics</c> for Prometheus, with the organiser key as a bearer (the series name the events
    /// and their crowds); the load balancer does not serve it at all (infra/nginx).
    /// </summary>
    public static IEndpointRouteBuilder MapLiveMetrics(this IEndpointRouteBuilder app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath).RequireAuthorization(EventModeratorRequirement.OrganiserPolicy);
        return app;
    }
}
