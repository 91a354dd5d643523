namespace LiveSession.Server.Storage;

/// <summary>
/// Console sessions ended by a logout, beside <see cref="ILiveStore"/> (both stores implement it),
/// so that a copied cookie is refused on every node. Kept until the cookie could have expired anyway.
/// </summary>
public interface IConsoleSessionStore
{
    Task RevokeConsoleSessionAsync(string sessionId, DateTimeOffset keepUntil, CancellationToken cancellationToken);

    Task<bool> IsConsoleSessionRevokedAsync(string sessionId, CancellationToken cancellationToken);
}
