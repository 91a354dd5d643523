namespace LiveSession.Server.Storage.Redis;

public sealed partial class RedisLiveStore
{
    public async Task<int> ResetVotesAsync(string eventCode, string questionId, int expectedRevision, CancellationToken cancellationToken)
    {
        var reply = await ScriptAsync(RedisScripts.ResetVotes, eventCode, [questionId, expectedRevision], cancellationToken);
        return (int)Sequence(reply, eventCode,
            $"Question '{questionId}' changed meanwhile (expected revision {expectedRevision}).", $"Question '{questionId}'");
    }
}
