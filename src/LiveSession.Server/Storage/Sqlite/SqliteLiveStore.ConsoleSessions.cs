namespace LiveSession.Server.Storage.Sqlite;

/// <summary>Revoked console sessions in SQLite; expired rows are dropped on the next revocation.</summary>
public sealed partial class SqliteLiveStore : IConsoleSessionStore
{
    public Task RevokeConsoleSessionAsync(string sessionId, DateTimeOffset keepUntil, CancellationToken cancellationToken) =>
        WriteAsync(async (transaction, ct) =>
        {
            await using var tidy = transaction.Command(
                "DELETE FROM revoked_console_sessions WHERE keep_until_utc_ticks < $now", ("$now", _time.GetUtcNow().UtcTicks));
            await tidy.ExecuteNonQueryAsync(ct);
            await using var insert = transaction.Command(
                """
                INSERT INTO revoked_console_sessions (session_id, keep_until_utc_ticks) VALUES ($id, $until)
                ON CONFLICT (session_id) DO NOTHING
                """,
                ("$id", sessionId), ("$until", keepUntil.UtcTicks));
            await insert.ExecuteNonQueryAsync(ct);
        }, cancellationToken);

    public Task<bool> IsConsoleSessionRevokedAsync(string sessionId, CancellationToken cancellationToken) =>
        ReadAsync(async (connection, ct) =>
        {
            await using var read = connection.Command(
                "SELECT 1 FROM revoked_console_sessions WHERE session_id = $id", ("$id", sessionId));
            return await read.ExecuteScalarAsync(ct) is not null;
        }, cancellationToken);
}
