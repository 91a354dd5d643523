using LiveSession.Domain.Errors;
using LiveSession.Server.Observability;
using Microsoft.AspNetCore.SignalR;

namespace LiveSession.Server.Hub;

/// <summary>
/// Turns refusals into <see cref="HubException"/>s whose message is "code: human message", the
/// only part of an error a SignalR client sees. Anything unexpected becomes internal_error, logged.
/// </summary>
public sealed class HubErrorFilter(ILogger<HubErrorFilter> logger, LiveMetrics metrics) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(
        HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var method = invocationContext.HubMethodName;
        try
        {
            var result = await next(invocationContext);
            metrics.HubInvocation(method, null);
            return result;
        }
        catch (LiveSessionException ex)
        {
            metrics.HubInvocation(method, ex.Code);
            logger.LogDebug("Hub call {Method} refused: {Code}", method, ex.Code);
            throw new HubException($"{ex.Code}: {ex.Message}");
        }
        catch (OperationCanceledException) when (invocationContext.Context.ConnectionAborted.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not HubException)
        {
            metrics.HubInvocation(method, ErrorCodes.Internal);
            logger.LogError(ex, "Hub call {Method} failed", method);
            throw new HubException($"{ErrorCodes.Internal}: Something went wrong on the server. Please try again.");
        }
    }
}
