using StackExchange.Redis;

namespace LiveSession.Server.Storage.Redis;

/// <summary>
/// Where the store keeps things. An event's keys share the hash tag <c>{code}</c>, so a Redis
/// Cluster keeps each event in one slot and every per-event script stays single-slot. Only the
/// list of events and the moderator-key lookup are global. The names the service reads or writes
/// itself are all here; the Lua scripts (<see cref="RedisScripts"/>) derive theirs from <see cref="Event"/>.
/// </summary>
internal sealed class RedisKeys(string prefix)
{
    public string Prefix { get; } = prefix;

    /// <summary>The base of an event's keys; scripts derive the rest (<c>:event</c>, <c>:q:{id}</c>, …) from it.</summary>
    public RedisKey Event(string eventCode) => $"{Prefix}:{{{eventCode}}}";

    public RedisKey EventHash(string eventCode) => $"{Prefix}:{{{eventCode}}}:event";

    /// <summary>One question's hash (json, created, status, asker, votes, rev).</summary>
    public RedisKey Question(string eventCode, string questionId) => $"{Prefix}:{{{eventCode}}}:q:{questionId}";

    /// <summary>One poll's hash (json, status, rev).</summary>
    public RedisKey Poll(string eventCode, string pollId) => $"{Prefix}:{{{eventCode}}}:p:{pollId}";

    /// <summary>The event's poll ids, oldest first.</summary>
    public RedisKey PollIds(string eventCode) => $"{Prefix}:{{{eventCode}}}:pids";

    /// <summary>The event's moderator keys: hash → key json.</summary>
    public RedisKey ModeratorKeys(string eventCode) => $"{Prefix}:{{{eventCode}}}:modkeys";

    /// <summary>The event's audit log, newest first.</summary>
    public RedisKey Audit(string eventCode) => $"{Prefix}:{{{eventCode}}}:audit";

    /// <summary>The event's display key (room screens, overlays).</summary>
    public RedisKey DisplayKey(string eventCode) => $"{Prefix}:{{{eventCode}}}:display-key";

    /// <summary>A console session ended by a logout (global: the cookie names no event's slot).</summary>
    public RedisKey RevokedConsoleSession(string sessionId) => $"{Prefix}:console-session-revoked:{sessionId}";

    public RedisKey EventCodes => $"{Prefix}:events";

    /// <summary>Moderator key hash → the event it belongs to (the key itself lives in the event's slot).</summary>
    public RedisKey ModeratorKeyOwner(string keyHash) => $"{Prefix}:modkey:{keyHash}";

    public RedisChannel Feed => RedisChannel.Literal($"{Prefix}:feed");

    /// <summary>The prefix of the SignalR backplane's channels.</summary>
    public RedisChannel SignalRChannelPrefix => RedisChannel.Literal($"{Prefix}:signalr");

    public RedisKey DataProtectionKeys => $"{Prefix}:data-protection-keys";
}
