using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace LiveSession.Server.ModeratorConsole;

/// <summary>
/// An open console (a live circuit) makes no more HTTP requests, so the cookie check alone would
/// let a replaced key keep moderating. The circuit re-checks the key every minute; once replaced,
/// the panels see an anonymous user and stop.
/// </summary>
public sealed class ConsoleKeyRevalidation(ILoggerFactory loggers, IServiceScopeFactory scopes)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellationToken)
    {
        if (state.User.Identity?.IsAuthenticated != true)
        {
            return true;
        }

        await using var scope = scopes.CreateAsyncScope();
        return await ConsoleAccess.KeyIsCurrentAsync(state.User, scope.ServiceProvider, cancellationToken);
    }
}
