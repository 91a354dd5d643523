using LiveSession.Domain.Errors;
using LiveSession.Server.Api;
using LiveSession.Server.Configuration;
using Microsoft.Extensions.Options;

namespace LiveSession.Server.Hub;

/// <summary>
/// Counts the hub's WebSocket requests (each lasts as long as its connection) and refuses the ones
/// past <see cref="LimitsOptions.MaxWebSocketConnections"/> with 503 and a retry hint. Kestrel's own
/// cap on upgraded connections stays as the backstop, but past it SignalR answers a confusing 200;
/// this way the client's back-off retries later, or the load balancer tries another node.
/// </summary>
public static class ConnectionCapRefusal
{
    public static IApplicationBuilder UseHubConnectionCapRefusal(this IApplicationBuilder app)
    {
        var cap = app.ApplicationServices.GetRequiredService<IOptions<LiveSessionOptions>>().Value.Limits.MaxWebSocketConnections;
        var open = 0;
        return app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments(LiveHub.Path)
                || !context.Request.Headers.Upgrade.ToString().Equals("websocket", StringComparison.OrdinalIgnoreCase))
            {
                await next(context);
                return;
            }

            if (Interlocked.Increment(ref open) > cap)
            {
                Interlocked.Decrement(ref open);
                context.Response.Headers.RetryAfter = "5";
                await Problems.WriteAsync(context, new LiveSessionException(ErrorCodes.TooManyConnections,
                    "This node holds as many live connections as it may; try again in a moment."));
                return;
            }

            try
            {
                await next(context);
            }
            finally
            {
                Interlocked.Decrement(ref open);
            }
        });
    }
}
