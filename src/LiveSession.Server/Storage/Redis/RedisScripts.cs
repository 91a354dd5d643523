namespace LiveSession.Server.Storage.Redis;

/// <summary>
/// Every change that must be atomic is one Lua script: Redis runs a script with nothing else in
/// between. KEYS[1] is the event's base key (<see cref="RedisKeys.Event"/>); the script derives the
/// event's other keys from it, all in the same hash slot. Scripts answer a status first:
/// <c>ok</c>, <c>event_not_found</c>, <c>not_found</c>, <c>conflict</c>, or a vote outcome.
/// </summary>
internal static class RedisScripts
{
    private const string EventExists =
        """
        local base = KEYS[1]
        local event = base .. ':event'
        if redis.call('EXISTS', event) == 0 then return {'event_not_found'} end
        """ + "\n"; // a raw literal ends without a newline; the script that follows starts on its own line

    /// <summary>Only a change that attendees other than its asker may see takes the next seq; others return the current one.</summary>
    private const string SeqForChange = EventExists +
        """
        local function public(status) return status == 'approved' or status == 'answered' end
        local function seqFor(visible)
            if visible then return redis.call('HINCRBY', event, 'seq', 1) end
            return tonumber(redis.call('HGET', event, 'seq'))
        end
        """ + "\n";

    /// <summary>ARGV: definition, live, live revision. Returns 1 if created, 0 if the code exists.</summary>
    public const string CreateEvent =
        """
        local event = KEYS[1] .. ':event'
        if redis.call('EXISTS', event) == 1 then return 0 end
        redis.call('HSET', event, 'definition', ARGV[1], 'live', ARGV[2], 'liverev', ARGV[3], 'seq', 0)
        return 1
        """;

    /// <summary>
    /// ARGV: id, json, created, status, revision, asker ('' for none), request id ('' for none).
    /// With a request id already used by the asker: {'replay', first question's id, seq}, nothing written.
    /// The map <c>:requests</c> (asker + request id → question id) is attendee data: a purge deletes it.
    /// </summary>
    public const string AddQuestion = SeqForChange +
        """
        local request = nil
        if ARGV[7] ~= '' then
            request = ARGV[6] .. '|' .. ARGV[7]
            local first = redis.call('HGET', base .. ':requests', request)
            if first then return {'replay', first, redis.call('HGET', event, 'seq')} end
        end
        local question = base .. ':q:' .. ARGV[1]
        if redis.call('EXISTS', question) == 1 then return {'conflict'} end
        local seq = seqFor(public(ARGV[4]))
        redis.call('HSET', question, 'json', ARGV[2], 'created', ARGV[3], 'status', ARGV[4], 'rev', ARGV[5], 'votes', 0)
        if ARGV[6] ~= '' then redis.call('HSET', question, 'asker', ARGV[6]) end
        if request then redis.call('HSET', base .. ':requests', request, ARGV[1]) end
        redis.call('RPUSH', base .. ':qids', ARGV[1])
        return {'ok', seq}
        """;

    /// <summary>ARGV: id, expected revision, json, status, revision. Who asked, when, and the votes stay.</summary>
    public const string ReplaceQuestion = SeqForChange +
        """
        local question = base .. ':q:' .. ARGV[1]
        local current = redis.call('HMGET', question, 'rev', 'status')
        if not current[1] then return {'not_found'} end
        if tonumber(current[1]) ~= tonumber(ARGV[2]) then return {'conflict', current[1]} end
        local seq = seqFor(public(current[2]) or public(ARGV[4]))
        redis.call('HSET', question, 'json', ARGV[3], 'status', ARGV[4], 'rev', ARGV[5])
        return {'ok', seq}
        """;

