using LiveSession.Domain.Errors;
using LiveSession.Domain.Events;
using LiveSession.Domain.Live;
using LiveSession.Domain.Questions;
using LiveSession.Server.Storage.Sqlite;
using Polly;
using StackExchange.Redis;

namespace LiveSession.Server.Storage.Redis;

/// <summary>
/// The cluster store: Redis is the store of record for every node. Each atomic change is one Lua
/// script (<see cref="RedisScripts"/>) in the event's hash slot; every call goes through the
/// <see cref="RedisResilience"/> pipeline, so a Redis outage surfaces as <c>unavailable</c> within
/// the pipeline's timeout instead of a hang. The connection belongs to the caller.
/// </summary>
/// <param name="time">The clock that dates votes and poll answers, for retention, and times the waits for Redis.</param>
public sealed partial class RedisLiveStore(
    IConnectionMultiplexer redis, ResiliencePipeline pipeline, string keyPrefix, TimeSpan startTimeout, TimeProvider time)
    : ILiveStore
{
    private readonly RedisKeys _keys = new(keyPrefix);
    private readonly TimeProvider _time = time;

    private IDatabase Db => redis.GetDatabase();

    /// <summary>
    /// Waits (up to <see cref="RedisResilienceOptions.StartTimeout"/>) until Redis answers: nodes start
    /// before their connection is up, and the start-up reads must not fail for that.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + startTimeout;
        while (!await AnswersAsync(cancellationToken) && _time.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }

        await Run(idempotent: true, async () => await Db.PingAsync(), cancellationToken);
    }

    /// <summary>
    /// A ping through the resilience pipeline: true only when store calls pass the circuit breaker
    /// now. Once the break is over this ping is the breaker's trial call, so readiness (polled by the
    /// load balancer) also closes the circuit when Redis is back.
    /// </summary>
    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Run(idempotent: true, async () => await Db.PingAsync(), cancellationToken);
            return true;
        }
        catch (LiveSessionException error) when (error.Code == ErrorCodes.Unavailable)
        {
            return false;
        }
    }

    /// <summary>A ping straight to Redis, past the breaker: for waiting at start.</summary>
    private async Task<bool> AnswersAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Db.PingAsync().WaitAsync(TimeSpan.FromSeconds(1), cancellationToken);
            return true;
        }
        catch (Exception error) when (RedisResilience.IsTransient(error) || error is TimeoutException)
        {
            return false;
        }
    }

    public async Task<bool> TryCreateEventAsync(EventDefinition definition, LiveState initial, CancellationToken cancellationToken)
    {
        var created = await Run(idempotent: false, async () => (int)await Db.ScriptEvaluateAsync(RedisScripts.CreateEvent,
            [_keys.Event(definition.Code)],
            [StoredJson.Serialize(definition), StoredJson.Serialize(initial), initial.Revision]) == 1, cancellationToken);

        // The index of events is global (another slot); adding to it is idempotent, so a lost add is repaired by the next try.
        await Run(idempotent: true, () => Db.SetAddAsync(_keys.EventCodes, definition.Code), cancellationToken);
        return created;
    }

    public async Task<IReadOnlyList<string>> ListEventCodesAsync(CancellationToken cancellationToken)
    {
        var codes = await Run(idempotent: true, () => Db.SetMembersAsync(_keys.EventCodes), cancellationToken);
        return codes.Select(code => (string)code!).Order(StringComparer.Ordinal).ToList();
    }

    public async Task<EventDefinition?> GetDefinitionAsync(string eventCode, CancellationToken cancellationToken)
    {
        var json = await Run(idempotent: true, () => Db.HashGetAsync(_keys.EventHash(eventCode), "definition"), cancellationToken);
        return json.IsNull ? null : StoredJson.Definition(json!);
    }

    public async Task<EventLive?> GetLiveAsync(string eventCode, CancellationToken cancellationToken)
    {
        var fields = await Run(idempotent: true,
            () => Db.HashGetAsync(_keys.EventHash(eventCode), ["live", "seq"]), cancellationToken);
        return fields[0].IsNull ? null : new EventLive(StoredJson.Deserialize<LiveState>(fields[0]!), (long)fields[1]);
    }

    public async Task<AttendeeView?> ReadAttendeeViewAsync(string eventCode, string? attendeeId, CancellationToken cancellationToken)
    {
        var result = await ReadAsync(eventCode, attendeeId ?? "", "*public", cancellationToken);
        if (result is null)
        {
            return null;
        }

        var (stored, questions, voted) = result.Value;
        return new AttendeeView(stored, questions, voted.Order(StringComparer.Ordinal).ToList());
    }

    public async Task<Question?> GetQuestionAsync(string eventCode, string questionId, CancellationToken cancellationToken)
    {
        var fields = await Run(idempotent: true, () => Db.HashGetAsync(
            _keys.Question(eventCode, questionId), ["json", "created", "asker", "votes"]), cancellationToken);
        return fields[0].IsNull
            ? null
            : RedisRows.ReadQuestion(eventCode, questionId, fields[0]!, fields[1]!, fields[2], (int)fields[3]);
    }

    public async Task<IReadOnlyList<Question>> ListQuestionsAsync(string eventCode, QuestionStatus? status, CancellationToken cancellationToken)
    {
        var result = await ReadAsync(eventCode, "", status?.ToWire() ?? "", cancellationToken);
        return result?.Questions ?? [];
    }

    public async Task<long> AddQuestionAsync(Question question, CancellationToken cancellationToken) =>
        (await AddAsync(question, "", cancellationToken)).Seq;

    public Task<AddedQuestion> AddQuestionOnceAsync(Question question, string requestId, CancellationToken cancellationToken) =>
        AddAsync(question, requestId, cancellationToken);

    private async Task<AddedQuestion> AddAsync(Question question, string requestId, CancellationToken cancellationToken)
    {
        var reply = await ScriptAsync(RedisScripts.AddQuestion, question.EventCode,
            [question.Id, RedisRows.Json(question), RedisRows.FormatTime(question.CreatedAt), question.Status.ToWire(),
             question.Revision, question.AskerId ?? "", requestId], cancellationToken);
        if ((string)reply[0]! == "replay")
        {
            var first = await GetQuestionAsync(question.EventCode, (string)reply[1]!, cancellationToken)
                ?? throw LiveSessionException.NotFound("Question");
            return new AddedQuestion(first, (long)reply[2], Created: false);
        }

        return new AddedQuestion(question, Sequence(reply, question.EventCode, $"Question '{question.Id}' already exists."), Created: true);
    }

    public async Task<long> ReplaceQuestionAsync(Question updated, int expectedRevision, CancellationToken cancellationToken)
    {
        var reply = await ScriptAsync(RedisScripts.ReplaceQuestion, updated.EventCode,
            [updated.Id, expectedRevision, RedisRows.Json(updated), updated.Status.ToWire(), updated.Revision], cancellationToken);
        return Sequence(reply, updated.EventCode,
            $"Question '{updated.Id}' changed meanwhile (expected revision {expectedRevision}).", $"Question '{updated.Id}'");
    }

    public async Task<long> MergeQuestionsAsync(
        Question mergedSource, int sourceExpectedRevision, Question target, int targetExpectedRevision,
        CancellationToken cancellationToken)
    {
        var reply = await ScriptAsync(RedisScripts.MergeQuestions, target.EventCode,
            [mergedSource.Id, sourceExpectedRevision, RedisRows.Json(mergedSource), mergedSource.Status.ToWire(), mergedSource.Revision,
             target.Id, targetExpectedRevision, RedisRows.Json(target), target.Status.ToWire(), target.Revision], cancellationToken);
        return Sequence(reply, target.EventCode, "One of the merged questions changed meanwhile.", "Question");
    }

    public async Task<long> ReplaceLiveAsync(string eventCode, LiveState updated, int expectedRevision, CancellationToken cancellationToken)
    {
        var reply = await ScriptAsync(RedisScripts.ReplaceLive, eventCode,
            [expectedRevision, StoredJson.Serialize(updated), updated.Revision], cancellationToken);
        return Sequence(reply, eventCode, $"The live state of '{eventCode}' changed meanwhile (expected revision {expectedRevision}).");
    }

    public Task<VoteResult> VoteAsync(string eventCode, string questionId, string voterId, CancellationToken cancellationToken) =>
        ChangeVoteAsync(eventCode, questionId, voterId, vote: true, cancellationToken);

    public Task<VoteResult> UnvoteAsync(string eventCode, string questionId, string voterId, CancellationToken cancellationToken) =>
        ChangeVoteAsync(eventCode, questionId, voterId, vote: false, cancellationToken);

    public async Task<IReadOnlyDictionary<string, int>> GetVoteCountsAsync(
        string eventCode, IReadOnlyCollection<string> questionIds, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, int>(questionIds.Count);
        if (questionIds.Count == 0)
        {
            return counts;
        }

        var ids = questionIds.ToList();
        var reply = (RedisResult[])(await ScriptAsync(RedisScripts.VoteCounts, eventCode,
            ids.Select(id => (RedisValue)id).ToArray(), cancellationToken, idempotent: true))!;
        for (var i = 0; i < ids.Count; i++)
        {
            if (!reply[i].IsNull)
            {
                counts[ids[i]] = (int)reply[i];
            }
        }

        return counts;
    }

    public async Task AddModeratorKeyAsync(ModeratorKey key, bool replaceExisting, CancellationToken cancellationToken)
    {
        var owner = await Run(idempotent: true, () => Db.StringGetAsync(_keys.ModeratorKeyOwner(key.KeyHash)), cancellationToken);
        var sameEventReplaced = replaceExisting && owner == key.EventCode;
        if (!owner.IsNull && !sameEventReplaced && await FindModeratorKeyAsync(key.KeyHash, cancellationToken) is not null)
        {
            throw new LiveSessionException(ErrorCodes.Conflict, "This moderator key is already in use.");
        }

        var reply = await ScriptAsync(RedisScripts.AddModeratorKey, key.EventCode,
            [key.KeyHash, StoredJson.Serialize(key), replaceExisting ? "1" : "0"], cancellationToken);
        Check(reply, key.EventCode, "");
        var revoked = ((RedisResult[])reply[1]!).Select(r => (string)r!).Where(hash => hash != key.KeyHash).ToList();

        // The lookup is global (another slot): point it at the event after the key exists there; a
        // stale pointer of a revoked key finds nothing in its event, so removing it is tidiness.
        await Run(idempotent: true, () => Db.StringSetAsync(_keys.ModeratorKeyOwner(key.KeyHash), key.EventCode), cancellationToken);
        foreach (var hash in revoked)
        {
            await Run(idempotent: true, () => Db.KeyDeleteAsync(_keys.ModeratorKeyOwner(hash)), cancellationToken);
        }
    }

    public async Task<ModeratorKey?> FindModeratorKeyAsync(string keyHash, CancellationToken cancellationToken)
    {
        var owner = await Run(idempotent: true, () => Db.StringGetAsync(_keys.ModeratorKeyOwner(keyHash)), cancellationToken);
        if (owner.IsNull)
        {
            return null;
        }

        var json = await Run(idempotent: true,
            () => Db.HashGetAsync(_keys.ModeratorKeys(owner!), keyHash), cancellationToken);
        return json.IsNull ? null : StoredJson.Deserialize<ModeratorKey>(json!);
    }

    public async Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        var reply = await ScriptAsync(RedisScripts.AppendAudit, entry.EventCode, [StoredJson.Serialize(entry)], cancellationToken);
        Check(reply, entry.EventCode, "");
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string eventCode, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (limit == 0)
        {
            return [];
        }

        var entries = await Run(idempotent: true,
            () => Db.ListRangeAsync(_keys.Audit(eventCode), 0, limit - 1), cancellationToken);
        return entries.Select(json => StoredJson.Deserialize<AuditEntry>(json!)).ToList();
    }

    public async Task<PurgeResult> PurgeAttendeeDataAsync(string eventCode, DateTimeOffset? changedBefore, CancellationToken cancellationToken)
    {
        var args = new List<RedisValue> { Cutoff(changedBefore) };
        if (changedBefore is { } before)
        {
            // The script cannot compare the JSON's times; it gets the old questions with their revision
            // and leaves alone any that changed since this read.
            foreach (var question in (await ListQuestionsAsync(eventCode, status: null, cancellationToken)).Where(q => q.UpdatedAt < before))
            {
                args.Add(question.Id);
                args.Add(question.Revision);
            }
        }

        var reply = await ScriptAsync(RedisScripts.Purge, eventCode, [.. args], cancellationToken);
        Check(reply, eventCode, "");
        var deletedIds = ((RedisResult[])reply[4]!).Select(id => (string)id!).ToHashSet(StringComparer.Ordinal);
        await RedactAuditAsync(eventCode, deletedIds, cancellationToken);
        return new PurgeResult((long)reply[1], (int)reply[2], (int)reply[3]);
    }

    /// <summary>
    /// Rewrites the append-only file (Redis rewrites it by itself only past its growth threshold, so
    /// until then it holds every command ever run, deleted data included) and waits for the rewrite.
    /// </summary>
    public async Task<StorageErasure> EraseDeletedDataAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var persistence = await PersistenceInfoAsync(cancellationToken);
        if (persistence.GetValueOrDefault("aof_enabled") != "1")
        {
            return new StorageErasure("redis", true, "The append-only file is off: nothing deleted is kept in one.");
        }

        await Run(idempotent: true, () => Db.ExecuteAsync("BGREWRITEAOF"), cancellationToken);
        var deadline = _time.GetUtcNow() + timeout;
        while (true)
        {
            persistence = await PersistenceInfoAsync(cancellationToken);
            if (persistence.GetValueOrDefault("aof_rewrite_in_progress") == "0" && persistence.GetValueOrDefault("aof_rewrite_scheduled") == "0")
            {
                return persistence.GetValueOrDefault("aof_last_bgrewrite_status") == "ok"
                    ? new StorageErasure("redis", true, "Append-only file rewritten.")
                    : new StorageErasure("redis", false, "The append-only file rewrite failed; see the Redis log, then purge again.");
            }

            if (_time.GetUtcNow() > deadline)
            {
                return new StorageErasure("redis", false, "The append-only file rewrite is still running; it completes by itself.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    private async Task<Dictionary<string, string>> PersistenceInfoAsync(CancellationToken cancellationToken)
    {
        var info = (string?)await Run(idempotent: true, () => Db.ExecuteAsync("INFO", "persistence"), cancellationToken) ?? "";
        return info.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
    }

    private async Task RedactAuditAsync(string eventCode, IReadOnlySet<string> questionIds, CancellationToken cancellationToken)
    {
        if (questionIds.Count == 0)
        {
            return;
        }

        var stored = await Run(idempotent: true, () => Db.ListRangeAsync(_keys.Audit(eventCode), 0, -1), cancellationToken);
        var replacements = new List<RedisValue>();
        foreach (var json in stored.Select(value => (string)value!).Distinct(StringComparer.Ordinal))
        {
            var entry = StoredJson.Deserialize<AuditEntry>(json);
            if (entry.QuestionId is { } id && questionIds.Contains(id))
            {
                replacements.Add(json);
                replacements.Add(StoredJson.Serialize(AuditRedaction.Redact(entry)));
            }
        }

        if (replacements.Count > 0)
        {
            await ScriptAsync(RedisScripts.ReplaceAuditEntries, eventCode, [.. replacements], cancellationToken, idempotent: true);
        }
    }

    /// <summary>
    /// The questions whose tallies changed since the last flush (marked by the vote script), if this
    /// node wins the event's flush lease for <paramref name="lease"/>; else none.
    /// </summary>
    internal async Task<IReadOnlyList<string>> TakeDirtyTalliesAsync(
        string eventCode, string nodeId, TimeSpan lease, CancellationToken cancellationToken)
    {
        var ids = await ScriptAsync(RedisScripts.TakeDirtyTallies, eventCode,
            [nodeId, (long)lease.TotalMilliseconds], cancellationToken);
        return ids.Select(id => (string)id!).ToList();
    }

    internal async Task ReturnDirtyTalliesAsync(string eventCode, IReadOnlyList<string> questionIds, CancellationToken cancellationToken) =>
        await ScriptAsync(RedisScripts.ReturnDirtyTallies, eventCode, questionIds.Select(id => (RedisValue)id).ToArray(),
            cancellationToken, idempotent: true);

    /// <summary>The event's current sequence number, without reading the rest of the event.</summary>
    internal async Task<long> GetSeqAsync(string eventCode, CancellationToken cancellationToken) =>
        (long?)await Run(idempotent: true, () => Db.HashGetAsync(_keys.EventHash(eventCode), "seq"), cancellationToken) ?? 0;

    private async Task<VoteResult> ChangeVoteAsync(
        string eventCode, string questionId, string voterId, bool vote, CancellationToken cancellationToken)
    {
        var reply = await ScriptAsync(RedisScripts.Vote, eventCode,
            [questionId, voterId, vote ? "1" : "0", _time.GetUtcNow().ToUnixTimeMilliseconds()], cancellationToken);
        var outcome = (string)reply[0]! switch
        {
            "added" => VoteOutcome.Added,
            "removed" => VoteOutcome.Removed,
            "unchanged" => VoteOutcome.Unchanged,
            "not_votable" => VoteOutcome.NotVotable,
            _ => VoteOutcome.NotFound,
        };
        return new VoteResult(outcome, (int)reply[1]);
    }

    private async Task<(EventLive Event, List<Question> Questions, List<string> Voted)?> ReadAsync(
        string eventCode, string attendeeId, string filter, CancellationToken cancellationToken)
    {
        var reply = await ScriptAsync(RedisScripts.Read, eventCode, [attendeeId, filter], cancellationToken, idempotent: true);
        if (reply.Length == 0)
        {
            return null;
        }

        var stored = new EventLive(StoredJson.Deserialize<LiveState>((string)reply[0]!), (long)reply[1]);
        var questions = RedisRows.ReadQuestions(eventCode, (RedisResult[])reply[2]!);
        var voted = ((RedisResult[])reply[3]!).Select(id => (string)id!).ToList();
        return (stored, questions, voted);
    }

    /// <summary>
    /// Raised with the event's code when a write to it ended as <c>outcome_unknown</c>: it may have
    /// been stored (and taken a sequence number) without anything being published.
    /// </summary>
    public event Action<string>? WriteUnconfirmed;

    private async Task<RedisResult[]> ScriptAsync(
        string script, string eventCode, RedisValue[] args, CancellationToken cancellationToken, bool idempotent = false)
    {
        try
        {
            var result = await Run(idempotent, () => Db.ScriptEvaluateAsync(script, [_keys.Event(eventCode)], args), cancellationToken);
            return (RedisResult[])result!;
        }
        catch (LiveSessionException error) when (error.Code == ErrorCodes.OutcomeUnknown)
        {
            WriteUnconfirmed?.Invoke(eventCode);
            throw;
        }
    }

    /// <summary>A purge's cutoff as the scripts take it: Unix ms, or '' for every row.</summary>
    private static RedisValue Cutoff(DateTimeOffset? before) => before?.ToUnixTimeMilliseconds() ?? (RedisValue)"";

    private Task<T> Run<T>(bool idempotent, Func<Task<T>> operation, CancellationToken cancellationToken) =>
        pipeline.RunAsync(idempotent, _ => operation(), cancellationToken);

    private static long Sequence(RedisResult[] reply, string eventCode, string conflict, string notFound = "Question")
    {
        Check(reply, eventCode, conflict, notFound);
        return (long)reply[1];
    }

    private static void Check(RedisResult[] reply, string eventCode, string conflict, string notFound = "Question")
    {
        switch ((string)reply[0]!)
        {
            case "ok":
                return;
            case "event_not_found":
                throw new LiveSessionException(ErrorCodes.EventNotFound, $"Event '{eventCode}' was not found.");
            case "not_found":
                throw LiveSessionException.NotFound(notFound);
            case "conflict":
                throw new LiveSessionException(ErrorCodes.Conflict, conflict);
            default:
                throw new InvalidDataException($"Unexpected reply '{reply[0]}' from a Redis script.");
        }
    }
}
