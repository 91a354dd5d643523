namespace LiveSession.Server.Storage.Redis;

/// <summary>
/// The poll scripts (see <see cref="RedisScripts"/> for the conventions). Per poll, under the event's
/// base key: <c>:p:{id}</c> (hash: json, status, rev), <c>:pa:{id}</c> (attendee → answer json),
/// <c>:pk:{id}</c> (attendee → the count fields the answer holds, one a line), <c>:pc:{id}</c>
/// (origin|field → count), <c>:pw:{id}</c> (word field → the text first seen); <c>:pids</c> lists
/// the polls in order and <c>:pmine:{attendee}</c> the polls an attendee answered; <c>:pat:{id}</c>
/// (sorted set: attendee, scored by when they last answered, Unix ms) dates answers for retention.
/// </summary>
internal static class RedisPollScripts
{
    private const string EventExists =
        """
        local base = KEYS[1]
        local event = base .. ':event'
        if redis.call('EXISTS', event) == 0 then return {'event_not_found'} end
        """ + "\n";

    /// <summary>Takes the next seq when ARGV[n] is '1', else reads the current one.</summary>
    private const string Seq =
        """
        local function seq(advance)
            if advance == '1' then return redis.call('HINCRBY', event, 'seq', 1) end
            return tonumber(redis.call('HGET', event, 'seq'))
        end
        """ + "\n";

    /// <summary>ARGV: id, json, status, revision.</summary>
    public const string AddPoll = EventExists +
        """
        local poll = base .. ':p:' .. ARGV[1]
        if redis.call('EXISTS', poll) == 1 then return {'conflict'} end
        redis.call('HSET', poll, 'json', ARGV[2], 'status', ARGV[3], 'rev', ARGV[4])
        redis.call('RPUSH', base .. ':pids', ARGV[1])
        return {'ok'}
        """;

    /// <summary>ARGV: id, expected revision, json, status, revision, '1' to take a seq.</summary>
    public const string ReplacePoll = EventExists + Seq +
        """
        local poll = base .. ':p:' .. ARGV[1]
        local current = redis.call('HGET', poll, 'rev')
        if not current then return {'not_found'} end
        if tonumber(current) ~= tonumber(ARGV[2]) then return {'conflict'} end
        local s = seq(ARGV[6])
        redis.call('HSET', poll, 'json', ARGV[3], 'status', ARGV[4], 'rev', ARGV[5])
        return {'ok', s}
        """;

    /// <summary>ARGV: id, expected revision, '1' to take a seq. The poll goes with its answers and counts.</summary>
    public const string DeletePoll = EventExists + Seq +
        """
        local id = ARGV[1]
        local poll = base .. ':p:' .. id
        local current = redis.call('HGET', poll, 'rev')
        if not current then return {'not_found'} end
        if tonumber(current) ~= tonumber(ARGV[2]) then return {'conflict'} end
        local s = seq(ARGV[3])
        for _, attendee in ipairs(redis.call('HKEYS', base .. ':pa:' .. id)) do
            redis.call('SREM', base .. ':pmine:' .. attendee, id)
        end
        redis.call('DEL', poll, base .. ':pa:' .. id, base .. ':pk:' .. id, base .. ':pc:' .. id, base .. ':pw:' .. id, base .. ':pat:' .. id)
        redis.call('LREM', base .. ':pids', 0, id)
        redis.call('SREM', base .. ':dirty', 'poll:' .. id)
        return {'ok', s}
        """;

    /// <summary>
    /// ARGV: poll id, attendee, answer json, origin-prefixed count fields (one a line), now (Unix ms),
    /// then word field / text pairs. Only an open poll takes answers; the attendee's previous answer is uncounted
    /// first. A counted answer marks the poll dirty for the tally flush.
    /// </summary>
    public const string Answer =
        """
        local base = KEYS[1]
        local id, attendee = ARGV[1], ARGV[2]
        local status = redis.call('HGET', base .. ':p:' .. id, 'status')
        if not status or status == 'draft' then return {'not_found'} end
        if status ~= 'open' then return {'poll_closed'} end
        local counts = base .. ':pc:' .. id
        local fields = base .. ':pk:' .. id
        local old = redis.call('HGET', fields, attendee)
        if old then
            for field in string.gmatch(old, '[^\n]+') do
                if tonumber(redis.call('HINCRBY', counts, field, -1)) < 0 then redis.call('HSET', counts, field, 0) end
            end
        end
        for field in string.gmatch(ARGV[4], '[^\n]+') do redis.call('HINCRBY', counts, field, 1) end
        redis.call('HSET', fields, attendee, ARGV[4])
        redis.call('HSET', base .. ':pa:' .. id, attendee, ARGV[3])
        redis.call('SADD', base .. ':pmine:' .. attendee, id)
        redis.call('ZADD', base .. ':pat:' .. id, ARGV[5], attendee)
        for i = 6, #ARGV, 2 do redis.call('HSETNX', base .. ':pw:' .. id, ARGV[i], ARGV[i + 1]) end
        redis.call('SADD', base .. ':dirty', 'poll:' .. id)
        return {'ok'}
        """;

    /// <summary>ARGV: poll ids. Per poll: whether it exists, then its counts and word texts as flat field/value lists.</summary>
    public const string Results =
        """
        local base = KEYS[1]
        local reply = {}
        for _, id in ipairs(ARGV) do
            table.insert(reply, redis.call('EXISTS', base .. ':p:' .. id))
            table.insert(reply, redis.call('HGETALL', base .. ':pc:' .. id))
            table.insert(reply, redis.call('HGETALL', base .. ':pw:' .. id))
        end
        return reply
        """;

    /// <summary>ARGV: attendee. Returns poll id / answer json pairs.</summary>
    public const string AnswersOf =
        """
        local base = KEYS[1]
        local reply = {}
        for _, id in ipairs(redis.call('SMEMBERS', base .. ':pmine:' .. ARGV[1])) do
            local answer = redis.call('HGET', base .. ':pa:' .. id, ARGV[1])
            if answer then table.insert(reply, id); table.insert(reply, answer) end
        end
        return reply
        """;

    /// <summary>
    /// Forgets who answered (counts and word texts stay). ARGV[1]: '' for every answer, or a cutoff
    /// (Unix ms): the answers last given before it (undated ones too). Returns how many attendees.
    /// </summary>
    public const string ForgetAnswerers = EventExists +
        """
        local all = ARGV[1] == ''
        local cutoff = tonumber(ARGV[1])
        local attendees, forgotten = {}, 0
        for _, id in ipairs(redis.call('LRANGE', base .. ':pids', 0, -1)) do
            local dates = base .. ':pat:' .. id
            for _, attendee in ipairs(redis.call('HKEYS', base .. ':pa:' .. id)) do
                local answeredAt = redis.call('ZSCORE', dates, attendee)
                if all or not answeredAt or tonumber(answeredAt) < cutoff then
                    if not attendees[attendee] then
                        attendees[attendee] = true
                        forgotten = forgotten + 1
                    end
                    redis.call('HDEL', base .. ':pa:' .. id, attendee)
                    redis.call('HDEL', base .. ':pk:' .. id, attendee)
                    redis.call('ZREM', dates, attendee)
                    redis.call('SREM', base .. ':pmine:' .. attendee, id)
                end
            end
        end
        return {'ok', forgotten}
        """;
}
