using LiveSession.Domain.Errors;
using LiveSession.Domain.Polls;
using LiveSession.Domain.Questions;
using Microsoft.Data.Sqlite;

namespace LiveSession.Server.Storage.Sqlite;

/// <summary>
/// Polls: the poll as a JSON document with its status and revision beside it; one answer row per
/// attendee and poll; counts per origin and field (<see cref="PollCountFields"/>, a word with the text first typed
/// for it in this poll) kept apart from the
/// answers, so that a purge can delete who answered and keep what was counted.
/// </summary>
public sealed partial class SqliteLiveStore : IPollStore
{
    public Task AddPollAsync(Poll poll, CancellationToken cancellationToken) =>
        WriteAsync(async (transaction, ct) =>
        {
            await EnsureEventAsync(transaction, poll.EventCode, ct);
            await using var command = transaction.Command(
                """
                INSERT INTO polls (event_code, id, json, status, revision, created_utc_ticks)
                VALUES ($code, $id, $json, $status, $revision, $ticks)
                ON CONFLICT (event_code, id) DO NOTHING
                """,
                ("$code", poll.EventCode),
                ("$id", poll.Id),
                ("$json", StoredJson.Serialize(poll)),
                ("$status", poll.Status.ToWire()),
                ("$revision", poll.Revision),
                ("$ticks", poll.CreatedAt.UtcTicks));
            if (await command.ExecuteNonQueryAsync(ct) == 0)
            {
                throw new LiveSessionException(ErrorCodes.Conflict, $"Poll '{poll.Id}' already exists.");
            }
        }, cancellationToken);

    public Task<long> ReplacePollAsync(Poll updated, int expectedRevision, bool advanceSeq, CancellationToken cancellationToken) =>
        WriteAsync(async (transaction, ct) =>
        {
            var seq = await SeqAsync(transaction, updated.EventCode, advanceSeq, ct);
            await CheckPollRevisionAsync(transaction, updated.EventCode, updated.Id, expectedRevision, ct);
            await using var command = transaction.Command(
                "UPDATE polls SET json = $json, status = $status, revision = $revision WHERE event_code = $code AND id = $id",
                ("$code", updated.EventCode),
                ("$id", updated.Id),
                ("$json", StoredJson.Serialize(updated)),
                ("$status", updated.Status.ToWire()),
                ("$revision", updated.Revision));
            await command.ExecuteNonQueryAsync(ct);
            return seq;
        }, cancellationToken);

    public Task<long> DeletePollAsync(string eventCode, string pollId, int expectedRevision, bool advanceSeq, CancellationToken cancellationToken) =>
        WriteAsync(async (transaction, ct) =>
        {
            var seq = await SeqAsync(transaction, eventCode, advanceSeq, ct);
            await CheckPollRevisionAsync(transaction, eventCode, pollId, expectedRevision, ct);
            await using var command = transaction.Command(
                "DELETE FROM polls WHERE event_code = $code AND id = $id", ("$code", eventCode), ("$id", pollId));
            await command.ExecuteNonQueryAsync(ct);
            return seq;
        }, cancellationToken);

    public Task<Poll?> GetPollAsync(string eventCode, string pollId, CancellationToken cancellationToken) =>
        ReadAsync(async (connection, ct) =>
        {
            await using var command = connection.Command(
                "SELECT json FROM polls WHERE event_code = $code AND id = $id", ("$code", eventCode), ("$id", pollId));
            return await command.ExecuteScalarAsync(ct) is string json ? StoredJson.Deserialize<Poll>(json) : null;
        }, cancellationToken);

