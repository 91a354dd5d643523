namespace LiveSession.Server.Storage.Sqlite;

/// <summary>Display keys in SQLite: one row per event in <c>display_keys</c>.</summary>
public sealed partial class SqliteLiveStore : IDisplayKeyStore
{
    public Task<string> GetOrAddDisplayKeyAsync(string eventCode, string candidate, CancellationToken cancellationToken) =>
        WriteAsync(async (transaction, ct) =>
        {
            await EnsureEventAsync(transaction, eventCode, ct);
            await using var insert = transaction.Command(
                "INSERT INTO display_keys (event_code, key) VALUES ($code, $key) ON CONFLICT (event_code) DO NOTHING",
                ("$code", eventCode), ("$key", candidate));
            await insert.ExecuteNonQueryAsync(ct);
            await using var read = transaction.Command("SELECT key FROM display_keys WHERE event_code = $code", ("$code", eventCode));
            return (string)(await read.ExecuteScalarAsync(ct))!;
        }, cancellationToken);

    public Task<string?> FindDisplayKeyAsync(string eventCode, CancellationToken cancellationToken) =>
        ReadAsync(async (connection, ct) =>
        {
            await using var read = connection.Command("SELECT key FROM display_keys WHERE event_code = $code", ("$code", eventCode));
            return await read.ExecuteScalarAsync(ct) as string;
        }, cancellationToken);

    public Task ReplaceDisplayKeyAsync(string eventCode, string key, CancellationToken cancellationToken) =>
        WriteAsync(async (transaction, ct) =>
        {
            await EnsureEventAsync(transaction, eventCode, ct);
            await using var upsert = transaction.Command(
                "INSERT INTO display_keys (event_code, key) VALUES ($code, $key) ON CONFLICT (event_code) DO UPDATE SET key = excluded.key",
                ("$code", eventCode), ("$key", key));
            await upsert.ExecuteNonQueryAsync(ct);
        }, cancellationToken);
}
