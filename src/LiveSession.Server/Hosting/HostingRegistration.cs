using LiveSession.Server.Configuration;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace LiveSession.Server.Hosting;

public static class HostingRegistration
{
    /// <summary>Request body limits, and the connection caps fitted under the file-descriptor limit (Kestrel's from them).</summary>
    public static WebApplicationBuilder AddServerLimits(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(provider => ConnectionLimits.Fit(
            provider.GetRequiredService<IOptions<LiveSessionOptions>>().Value.Limits, ConnectionLimits.ReadFileDescriptorLimit()));
        services.AddOptions<KestrelServerOptions>().Configure<ConnectionLimits>((kestrel, limits) =>
        {
            // Upgraded connections (WebSockets) leave MaxConcurrentConnections when they upgrade: together they stay below the fd limit.
            kestrel.Limits.MaxConcurrentUpgradedConnections = limits.UpgradedConnections;
            kestrel.Limits.MaxConcurrentConnections = limits.HttpConnections;
            kestrel.Limits.MaxRequestBodySize = 1024 * 1024;
        });
        services.Configure<FormOptions>(form => form.MultipartBodyLengthLimit = 1024 * 1024);
        return builder;
    }
}