    public Task<IReadOnlyList<Poll>> ListPollsAsync(string eventCode, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<Poll>>(async (connection, ct) =>
        {
            await using var command = connection.Command(
                "SELECT json FROM polls WHERE event_code = $code ORDER BY created_utc_ticks, rowid", ("$code", eventCode));
            await using var reader = await command.ExecuteReaderAsync(ct);
            var polls = new List<Poll>();
            while (await reader.ReadAsync(ct))
            {
                polls.Add(StoredJson.Deserialize<Poll>(reader.GetString(0)));
            }

            return polls;
        }, cancellationToken);

    /// <summary>
    /// One read (the poll's status and the attendee's previous answer), the answer's upsert, and one
    /// upsert per count that moves: the previous answer's counts and the new one's are netted first, so
    /// a changed single choice moves two counts and the answerer total stays.
    /// </summary>
    public Task<PollAnswerOutcome> AnswerPollAsync(
        string eventCode, string pollId, string attendeeId, QuestionOrigin origin, PollAnswer answer, CancellationToken cancellationToken) =>
        WriteAsync(async (transaction, ct) =>
        {
            string? status = null;
            (string Origin, PollAnswer Answer)? old = null;
            var read = transaction.Prepared(
                """
                SELECT p.status, a.origin, a.answer FROM polls p
                LEFT JOIN poll_answers a ON a.event_code = p.event_code AND a.poll_id = p.id AND a.attendee_id = $attendee
                WHERE p.event_code = $code AND p.id = $id
                """,
                ("$code", eventCode), ("$id", pollId), ("$attendee", attendeeId));
            await using (var reader = await read.ExecuteReaderAsync(ct))
            {
                if (await reader.ReadAsync(ct))
                {
                    status = reader.GetString(0);
                    if (!reader.IsDBNull(1))
                    {
                        old = (reader.GetString(1), StoredJson.Deserialize<PollAnswer>(reader.GetString(2)));
                    }
                }
            }

            if (status is null || status == PollStatus.Draft.ToWire())
            {
                return PollAnswerOutcome.NotFound;
            }

            if (status != PollStatus.Open.ToWire())
            {
                return PollAnswerOutcome.Closed;
            }

            await transaction.Prepared(
                    """
                    INSERT INTO poll_answers (event_code, poll_id, attendee_id, origin, answer, answered_utc_ticks)
                    VALUES ($code, $id, $attendee, $origin, $answer, $now)
                    ON CONFLICT DO UPDATE SET origin = excluded.origin, answer = excluded.answer, answered_utc_ticks = excluded.answered_utc_ticks
                    """,
                    ("$code", eventCode), ("$id", pollId), ("$attendee", attendeeId), ("$origin", origin.ToWire()),
                    ("$answer", StoredJson.Serialize(answer)), ("$now", _time.GetUtcNow().UtcTicks))
                .ExecuteNonQueryAsync(ct);
            foreach (var move in PollCountFields.Moves(old is { } replaced ? (replaced.Origin, replaced.Answer) : null, origin.ToWire(), answer))
            {
                await CountAsync(transaction, eventCode, pollId, move, ct);
            }

            return PollAnswerOutcome.Stored;
        }, cancellationToken);

    public Task<IReadOnlyDictionary<string, PollResults>> GetPollResultsAsync(
        string eventCode, IReadOnlyCollection<string> pollIds, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyDictionary<string, PollResults>>(async (connection, ct) =>
        {
            await using var transaction = connection.BeginTransaction(deferred: true);
            var found = new List<string>();
            await using (var polls = transaction.Command(
                "SELECT id FROM polls WHERE event_code = $code AND id IN (SELECT value FROM json_each($ids))",
                ("$code", eventCode), ("$ids", StoredJson.Serialize(pollIds))))
            await using (var reader = await polls.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    found.Add(reader.GetString(0));
                }
            }

            var rows = new Dictionary<(string Poll, string Origin), List<(string Field, int Count)>>();
            var texts = new Dictionary<string, Dictionary<string, string>>();
            await using (var counts = transaction.Command(
                """
                SELECT poll_id, origin, field, text, count FROM poll_counts
                WHERE event_code = $code AND poll_id IN (SELECT value FROM json_each($ids))
                """,
                ("$code", eventCode), ("$ids", StoredJson.Serialize(pollIds))))
            await using (var reader = await counts.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    var key = (reader.GetString(0), reader.GetString(1));
                    (rows.TryGetValue(key, out var list) ? list : rows[key] = []).Add((reader.GetString(2), reader.GetInt32(4)));
                    if (!reader.IsDBNull(3))
                    {
                        var pollTexts = texts.TryGetValue(key.Item1, out var known) ? known : texts[key.Item1] = [];
                        pollTexts.TryAdd(reader.GetString(2), reader.GetString(3));
                    }
                }
            }

            await transaction.CommitAsync(ct);
            return found.ToDictionary(id => id, id =>
            {
                var pollTexts = texts.GetValueOrDefault(id) ?? [];
                return new PollResults(
                    PollCountFields.Tally(rows.GetValueOrDefault((id, QuestionOrigin.Room.ToWire())) ?? [], pollTexts),
                    PollCountFields.Tally(rows.GetValueOrDefault((id, QuestionOrigin.Remote.ToWire())) ?? [], pollTexts));
            });
        }, cancellationToken);

