using System.Collections.Concurrent;
using LiveSession.Domain.Polls;

namespace LiveSession.Server.Polls;

/// <summary>
/// The polls attendees have seen, for the answer path: once a poll leaves draft its question, kind and
/// choices never change (<see cref="Poll.Edit"/> takes drafts only, and nothing returns a poll to
/// draft), so an answer is validated without reading the poll again. Its status is not trusted from
/// here: the store checks it atomically with the write. Holds only polls a moderator made public, so a
/// script sending made-up ids adds nothing.
/// </summary>
public sealed class PublicPolls
{
    private readonly ConcurrentDictionary<(string EventCode, string PollId), Poll> _polls = new();

    public Poll? Find(string eventCode, string pollId) => _polls.GetValueOrDefault((eventCode, pollId));

    public void Remember(Poll poll)
    {
        if (poll.IsPublic)
        {
            _polls[(poll.EventCode, poll.Id)] = poll;
        }
    }

    public void Forget(string eventCode, string pollId) => _polls.TryRemove((eventCode, pollId), out _);
}