    /// <summary>
    /// ARGV: source id, expected, json, status, revision, then the same for the target. Moves the
    /// source's votes onto the target: a voter of both counts once; votes whose voters were purged
    /// move as they are.
    /// </summary>
    public const string MergeQuestions = SeqForChange +
        """
        local source = base .. ':q:' .. ARGV[1]
        local target = base .. ':q:' .. ARGV[6]
        local sourceRev, sourceStatus = unpack(redis.call('HMGET', source, 'rev', 'status'))
        local targetRev, targetStatus = unpack(redis.call('HMGET', target, 'rev', 'status'))
        if not sourceRev or not targetRev then return {'not_found'} end
        if tonumber(sourceRev) ~= tonumber(ARGV[2]) or tonumber(targetRev) ~= tonumber(ARGV[7]) then return {'conflict'} end
        local seq = seqFor(public(sourceStatus) or public(targetStatus) or public(ARGV[4]) or public(ARGV[9]))
        redis.call('HSET', source, 'json', ARGV[3], 'status', ARGV[4], 'rev', ARGV[5])
        redis.call('HSET', target, 'json', ARGV[8], 'status', ARGV[9], 'rev', ARGV[10])
        local sourceVoters = base .. ':v:' .. ARGV[1]
        local targetVoters = base .. ':v:' .. ARGV[6]
        local sourceVotes = tonumber(redis.call('HGET', source, 'votes') or '0')
        local voters = redis.call('SMEMBERS', sourceVoters)
        local newToTarget = 0
        local dates = base .. ':vat'
        for _, voter in ipairs(voters) do
            local votedAt = redis.call('ZSCORE', dates, ARGV[1] .. '\n' .. voter)
            redis.call('ZREM', dates, ARGV[1] .. '\n' .. voter)
            if redis.call('SADD', targetVoters, voter) == 1 then
                newToTarget = newToTarget + 1
                redis.call('SADD', base .. ':voter:' .. voter, ARGV[6])
                if votedAt then redis.call('ZADD', dates, votedAt, ARGV[6] .. '\n' .. voter) end
            end
            redis.call('SREM', base .. ':voter:' .. voter, ARGV[1])
        end
        redis.call('DEL', sourceVoters)
        redis.call('HSET', source, 'votes', 0)
        local moved = sourceVotes - (#voters - newToTarget)
        if moved > 0 then redis.call('HINCRBY', target, 'votes', moved) end
        return {'ok', seq}
        """;

    /// <summary>ARGV: expected revision, json, revision.</summary>
    public const string ReplaceLive = EventExists +
        """
        if tonumber(redis.call('HGET', event, 'liverev')) ~= tonumber(ARGV[1]) then return {'conflict'} end
        local seq = redis.call('HINCRBY', event, 'seq', 1)
        redis.call('HSET', event, 'live', ARGV[2], 'liverev', ARGV[3])
        return {'ok', seq}
        """;

    /// <summary>
    /// ARGV: question id, voter, '1' to vote or '0' to unvote, now (Unix ms). One vote per voter per
    /// question, on approved questions only. A counted change also marks the question dirty for the
    /// tally flush. <c>:vat</c> dates each vote (member "question id\nvoter", score the time) for retention.
    /// </summary>
    public const string Vote =
        """
        local base = KEYS[1]
        local question = base .. ':q:' .. ARGV[1]
        local status = redis.call('HGET', question, 'status')
        if not status then return {'not_found', 0} end
        local votes = tonumber(redis.call('HGET', question, 'votes'))
        if status ~= 'approved' then return {'not_votable', votes} end
        local voters = base .. ':v:' .. ARGV[1]
        if ARGV[3] == '1' then
            if redis.call('SADD', voters, ARGV[2]) == 0 then return {'unchanged', votes} end
            redis.call('SADD', base .. ':voter:' .. ARGV[2], ARGV[1])
            redis.call('SADD', base .. ':voters', ARGV[2])
            redis.call('ZADD', base .. ':vat', ARGV[4], ARGV[1] .. '\n' .. ARGV[2])
            votes = redis.call('HINCRBY', question, 'votes', 1)
            redis.call('SADD', base .. ':dirty', ARGV[1])
            return {'added', votes}
        end
        if redis.call('SREM', voters, ARGV[2]) == 0 then return {'unchanged', votes} end
        redis.call('SREM', base .. ':voter:' .. ARGV[2], ARGV[1])
        redis.call('ZREM', base .. ':vat', ARGV[1] .. '\n' .. ARGV[2])
        if votes > 0 then votes = redis.call('HINCRBY', question, 'votes', -1) end
        redis.call('SADD', base .. ':dirty', ARGV[1])
        return {'removed', votes}
        """;