    public Task<IReadOnlyDictionary<string, PollAnswer>> GetPollAnswersAsync(string eventCode, string attendeeId, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyDictionary<string, PollAnswer>>(async (connection, ct) =>
        {
            await using var command = connection.Command(
                "SELECT poll_id, answer FROM poll_answers WHERE event_code = $code AND attendee_id = $attendee",
                ("$code", eventCode), ("$attendee", attendeeId));
            await using var reader = await command.ExecuteReaderAsync(ct);
            var answers = new Dictionary<string, PollAnswer>();
            while (await reader.ReadAsync(ct))
            {
                answers[reader.GetString(0)] = StoredJson.Deserialize<PollAnswer>(reader.GetString(1));
            }

            return answers;
        }, cancellationToken);

    public Task<int> ForgetPollAnswerersAsync(string eventCode, DateTimeOffset? answeredBefore, CancellationToken cancellationToken) =>
        WriteAsync(async (transaction, ct) =>
        {
            const string Old = "event_code = $code AND ($before IS NULL OR answered_utc_ticks IS NULL OR answered_utc_ticks < $before)";
            (string, object?)[] parameters = [("$code", eventCode), ("$before", answeredBefore?.UtcTicks)];
            await using var count = transaction.Command($"SELECT count(DISTINCT attendee_id) FROM poll_answers WHERE {Old}", parameters);
            var attendees = Convert.ToInt32(await count.ExecuteScalarAsync(ct));
            await using var delete = transaction.Command($"DELETE FROM poll_answers WHERE {Old}", parameters);
            await delete.ExecuteNonQueryAsync(ct);
            return attendees;
        }, cancellationToken);

    private static async Task<long> SeqAsync(SqliteTransaction transaction, string eventCode, bool advance, CancellationToken cancellationToken)
    {
        if (advance)
        {
            return await NextSeqAsync(transaction, eventCode, cancellationToken);
        }

        await using var command = transaction.Command("SELECT seq FROM events WHERE code = $code", ("$code", eventCode));
        return await command.ExecuteScalarAsync(cancellationToken) is long seq ? seq : throw EventNotFound(eventCode);
    }

    private static async Task CheckPollRevisionAsync(
        SqliteTransaction transaction, string eventCode, string pollId, int expectedRevision, CancellationToken cancellationToken)
    {
        await using var command = transaction.Command(
            "SELECT revision FROM polls WHERE event_code = $code AND id = $id", ("$code", eventCode), ("$id", pollId));
        var stored = await command.ExecuteScalarAsync(cancellationToken) as long? ?? throw LiveSessionException.NotFound("Poll");
        if (stored != expectedRevision)
        {
            throw new LiveSessionException(ErrorCodes.Conflict,
                $"Poll '{pollId}' changed meanwhile (revision {stored}, expected {expectedRevision}).");
        }
    }

    private static async Task CountAsync(
        SqliteTransaction transaction, string eventCode, string pollId, PollCountMove move, CancellationToken cancellationToken) =>
        await (move.Text is null
                // Choices and the answerer total carry no text: no lookup of the text first typed.
                ? transaction.Prepared(
                    """
                    INSERT INTO poll_counts (event_code, poll_id, origin, field, text, count) VALUES ($code, $id, $origin, $field, NULL, max($delta, 0))
                    ON CONFLICT DO UPDATE SET count = max(count + $delta, 0)
                    """,
                    ("$code", eventCode), ("$id", pollId), ("$origin", move.Origin), ("$field", move.Field), ("$delta", move.Delta))
                : transaction.Prepared(
                    """
                    INSERT INTO poll_counts (event_code, poll_id, origin, field, text, count)
                    VALUES ($code, $id, $origin, $field,
                            coalesce((SELECT text FROM poll_counts WHERE event_code = $code AND poll_id = $id AND field = $field AND text IS NOT NULL LIMIT 1), $text),
                            max($delta, 0))
                    ON CONFLICT DO UPDATE SET count = max(count + $delta, 0), text = coalesce(text, excluded.text)
                    """,
                    ("$code", eventCode), ("$id", pollId), ("$origin", move.Origin), ("$field", move.Field), ("$text", move.Text),
                    ("$delta", move.Delta)))
            .ExecuteNonQueryAsync(cancellationToken);
}
