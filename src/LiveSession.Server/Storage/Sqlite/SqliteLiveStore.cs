using LiveSession.Domain.Errors;
using LiveSession.Domain.Events;
using LiveSession.Domain.Live;
using LiveSession.Domain.Questions;
using LiveSession.Server.Configuration;
using Microsoft.Data.Sqlite;

namespace LiveSession.Server.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. Writes queue for a single long-lived connection
/// (SQLite has one writer; queuing them here avoids SQLITE_BUSY) and commit in groups, see
/// <see cref="SqliteGroupCommitWriter"/>; reads use pooled connections and see a consistent snapshot.
/// </summary>
public sealed partial class SqliteLiveStore : ILiveStore, IAsyncDisposable
{
    private const string PublicStatuses = "('approved', 'answered')";

    private readonly string _databasePath;
    private readonly bool _synchronousFull;
    private readonly string _writeConnectionString;
    private readonly string _readConnectionString;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _lifecycleLock = new(1, 1);
    private SqliteConnection? _connection;
    private volatile SqliteGroupCommitWriter? _writer;
    private volatile bool _disposed;

    /// <param name="databasePath">The database file; it and its folder are created if missing.</param>
    /// <param name="synchronousFull">
    /// Also survive power loss (<c>synchronous=FULL</c>: an fsync per commit, slower votes). By default
    /// a power cut may lose the last commits, never corrupt the file.
    /// </param>
    /// <param name="time">The clock that dates votes and poll answers, for retention.</param>
    public SqliteLiveStore(string databasePath, bool synchronousFull, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        _databasePath = Path.GetFullPath(databasePath);
        _synchronousFull = synchronousFull;
        _time = time;
        _writeConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString();
        _readConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _databasePath,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = true,
        }.ToString();
    }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _lifecycleLock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_writer is not null)
            {
                return;
            }

            // SQLite gives its -wal and -shm files the database file's mode: made 0600 first, all three are owner-only.
            DataFolder.CreateOwnerOnlyFolder(Path.GetDirectoryName(_databasePath)!);
            DataFolder.CreateOwnerOnlyFile(_databasePath);
            DataFolder.RestrictToOwner(_databasePath + "-wal");
            DataFolder.RestrictToOwner(_databasePath + "-shm");
            var writer = new SqliteConnection(_writeConnectionString);
            try
            {
                await writer.OpenAsync(cancellationToken);
                await ConfigureAsync(writer, cancellationToken);
                await SqliteSchema.MigrateAsync(writer, cancellationToken);
            }
            catch
            {
                await writer.DisposeAsync();
                throw;
            }

            _connection = writer;
            _writer = new SqliteGroupCommitWriter(writer);
        }
        finally
        {
            _lifecycleLock.Release();
        }
    }

    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        if (_disposed || _writer is null)
        {
            return false;
        }

        try
        {
            await using var connection = await OpenReadConnectionAsync(cancellationToken);
            await using var command = connection.Command("SELECT 1");
            return await command.ExecuteScalarAsync(cancellationToken) is 1L;
        }
        catch (Exception error) when (error is SqliteException or ObjectDisposedException)
        {
            return false;
        }
    }

    public Task<bool> TryCreateEventAsync(EventDefinition definition, LiveState initial, CancellationToken cancellationToken) =>
        WriteAsync(async (transaction, ct) =>
        {
            await using var command = transaction.Command(
                """
                INSERT INTO events (code, definition, live, live_revision, seq) VALUES ($code, $definition, $live, $revision, 0)
                ON CONFLICT (code) DO NOTHING
                """,
                ("$code", definition.Code),
                ("$definition", StoredJson.Serialize(definition)),
                ("$live", StoredJson.Serialize(initial)),
                ("$revision", initial.Revision));
            return await command.ExecuteNonQueryAsync(ct) == 1;
        }, cancellationToken);

    public Task<IReadOnlyList<string>> ListEventCodesAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<string>>(async (connection, ct) =>
        {
            await using var command = connection.Command("SELECT code FROM events ORDER BY code");
            await using var reader = await command.ExecuteReaderAsync(ct);
            var codes = new List<string>();
            while (await reader.ReadAsync(ct))
            {
                codes.Add(reader.GetString(0));
            }

            return codes;
        }, cancellationToken);

    public Task<EventDefinition?> GetDefinitionAsync(string eventCode, CancellationToken cancellationToken) =>
        ReadAsync(async (connection, ct) =>
        {
            await using var command = connection.Command("SELECT definition FROM events WHERE code = $code", ("$code", eventCode));
            return await command.ExecuteScalarAsync(ct) is string json ? StoredJson.Definition(json) : null;
        }, cancellationToken);

    public Task<EventLive?> GetLiveAsync(string eventCode, CancellationToken cancellationToken) =>
        ReadAsync((connection, ct) => ReadLiveAsync(connection, null, eventCode, ct), cancellationToken);

    public Task<AttendeeView?> ReadAttendeeViewAsync(string eventCode, string? attendeeId, CancellationToken cancellationToken) =>
        ReadAsync(async (connection, ct) =>
        {
            // One deferred transaction: every statement below reads the same WAL snapshot.
            await using var transaction = connection.BeginTransaction(deferred: true);
            if (await ReadLiveAsync(connection, transaction, eventCode, ct) is not { } stored)
            {
                return null;
            }

            await using var questionsCommand = transaction.Command(
                $"""
                SELECT {SqliteRows.QuestionColumns} FROM questions
                WHERE event_code = $code AND (status IN {PublicStatuses} OR ($attendee IS NOT NULL AND asker_id = $attendee))
                ORDER BY created_utc_ticks, rowid
                """,
                ("$code", eventCode),
                ("$attendee", attendeeId));
            var questions = await SqliteRows.ReadQuestionsAsync(questionsCommand, ct);

            var voted = new List<string>();
            if (attendeeId is not null)
            {
                await using var votesCommand = transaction.Command(
                    "SELECT question_id FROM votes WHERE event_code = $code AND voter_id = $attendee ORDER BY question_id",
                    ("$code", eventCode),
                    ("$attendee", attendeeId));
                await using var reader = await votesCommand.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    voted.Add(reader.GetString(0));
                }
            }

            await transaction.CommitAsync(ct);
            return new AttendeeView(stored, questions, voted);
        }, cancellationToken);

    public Task<Question?> GetQuestionAsync(string eventCode, string questionId, CancellationToken cancellationToken) =>
        ReadAsync(async (connection, ct) =>
        {
            await using var command = connection.Command(
                $"SELECT {SqliteRows.QuestionColumns} FROM questions WHERE event_code = $code AND id = $id",
                ("$code", eventCode),
                ("$id", questionId));
            var questions = await SqliteRows.ReadQuestionsAsync(command, ct);
            return questions.SingleOrDefault();
        }, cancellationToken);

    public Task<IReadOnlyList<Question>> ListQuestionsAsync(string eventCode, QuestionStatus? status, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<Question>>(async (connection, ct) =>
        {
            await using var command = connection.Command(
                $"""
                SELECT {SqliteRows.QuestionColumns} FROM questions
                WHERE event_code = $code AND ($status IS NULL OR status = $status)
                ORDER BY created_utc_ticks, rowid
                """,
                ("$code", eventCode),
                ("$status", status?.ToWire()));
            return await SqliteRows.ReadQuestionsAsync(command, ct);
        }, cancellationToken);

    public Task<long> AddQuestionAsync(Question question, CancellationToken cancellationToken) =>
        WriteAsync((transaction, ct) => InsertQuestionAsync(transaction, question, requestId: null, ct), cancellationToken);

    public Task<AddedQuestion> AddQuestionOnceAsync(Question question, string requestId, CancellationToken cancellationToken) =>
        WriteAsync(async (transaction, ct) =>
        {
            await using var find = transaction.Command(
                $"""
                SELECT {SqliteRows.QuestionColumns} FROM questions
                WHERE event_code = $code AND asker_id = $asker AND request_id = $request
                """,
                ("$code", question.EventCode),
                ("$asker", question.AskerId),
                ("$request", requestId));
            if ((await SqliteRows.ReadQuestionsAsync(find, ct)) is [var first])
            {
                await using var seq = transaction.Command("SELECT seq FROM events WHERE code = $code", ("$code", question.EventCode));
                return new AddedQuestion(first, (long)(await seq.ExecuteScalarAsync(ct))!, Created: false);
            }

            return new AddedQuestion(question, await InsertQuestionAsync(transaction, question, requestId, ct), Created: true);
        }, cancellationToken);

    private static async Task<long> InsertQuestionAsync(
        SqliteTransaction transaction, Question question, string? requestId, CancellationToken ct)
    {
        var seq = await SeqForChangeAsync(transaction, question.EventCode, question.IsPublic, ct);
        await using var command = transaction.Command(
            $"""
            INSERT INTO questions ({SqliteRows.QuestionColumns}, created_utc_ticks, request_id)
            VALUES ($event_code, $id, $text, $original_text, $author_name, $addressed_to_speaker_id, $origin, $status,
                    $revision, $created_at, $updated_at, $merged_into_id, 0, $asker_id, $answered_at, $created_utc_ticks, $request_id)
            ON CONFLICT (event_code, id) DO NOTHING
            """,
            ("$event_code", question.EventCode),
            ("$id", question.Id),
            ("$text", question.Text),
            ("$original_text", question.OriginalText),
            ("$author_name", question.AuthorName),
            ("$addressed_to_speaker_id", question.AddressedToSpeakerId),
            ("$origin", question.Origin.ToWire()),
            ("$status", question.Status.ToWire()),
            ("$revision", question.Revision),
            ("$created_at", SqliteRows.FormatTime(question.CreatedAt)),
            ("$updated_at", SqliteRows.FormatTime(question.UpdatedAt)),
            ("$merged_into_id", question.MergedIntoId),
            ("$asker_id", question.AskerId),
            ("$answered_at", SqliteRows.FormatTime(question.AnsweredAt)),
            ("$created_utc_ticks", question.CreatedAt.UtcTicks),
            ("$request_id", requestId));
        if (await command.ExecuteNonQueryAsync(ct) == 0)
        {
            throw new LiveSessionException(ErrorCodes.Conflict, $"Question '{question.Id}' already exists.");
        }

        return seq;
    }

    public Task<long> ReplaceQuestionAsync(Question updated, int expectedRevision, CancellationToken cancellationToken) =>
        WriteAsync(async (transaction, ct) =>
        {
            await CurrentSeqAsync(transaction, updated.EventCode, ct);
            var wasPublic = await CheckRevisionAsync(transaction, updated, expectedRevision, ct);
            var seq = await SeqForChangeAsync(transaction, updated.EventCode, wasPublic || updated.IsPublic, ct);
            await UpdateQuestionAsync(transaction, updated, ct);
            return seq;
        }, cancellationToken);

    public Task<long> MergeQuestionsAsync(
        Question mergedSource, int sourceExpectedRevision, Question target, int targetExpectedRevision,
        CancellationToken cancellationToken)
    {
        return WriteAsync(async (transaction, ct) =>
        {
            await CurrentSeqAsync(transaction, target.EventCode, ct);
            var sourceWasPublic = await CheckRevisionAsync(transaction, mergedSource, sourceExpectedRevision, ct);
            var targetWasPublic = await CheckRevisionAsync(transaction, target, targetExpectedRevision, ct);
            var seq = await SeqForChangeAsync(transaction, target.EventCode,
                sourceWasPublic || targetWasPublic || mergedSource.IsPublic || target.IsPublic, ct);
            await UpdateQuestionAsync(transaction, mergedSource, ct);
            await UpdateQuestionAsync(transaction, target, ct);
            await MoveVotesAsync(transaction, target.EventCode, mergedSource.Id, target.Id, ct);
            return seq;
        }, cancellationToken);
    }

    public Task<long> ReplaceLiveAsync(string eventCode, LiveState updated, int expectedRevision, CancellationToken cancellationToken) =>
        WriteAsync(async (transaction, ct) =>
        {
            var seq = await NextSeqAsync(transaction, eventCode, ct);
            await using var command = transaction.Command(
                "UPDATE events SET live = $live, live_revision = $revision WHERE code = $code AND live_revision = $expected",
                ("$code", eventCode),
                ("$live", StoredJson.Serialize(updated)),
                ("$revision", updated.Revision),
                ("$expected", expectedRevision));
            if (await command.ExecuteNonQueryAsync(ct) == 0)
            {
                throw new LiveSessionException(ErrorCodes.Conflict,
                    $"The live state of '{eventCode}' changed meanwhile (expected revision {expectedRevision}).");
            }

            return seq;
        }, cancellationToken);

    public Task<VoteResult> VoteAsync(string eventCode, string questionId, string voterId, CancellationToken cancellationToken) =>
        ChangeVoteAsync(
            "INSERT INTO votes (event_code, question_id, voter_id, voted_utc_ticks) VALUES ($code, $id, $voter, $now) ON CONFLICT DO NOTHING",
            VoteOutcome.Added, +1, eventCode, questionId, voterId, cancellationToken);

    public Task<VoteResult> UnvoteAsync(string eventCode, string questionId, string voterId, CancellationToken cancellationToken) =>
        ChangeVoteAsync(
            "DELETE FROM votes WHERE event_code = $code AND question_id = $id AND voter_id = $voter",
            VoteOutcome.Removed, -1, eventCode, questionId, voterId, cancellationToken);

    /// <summary>
    /// A vote or an unvote: only on a votable question; the vote row's insert or delete decides
    /// whether anything changed, and the stored count moves with it in the same transaction.
    /// </summary>
    private Task<VoteResult> ChangeVoteAsync(
        string sql, VoteOutcome changed, int delta, string eventCode, string questionId, string voterId,
        CancellationToken cancellationToken) =>
        WriteAsync(async (transaction, ct) =>
        {
            if (await ReadVotableAsync(transaction, eventCode, questionId, ct) is { } refused)
            {
                return refused;
            }

            var command = transaction.Prepared(sql, ("$code", eventCode), ("$id", questionId), ("$voter", voterId),
                ("$now", _time.GetUtcNow().UtcTicks));
            return await command.ExecuteNonQueryAsync(ct) == 0
                ? new VoteResult(VoteOutcome.Unchanged, await ReadVotesAsync(transaction, eventCode, questionId, ct))
                : new VoteResult(changed, await AddToCountAsync(transaction, eventCode, questionId, delta, ct));
        }, cancellationToken);

    public Task<IReadOnlyDictionary<string, int>> GetVoteCountsAsync(
        string eventCode, IReadOnlyCollection<string> questionIds, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyDictionary<string, int>>(async (connection, ct) =>
        {
            var counts = new Dictionary<string, int>(questionIds.Count);
            if (questionIds.Count == 0)
            {
                return counts;
            }

            await using var command = connection.Command(
                "SELECT id, votes FROM questions WHERE event_code = $code AND id IN (SELECT value FROM json_each($ids))",
                ("$code", eventCode),
                ("$ids", StoredJson.Serialize(questionIds)));
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                counts[reader.GetString(0)] = reader.GetInt32(1);
            }

            return counts;
        }, cancellationToken);

    public Task AddModeratorKeyAsync(ModeratorKey key, bool replaceExisting, CancellationToken cancellationToken) =>
        WriteAsync(async (transaction, ct) =>
        {
            await EnsureEventAsync(transaction, key.EventCode, ct);
            if (replaceExisting)
            {
                await using var revoke = transaction.Command(
                    "DELETE FROM moderator_keys WHERE event_code = $code", ("$code", key.EventCode));
                await revoke.ExecuteNonQueryAsync(ct);
            }

            await using var insert = transaction.Command(
                """
                INSERT INTO moderator_keys (key_hash, event_code, label, created_at) VALUES ($hash, $code, $label, $created_at)
                ON CONFLICT (key_hash) DO NOTHING
                """,
                ("$hash", key.KeyHash),
                ("$code", key.EventCode),
                ("$label", key.Label),
                ("$created_at", SqliteRows.FormatTime(key.CreatedAt)));
            if (await insert.ExecuteNonQueryAsync(ct) == 0)
            {
                throw new LiveSessionException(ErrorCodes.Conflict, "This moderator key is already in use.");
            }
        }, cancellationToken);

    public Task<ModeratorKey?> FindModeratorKeyAsync(string keyHash, CancellationToken cancellationToken) =>
        ReadAsync(async (connection, ct) =>
        {
            await using var command = connection.Command(
                "SELECT key_hash, event_code, label, created_at FROM moderator_keys WHERE key_hash = $hash",
                ("$hash", keyHash));
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct)
                ? new ModeratorKey(reader.GetString(0), reader.GetString(1), reader.GetString(2), SqliteRows.ParseTime(reader.GetString(3)))
                : null;
        }, cancellationToken);

    public Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        WriteAsync(async (transaction, ct) =>
        {
            await EnsureEventAsync(transaction, entry.EventCode, ct);
            await using var command = transaction.Command(
                """
                INSERT INTO audit (event_code, at, actor, action, question_id, before, after)
                VALUES ($code, $at, $actor, $action, $question_id, $before, $after)
                """,
                ("$code", entry.EventCode),
                ("$at", SqliteRows.FormatTime(entry.At)),
                ("$actor", entry.Actor),
                ("$action", entry.Action),
                ("$question_id", entry.QuestionId),
                ("$before", entry.Before),
                ("$after", entry.After));
            await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string eventCode, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return ReadAsync<IReadOnlyList<AuditEntry>>(async (connection, ct) =>
        {
            await using var command = connection.Command(
                """
                SELECT event_code, at, actor, action, question_id, before, after FROM audit
                WHERE event_code = $code ORDER BY id DESC LIMIT $limit
                """,
                ("$code", eventCode),
                ("$limit", limit));
            await using var reader = await command.ExecuteReaderAsync(ct);
            var entries = new List<AuditEntry>();
            while (await reader.ReadAsync(ct))
            {
                entries.Add(new AuditEntry(
                    reader.GetString(0),
                    SqliteRows.ParseTime(reader.GetString(1)),
                    reader.GetString(2),
                    reader.GetString(3),
                    SqliteRows.NullableString(reader, 4),
                    SqliteRows.NullableString(reader, 5),
                    SqliteRows.NullableString(reader, 6)));
            }

            return entries;
        }, cancellationToken);
    }

    public Task<PurgeResult> PurgeAttendeeDataAsync(string eventCode, DateTimeOffset? changedBefore, CancellationToken cancellationToken) =>
        WriteAsync(async (transaction, ct) =>
        {
            // A row is old when it last changed before the cutoff (no cutoff: every row). Votes from
            // before votes were dated have no time and count as old.
            const string OldQuestion = "event_code = $code AND ($before IS NULL OR julianday(updated_at) < julianday($before))";
            const string OldVote = "event_code = $code AND ($ticks IS NULL OR voted_utc_ticks IS NULL OR voted_utc_ticks < $ticks)";
            const string Deleted = $"{OldQuestion} AND status IN ($rejected, $withdrawn)";
            (string, object?)[] parameters =
            [
                ("$code", eventCode),
                ("$before", changedBefore is { } before ? SqliteRows.FormatTime(before) : null),
                ("$ticks", changedBefore?.UtcTicks),
                ("$rejected", QuestionStatus.Rejected.ToWire()),
                ("$withdrawn", QuestionStatus.Withdrawn.ToWire()),
            ];

            var seq = await SeqAsync(transaction, eventCode, advance: false, ct);
            await using var count = transaction.Command(
                $"""
                SELECT
                    (SELECT count(*) FROM (
                        SELECT asker_id FROM questions WHERE {OldQuestion} AND asker_id IS NOT NULL
                        UNION
                        SELECT voter_id FROM votes WHERE {OldVote})),
                    (SELECT count(*) FROM questions WHERE {Deleted})
                """,
                parameters);
            int attendees, deleting;
            await using (var reader = await count.ExecuteReaderAsync(ct))
            {
                await reader.ReadAsync(ct);
                (attendees, deleting) = (reader.GetInt32(0), reader.GetInt32(1));
            }

            if (changedBefore is not null && attendees == 0 && deleting == 0)
            {
                return new PurgeResult(seq, 0, 0);
            }

            await using var forgetVoters = transaction.Command($"DELETE FROM votes WHERE {OldVote}", parameters);
            await forgetVoters.ExecuteNonQueryAsync(ct);

            await RedactAuditOfDeletedAsync(transaction, Deleted, parameters, ct);

            await using var delete = transaction.Command($"DELETE FROM questions WHERE {Deleted}", parameters);
            var deleted = await delete.ExecuteNonQueryAsync(ct);

            await using var forgetAskers = transaction.Command(
                $"UPDATE questions SET asker_id = NULL, request_id = NULL WHERE {OldQuestion} AND asker_id IS NOT NULL", parameters);
            await forgetAskers.ExecuteNonQueryAsync(ct);

            return new PurgeResult(await NextSeqAsync(transaction, eventCode, ct), deleted, attendees);
        }, cancellationToken);

    /// <summary>
    /// With <c>secure_delete</c> a delete already zeroes what it frees in the database file; the
    /// WAL still holds the pages as they were. So: checkpoint and truncate the WAL, VACUUM (which
    /// rewrites every page, through the WAL), and checkpoint and truncate again.
    /// </summary>
    public Task<StorageErasure> EraseDeletedDataAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _writer is { } writer
            ? writer.RunAloneAsync(async connection =>
            {
                using var deadline = new CancellationTokenSource(timeout);
                var busy = await CheckpointAsync(connection, deadline.Token);
                await using (var vacuum = connection.Command("VACUUM"))
                {
                    await vacuum.ExecuteNonQueryAsync(deadline.Token);
                }

                busy |= await CheckpointAsync(connection, deadline.Token);
                return busy
                    ? new StorageErasure("sqlite", false,
                        "VACUUM done, but a reader kept the write-ahead log from being truncated; the next purge or restart truncates it.")
                    : new StorageErasure("sqlite", true, "Write-ahead log checkpointed and truncated, database vacuumed.");
            }, NotReady, cancellationToken)
            : Task.FromException<StorageErasure>(NotReady());

    /// <summary>True if readers kept the checkpoint from finishing (the WAL is then not empty).</summary>
    private static async Task<bool> CheckpointAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var checkpoint = connection.Command("PRAGMA wal_checkpoint(TRUNCATE)");
        await using var reader = await checkpoint.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) && reader.GetInt64(0) != 0;
    }

    /// <summary>The audit entries of the questions about to be deleted (<paramref name="deleted"/>) keep who and when, not what was typed.</summary>
    private static async Task RedactAuditOfDeletedAsync(
        SqliteTransaction transaction, string deleted, (string, object?)[] parameters, CancellationToken cancellationToken)
    {
        await using var select = transaction.Command(
            $"""
            SELECT a.id, a.before, a.after FROM audit a
            WHERE a.event_code = $code AND a.question_id IN (SELECT id FROM questions WHERE {deleted})
            """,
            parameters);
        var redacted = new List<(long Id, string? Before, string? After)>();
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                redacted.Add((reader.GetInt64(0),
                    AuditRedaction.RedactJson(SqliteRows.NullableString(reader, 1)),
                    AuditRedaction.RedactJson(SqliteRows.NullableString(reader, 2))));
            }
        }

        foreach (var (id, before, after) in redacted)
        {
            await using var update = transaction.Command(
                "UPDATE audit SET before = $before, after = $after WHERE id = $id",
                ("$id", id),
                ("$before", before),
                ("$after", after));
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _lifecycleLock.WaitAsync();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            using (var pooled = new SqliteConnection(_readConnectionString))
            {
                SqliteConnection.ClearPool(pooled);
            }

            if (_writer is { } writer)
            {
                // Writes already queued still commit; new ones are refused as disposed.
                _writer = null;
                await writer.DisposeAsync();
                await _connection!.DisposeAsync();
                _connection = null;
            }
        }
        finally
        {
            _lifecycleLock.Release();
        }
    }

    private async Task ConfigureAsync(SqliteConnection writer, CancellationToken cancellationToken)
    {
        await using (var journal = writer.Command("PRAGMA journal_mode = WAL"))
        {
            var mode = (string?)await journal.ExecuteScalarAsync(cancellationToken);
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"SQLite refused WAL journal mode for '{_databasePath}' (got '{mode}').");
            }
        }

        var synchronous = _synchronousFull ? "FULL" : "NORMAL";
        await using var pragmas = writer.Command(
            $"PRAGMA synchronous = {synchronous}; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; " +
            // Deleted content is overwritten, not left in free pages; VACUUM's copy stays in memory, not in /tmp.
            "PRAGMA secure_delete = ON; PRAGMA temp_store = MEMORY;");
        await pragmas.ExecuteNonQueryAsync(cancellationToken);
    }

    private Task<T> WriteAsync<T>(
        Func<SqliteTransaction, CancellationToken, Task<T>> write, CancellationToken cancellationToken) =>
        _writer is { } writer
            ? writer.WriteAsync(write, NotReady, cancellationToken)
            : Task.FromException<T>(NotReady());

    private Task WriteAsync(Func<SqliteTransaction, CancellationToken, Task> write, CancellationToken cancellationToken) =>
        WriteAsync(async (transaction, ct) =>
        {
            await write(transaction, ct);
            return true;
        }, cancellationToken);

    private async Task<T> ReadAsync<T>(
        Func<SqliteConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadConnectionAsync(cancellationToken);
        return await read(connection, cancellationToken);
    }

    private async Task<SqliteConnection> OpenReadConnectionAsync(CancellationToken cancellationToken)
    {
        if (_disposed || _writer is null)
        {
            throw NotReady();
        }

        var connection = new SqliteConnection(_readConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private Exception NotReady() => _disposed
        ? new ObjectDisposedException(nameof(SqliteLiveStore))
        : new InvalidOperationException($"{nameof(SqliteLiveStore)} is not initialized: call {nameof(InitializeAsync)} first.");

    private static async Task<EventLive?> ReadLiveAsync(
        SqliteConnection connection, SqliteTransaction? transaction, string eventCode, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(
            "SELECT live, seq FROM events WHERE code = $code", ("$code", eventCode));
        command.Transaction = transaction;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new EventLive(StoredJson.Deserialize<LiveState>(reader.GetString(0)), reader.GetInt64(1));
    }

    /// <summary>Takes the event's next sequence number; throws <c>event_not_found</c> if there is no such event.</summary>
    private static async Task<long> NextSeqAsync(SqliteTransaction transaction, string eventCode, CancellationToken cancellationToken)
    {
        await using var command = transaction.Command(
            "UPDATE events SET seq = seq + 1 WHERE code = $code RETURNING seq", ("$code", eventCode));
        return await command.ExecuteScalarAsync(cancellationToken) is long seq ? seq : throw EventNotFound(eventCode);
    }

    private static async Task EnsureEventAsync(SqliteTransaction transaction, string eventCode, CancellationToken cancellationToken)
    {
        await using var command = transaction.Command("SELECT 1 FROM events WHERE code = $code", ("$code", eventCode));
        if (await command.ExecuteScalarAsync(cancellationToken) is null)
        {
            throw EventNotFound(eventCode);
        }
    }

    private static LiveSessionException EventNotFound(string eventCode) =>
        new(ErrorCodes.EventNotFound, $"Event '{eventCode}' was not found.");

    /// <summary>Throws unless the stored revision is the expected one; returns whether the stored question is public.</summary>
    private static async Task<bool> CheckRevisionAsync(
        SqliteTransaction transaction, Question question, int expectedRevision, CancellationToken cancellationToken)
    {
        await using var command = transaction.Command(
            "SELECT revision, status FROM questions WHERE event_code = $code AND id = $id",
            ("$code", question.EventCode),
            ("$id", question.Id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw LiveSessionException.NotFound($"Question '{question.Id}'");
        }

        var stored = reader.GetInt64(0);
        if (stored != expectedRevision)
        {
            throw new LiveSessionException(ErrorCodes.Conflict,
                $"Question '{question.Id}' changed meanwhile (revision {stored}, expected {expectedRevision}).");
        }

        return QuestionWorkflow.TryParseStatus(reader.GetString(1), out var status) && (question with { Status = status }).IsPublic;
    }

    /// <summary>
    /// Only a change that attendees other than its asker may see takes the next sequence number;
    /// any other change (an ask, a withdrawal, a pending question edited or rejected) carries the current one.
    /// </summary>
    private static Task<long> SeqForChangeAsync(SqliteTransaction transaction, string eventCode, bool visible, CancellationToken cancellationToken) =>
        visible ? NextSeqAsync(transaction, eventCode, cancellationToken) : CurrentSeqAsync(transaction, eventCode, cancellationToken);

    /// <summary>The event's current sequence number; throws <c>event_not_found</c> if there is no such event.</summary>
    private static async Task<long> CurrentSeqAsync(SqliteTransaction transaction, string eventCode, CancellationToken cancellationToken)
    {
        await using var command = transaction.Command("SELECT seq FROM events WHERE code = $code", ("$code", eventCode));
        return await command.ExecuteScalarAsync(cancellationToken) is long seq ? seq : throw EventNotFound(eventCode);
    }

    /// <summary>
    /// Stores what moderation may change. The vote count belongs to the store; who asked and when
    /// never change (and a stale copy must not bring back an asker id that was purged).
    /// </summary>
    private static async Task UpdateQuestionAsync(SqliteTransaction transaction, Question question, CancellationToken cancellationToken)
    {
        await using var command = transaction.Command(
            """
            UPDATE questions SET
                text = $text, original_text = $original_text, author_name = $author_name,
                addressed_to_speaker_id = $addressed_to_speaker_id, origin = $origin, status = $status,
                revision = $revision, updated_at = $updated_at, merged_into_id = $merged_into_id, answered_at = $answered_at
            WHERE event_code = $event_code AND id = $id
            """,
            ("$event_code", question.EventCode),
            ("$id", question.Id),
            ("$text", question.Text),
            ("$original_text", question.OriginalText),
            ("$author_name", question.AuthorName),
            ("$addressed_to_speaker_id", question.AddressedToSpeakerId),
            ("$origin", question.Origin.ToWire()),
            ("$status", question.Status.ToWire()),
            ("$revision", question.Revision),
            ("$updated_at", SqliteRows.FormatTime(question.UpdatedAt)),
            ("$merged_into_id", question.MergedIntoId),
            ("$answered_at", SqliteRows.FormatTime(question.AnsweredAt)));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Moves the source's votes onto the target: a voter of both counts once. After a purge the
    /// source's count exceeds its vote rows; those anonymous votes move as they are.
    /// </summary>
    private static async Task MoveVotesAsync(
        SqliteTransaction transaction, string eventCode, string sourceId, string targetId, CancellationToken cancellationToken)
    {
        var sourceVotes = await ReadVotesAsync(transaction, eventCode, sourceId, cancellationToken);

        await using var countVoters = transaction.Command(
            "SELECT count(*) FROM votes WHERE event_code = $code AND question_id = $source",
            ("$code", eventCode),
            ("$source", sourceId));
        var sourceVoters = Convert.ToInt32(await countVoters.ExecuteScalarAsync(cancellationToken));

        await using var copy = transaction.Command(
            """
            INSERT OR IGNORE INTO votes (event_code, question_id, voter_id, voted_utc_ticks)
            SELECT event_code, $target, voter_id, voted_utc_ticks FROM votes WHERE event_code = $code AND question_id = $source
            """,
            ("$code", eventCode),
            ("$source", sourceId),
            ("$target", targetId));
        var votersNewToTarget = await copy.ExecuteNonQueryAsync(cancellationToken);

        await using var clear = transaction.Command(
            """
            DELETE FROM votes WHERE event_code = $code AND question_id = $source;
            UPDATE questions SET votes = 0 WHERE event_code = $code AND id = $source;
            """,
            ("$code", eventCode),
            ("$source", sourceId));
        await clear.ExecuteNonQueryAsync(cancellationToken);

        var votersOfBoth = sourceVoters - votersNewToTarget;
        await AddToCountAsync(transaction, eventCode, targetId, sourceVotes - votersOfBoth, cancellationToken);
    }

    /// <summary>Null if the question may be voted on; else the answer to give (not found, or not votable).</summary>
    private static async Task<VoteResult?> ReadVotableAsync(
        SqliteTransaction transaction, string eventCode, string questionId, CancellationToken cancellationToken)
    {
        var command = transaction.Prepared(
            "SELECT status, votes FROM questions WHERE event_code = $code AND id = $id",
            ("$code", eventCode),
            ("$id", questionId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return new VoteResult(VoteOutcome.NotFound, 0);
        }

        return reader.GetString(0) == QuestionStatus.Approved.ToWire()
            ? null
            : new VoteResult(VoteOutcome.NotVotable, reader.GetInt32(1));
    }

    private static async Task<int> ReadVotesAsync(
        SqliteTransaction transaction, string eventCode, string questionId, CancellationToken cancellationToken)
    {
        var command = transaction.Prepared(
            "SELECT votes FROM questions WHERE event_code = $code AND id = $id",
            ("$code", eventCode),
            ("$id", questionId));
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken));
    }

    private static async Task<int> AddToCountAsync(
        SqliteTransaction transaction, string eventCode, string questionId, int delta, CancellationToken cancellationToken)
    {
        var command = transaction.Prepared(
            "UPDATE questions SET votes = max(votes + $delta, 0) WHERE event_code = $code AND id = $id RETURNING votes",
            ("$code", eventCode),
            ("$id", questionId),
            ("$delta", delta));
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken));
    }
}
