using LiveSession.Domain.Errors;
using LiveSession.Domain.Polls;
using LiveSession.Domain.Questions;
using LiveSession.Server.Storage.Sqlite;
using StackExchange.Redis;

namespace LiveSession.Server.Storage.Redis;

/// <summary>Polls in Redis: each change one script of <see cref="RedisPollScripts"/>, in the event's slot.</summary>
public sealed partial class RedisLiveStore : IPollStore
{
    public async Task AddPollAsync(Poll poll, CancellationToken cancellationToken)
    {
        var reply = await ScriptAsync(RedisPollScripts.AddPoll, poll.EventCode,
            [poll.Id, StoredJson.Serialize(poll), poll.Status.ToWire(), poll.Revision], cancellationToken);
        Check(reply, poll.EventCode, $"Poll '{poll.Id}' already exists.", "Poll");
    }

    public async Task<long> ReplacePollAsync(Poll updated, int expectedRevision, bool advanceSeq, CancellationToken cancellationToken)
    {
        var reply = await ScriptAsync(RedisPollScripts.ReplacePoll, updated.EventCode,
            [updated.Id, expectedRevision, StoredJson.Serialize(updated), updated.Status.ToWire(), updated.Revision, advanceSeq ? "1" : "0"],
            cancellationToken);
        return Sequence(reply, updated.EventCode, $"Poll '{updated.Id}' changed meanwhile (expected revision {expectedRevision}).", "Poll");
    }

    public async Task<long> DeletePollAsync(string eventCode, string pollId, int expectedRevision, bool advanceSeq, CancellationToken cancellationToken)
    {
        var reply = await ScriptAsync(RedisPollScripts.DeletePoll, eventCode, [pollId, expectedRevision, advanceSeq ? "1" : "0"], cancellationToken);
        return Sequence(reply, eventCode, $"Poll '{pollId}' changed meanwhile (expected revision {expectedRevision}).", "Poll");
    }

    public async Task<Poll?> GetPollAsync(string eventCode, string pollId, CancellationToken cancellationToken)
    {
        var json = await Run(idempotent: true, () => Db.HashGetAsync(_keys.Poll(eventCode, pollId), "json"), cancellationToken);
        return json.IsNull ? null : StoredJson.Deserialize<Poll>(json!);
    }

    public async Task<IReadOnlyList<Poll>> ListPollsAsync(string eventCode, CancellationToken cancellationToken)
    {
        var ids = await Run(idempotent: true, () => Db.ListRangeAsync(_keys.PollIds(eventCode)), cancellationToken);
        var polls = new List<Poll>(ids.Length);
        foreach (var id in ids)
        {
            if (await GetPollAsync(eventCode, id!, cancellationToken) is { } poll)
            {
                polls.Add(poll);
            }
        }

        return polls;
    }

    public async Task<PollAnswerOutcome> AnswerPollAsync(
        string eventCode, string pollId, string attendeeId, QuestionOrigin origin, PollAnswer answer, CancellationToken cancellationToken)
    {
        var fields = PollCountFields.Of(answer).ToList();
        var args = new List<RedisValue>
        {
            pollId, attendeeId, StoredJson.Serialize(answer), string.Join('\n', fields.Select(f => $"{origin.ToWire()}|{f.Field}")),
            _time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        foreach (var (field, text) in fields.Where(f => f.Text is not null))
        {
            args.Add(field);
            args.Add(text);
        }

        var reply = await ScriptAsync(RedisPollScripts.Answer, eventCode, [.. args], cancellationToken);
        return (string)reply[0]! switch
        {
            "ok" => PollAnswerOutcome.Stored,
            "poll_closed" => PollAnswerOutcome.Closed,
            _ => PollAnswerOutcome.NotFound,
        };
    }

    public async Task<IReadOnlyDictionary<string, PollResults>> GetPollResultsAsync(
        string eventCode, IReadOnlyCollection<string> pollIds, CancellationToken cancellationToken)
    {
        var results = new Dictionary<string, PollResults>(pollIds.Count);
        if (pollIds.Count == 0)
        {
            return results;
        }

        var ids = pollIds.ToList();
        var reply = await ScriptAsync(RedisPollScripts.Results, eventCode, ids.Select(id => (RedisValue)id).ToArray(),
            cancellationToken, idempotent: true);
        for (var i = 0; i < ids.Count; i++)
        {
            if ((int)reply[3 * i] == 0)
            {
                continue;
            }

            var byOrigin = Pairs((RedisResult[])reply[3 * i + 1]!)
                .Select(pair => (Origin: pair.Key[..pair.Key.IndexOf('|')], Field: pair.Key[(pair.Key.IndexOf('|') + 1)..], Count: int.Parse(pair.Value)))
                .ToLookup(c => c.Origin, c => (c.Field, c.Count));
            var texts = Pairs((RedisResult[])reply[3 * i + 2]!).ToDictionary(p => p.Key, p => p.Value);
            results[ids[i]] = new PollResults(
                PollCountFields.Tally(byOrigin[QuestionOrigin.Room.ToWire()], texts),
                PollCountFields.Tally(byOrigin[QuestionOrigin.Remote.ToWire()], texts));
        }

        return results;
    }

    public async Task<IReadOnlyDictionary<string, PollAnswer>> GetPollAnswersAsync(string eventCode, string attendeeId, CancellationToken cancellationToken)
    {
        var reply = await ScriptAsync(RedisPollScripts.AnswersOf, eventCode, [attendeeId], cancellationToken, idempotent: true);
        return Pairs(reply).ToDictionary(p => p.Key, p => StoredJson.Deserialize<PollAnswer>(p.Value));
    }

    public async Task<int> ForgetPollAnswerersAsync(string eventCode, DateTimeOffset? answeredBefore, CancellationToken cancellationToken)
    {
        var reply = await ScriptAsync(RedisPollScripts.ForgetAnswerers, eventCode, [Cutoff(answeredBefore)], cancellationToken);
        Check(reply, eventCode, "");
        return (int)reply[1];
    }

    private static IEnumerable<KeyValuePair<string, string>> Pairs(RedisResult[] flat)
    {
        for (var i = 0; i + 1 < flat.Length; i += 2)
        {
            yield return new KeyValuePair<string, string>((string)flat[i]!, (string)flat[i + 1]!);
        }
    }
}
