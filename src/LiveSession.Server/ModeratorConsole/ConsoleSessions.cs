using System.Security.Claims;
using LiveSession.Server.Access;
using LiveSession.Server.Storage;

namespace LiveSession.Server.ModeratorConsole;

/// <summary>
/// Whether a console login still holds: its key was not replaced and its session was not logged out
/// (a logout revokes the session in the store, so a copied cookie dies on every node). Checked on
/// every console request, on the circuit's revalidation and before every action of an open console.
/// </summary>
public sealed class ConsoleSessions(ILiveStore store, IConsoleSessionStore sessions, OrganiserKey organiserKey, TimeProvider time)
{
    public async Task<bool> IsCurrentAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var keyHash = principal.FindFirstValue(ConsoleAccess.KeyHashClaim);
        var sessionId = principal.FindFirstValue(ConsoleAccess.SessionClaim);
        if (keyHash is null || sessionId is null || await sessions.IsConsoleSessionRevokedAsync(sessionId, cancellationToken))
        {
            return false;
        }

        return principal.IsInRole(ModeratorKeyAuthenticationHandler.OrganiserRole)
            ? keyHash == ModeratorKeys.Hash(organiserKey.Value)
            : await store.FindModeratorKeyAsync(keyHash, cancellationToken) is not null;
    }

    /// <summary>Ends the principal's session on every node: its cookie is refused from now on, even a copy.</summary>
    public async Task RevokeAsync(ClaimsPrincipal principal)
    {
        if (principal.FindFirstValue(ConsoleAccess.SessionClaim) is { } sessionId)
        {
            // Kept until the cookie could have expired anyway (sliding), with an hour to spare.
            var keepUntil = time.GetUtcNow() + ConsoleAccess.CookieLifetime + TimeSpan.FromHours(1);
            await sessions.RevokeConsoleSessionAsync(sessionId, keepUntil, CancellationToken.None);
        }
    }
}
