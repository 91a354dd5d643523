using LiveSession.Domain.Errors;

namespace LiveSession.Server.Storage.Sqlite;

public sealed partial class SqliteLiveStore
{
    public Task<int> ResetVotesAsync(string eventCode, string questionId, int expectedRevision, CancellationToken cancellationToken) =>
        WriteAsync(async (transaction, ct) =>
        {
            await CurrentSeqAsync(transaction, eventCode, ct);
            await using var read = transaction.Command(
                "SELECT revision, votes FROM questions WHERE event_code = $code AND id = $id",
                ("$code", eventCode),
                ("$id", questionId));
            await using var reader = await read.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                throw LiveSessionException.NotFound($"Question '{questionId}'");
            }

            var revision = reader.GetInt64(0);
            var votes = reader.GetInt32(1);
            await reader.CloseAsync();
            if (revision != expectedRevision)
            {
                throw new LiveSessionException(ErrorCodes.Conflict,
                    $"Question '{questionId}' changed meanwhile (revision {revision}, expected {expectedRevision}).");
            }

            await using var reset = transaction.Command(
                """
                DELETE FROM votes WHERE event_code = $code AND question_id = $id;
                UPDATE questions SET votes = 0 WHERE event_code = $code AND id = $id;
                """,
                ("$code", eventCode),
                ("$id", questionId));
            await reset.ExecuteNonQueryAsync(ct);
            return votes;
        }, cancellationToken);
}