    /// <summary>
    /// ARGV: question id, expected revision. A moderator's reset: every vote of the question goes
    /// (voter sets, vote dates), the count becomes 0; revision and seq stay. Returns {'ok', old count}.
    /// </summary>
    public const string ResetVotes = EventExists +
        """
        local id = ARGV[1]
        local question = base .. ':q:' .. id
        local rev, votes = unpack(redis.call('HMGET', question, 'rev', 'votes'))
        if not rev then return {'not_found'} end
        if tonumber(rev) ~= tonumber(ARGV[2]) then return {'conflict', rev} end
        local voters = base .. ':v:' .. id
        for _, voter in ipairs(redis.call('SMEMBERS', voters)) do
            redis.call('SREM', base .. ':voter:' .. voter, id)
            redis.call('ZREM', base .. ':vat', id .. '\n' .. voter)
            if redis.call('EXISTS', base .. ':voter:' .. voter) == 0 then redis.call('SREM', base .. ':voters', voter) end
        end
        redis.call('DEL', voters)
        redis.call('HSET', question, 'votes', 0)
        return {'ok', tonumber(votes or '0')}
        """;

    /// <summary>
    /// ARGV: attendee id ('' for none), status filter ('' for all, '*public' for an attendee view).
    /// Returns the event's live state and seq (not its definition: the catalog has it), then the questions as flat rows of
    /// id, json, created, asker, votes, list position; then the attendee's voted question ids.
    /// </summary>
    public const string Read =
        """
        local base = KEYS[1]
        local event = redis.call('HMGET', base .. ':event', 'live', 'seq')
        if not event[1] then return {} end
        local attendee, filter = ARGV[1], ARGV[2]
        local rows = {}
        for position, id in ipairs(redis.call('LRANGE', base .. ':qids', 0, -1)) do
            local q = redis.call('HMGET', base .. ':q:' .. id, 'json', 'created', 'status', 'asker', 'votes')
            local asker = q[4] or ''
            local wanted
            if filter == '*public' then
                wanted = q[3] == 'approved' or q[3] == 'answered' or (attendee ~= '' and asker == attendee)
            else
                wanted = filter == '' or q[3] == filter
            end
            if wanted and q[1] then
                for _, value in ipairs({id, q[1], q[2], asker, q[5], tostring(position)}) do table.insert(rows, value) end
            end
        end
        local voted = {}
        if attendee ~= '' then voted = redis.call('SMEMBERS', base .. ':voter:' .. attendee) end
        return {event[1], event[2], rows, voted}
        """;

    /// <summary>ARGV: key hash, key json, '1' to revoke the event's other keys. Returns the revoked hashes.</summary>
    public const string AddModeratorKey = EventExists +
        """
        local keys = base .. ':modkeys'
        local revoked = {}
        if ARGV[3] == '1' then
            revoked = redis.call('HKEYS', keys)
            redis.call('DEL', keys)
        end
        redis.call('HSET', keys, ARGV[1], ARGV[2])
        return {'ok', revoked}
        """;

    /// <summary>ARGV: entry json. Newest first: LPUSH.</summary>
    public const string AppendAudit = EventExists +
        """
        redis.call('LPUSH', base .. ':audit', ARGV[1])
        return {'ok'}
        """;

    /// <summary>
    /// Forgets askers and voters (counts stay) and deletes rejected and withdrawn questions. ARGV[1]:
    /// '' for every row; or a cutoff (Unix ms) for retention, then pairs of question id and revision:
    /// the questions that last changed before it, as the caller read them (one changed since keeps
    /// its data). Votes go when cast before the cutoff (undated ones, from before votes were dated, too).
    /// Takes the next seq (without a cutoff always, with one only if something was purged). Returns seq, questions deleted, attendees
    /// forgotten, and the deleted ids (their audit entries are redacted next, see <see cref="ReplaceAuditEntries"/>).
    /// </summary>
    public const string Purge = EventExists +
        """
        local all = ARGV[1] == ''
        local cutoff = tonumber(ARGV[1])
        local dates = base .. ':vat'
        local attendees, forgotten, deleted, deletedIds, purgedIds = {}, 0, 0, {}, {}
        local function forget(id)
            if not attendees[id] then attendees[id] = true; forgotten = forgotten + 1 end
        end
        local function unvote(id, voter)
            redis.call('SREM', base .. ':v:' .. id, voter)
            redis.call('SREM', base .. ':voter:' .. voter, id)
            redis.call('ZREM', dates, id .. '\n' .. voter)
            if redis.call('EXISTS', base .. ':voter:' .. voter) == 0 then redis.call('SREM', base .. ':voters', voter) end
        end
        for _, voter in ipairs(redis.call('SMEMBERS', base .. ':voters')) do
            for _, id in ipairs(redis.call('SMEMBERS', base .. ':voter:' .. voter)) do
                local votedAt = redis.call('ZSCORE', dates, id .. '\n' .. voter)
                if all or not votedAt or tonumber(votedAt) < cutoff then
                    forget(voter)
                    unvote(id, voter)
                end
            end
        end
        local old = {}
        if all then
            for _, id in ipairs(redis.call('LRANGE', base .. ':qids', 0, -1)) do table.insert(old, id) end
        else
            for i = 2, #ARGV, 2 do
                if redis.call('HGET', base .. ':q:' .. ARGV[i], 'rev') == ARGV[i + 1] then table.insert(old, ARGV[i]) end
            end
        end
        for _, id in ipairs(old) do
            local question = base .. ':q:' .. id
            local q = redis.call('HMGET', question, 'status', 'asker')
            if q[2] then forget(q[2]); redis.call('HDEL', question, 'asker'); purgedIds[id] = true end
            if q[1] == 'rejected' or q[1] == 'withdrawn' then
                for _, voter in ipairs(redis.call('SMEMBERS', base .. ':v:' .. id)) do unvote(id, voter) end
                redis.call('DEL', question)
                redis.call('LREM', base .. ':qids', 0, id)
                deleted = deleted + 1
                deletedIds[deleted] = id
                purgedIds[id] = true
            end
        end
        local requests = redis.call('HGETALL', base .. ':requests')
        for i = 1, #requests, 2 do
            if all or purgedIds[requests[i + 1]] then redis.call('HDEL', base .. ':requests', requests[i]) end
        end
        local seq
        if all or forgotten > 0 or deleted > 0 then
            seq = redis.call('HINCRBY', event, 'seq', 1)
        else
            seq = tonumber(redis.call('HGET', event, 'seq'))
        end
        return {'ok', seq, deleted, forgotten, deletedIds}
        """;

    /// <summary>
    /// ARGV: pairs of an audit entry as stored and its replacement. Replaces each by value, so entries
    /// added meanwhile (at the head) do not shift what is replaced. Idempotent.
    /// </summary>
    public const string ReplaceAuditEntries =
        """
        local audit = KEYS[1] .. ':audit'
        local replacements = {}
        for i = 1, #ARGV, 2 do replacements[ARGV[i]] = ARGV[i + 1] end
        for index, entry in ipairs(redis.call('LRANGE', audit, 0, -1)) do
            local replacement = replacements[entry]
            if replacement then redis.call('LSET', audit, index - 1, replacement) end
        end
        return {'ok'}
        """;

    /// <summary>ARGV: question ids. Returns each count, or false for an unknown id.</summary>
    public const string VoteCounts =
        """
        local counts = {}
        for i, id in ipairs(ARGV) do counts[i] = redis.call('HGET', KEYS[1] .. ':q:' .. id, 'votes') end
        return counts
        """;

    /// <summary>
    /// ARGV: node id, lease milliseconds. One node per event and interval flushes the tallies: the
    /// node that takes the lease takes the dirty question ids too. Returns them, or nothing without the lease.
    /// </summary>
    public const string TakeDirtyTallies =
        """
        local base = KEYS[1]
        if redis.call('EXISTS', base .. ':dirty') == 0 then return {} end
        if not redis.call('SET', base .. ':tally-lease', ARGV[1], 'NX', 'PX', ARGV[2]) then return {} end
        local ids = redis.call('SMEMBERS', base .. ':dirty')
        redis.call('DEL', base .. ':dirty')
        return ids
        """;

    /// <summary>ARGV: question ids whose flush failed; they go with the next one.</summary>
    public const string ReturnDirtyTallies =
        """
        for _, id in ipairs(ARGV) do redis.call('SADD', KEYS[1] .. ':dirty', id) end
        return 0
        """;
}
