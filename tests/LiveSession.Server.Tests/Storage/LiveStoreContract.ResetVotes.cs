using LiveSession.Domain.Errors;
using LiveSession.Server.Storage;

namespace LiveSession.Server.Tests.Storage;

/// <summary>A moderator's vote reset: every vote goes, voters may vote again, revision and seq stay.</summary>
public abstract partial class LiveStoreContract
{
    [Fact]
    public async Task Reset_votes_removes_every_vote_keeps_revision_and_seq_and_voters_may_vote_again()
    {
        await CreateEventAsync();
        var approved = await AddApprovedAsync("q1");
        await AddApprovedAsync("q2");
        foreach (var voter in new[] { "a", "b", "c" })
        {
            await Store.VoteAsync(Code, "q1", voter, Ct).DefaultTimeout();
        }

        await Store.VoteAsync(Code, "q2", "a", Ct).DefaultTimeout();
        var seq = await SeqAsync();

        Assert.Equal(3, await Store.ResetVotesAsync(Code, "q1", approved.Revision, Ct).DefaultTimeout());

        Assert.Equal(approved with { Votes = 0 }, await Store.GetQuestionAsync(Code, "q1", Ct).DefaultTimeout());
        Assert.Equal(seq, await SeqAsync());
        var view = await Store.ReadAttendeeViewAsync(Code, "a", Ct).DefaultTimeout();
        Assert.Equal(["q2"], view?.VotedQuestionIds ?? []);
        Assert.Equal(1, (await Store.GetQuestionAsync(Code, "q2", Ct).DefaultTimeout())?.Votes);
        Assert.Equal(new VoteResult(VoteOutcome.Added, 1), await Store.VoteAsync(Code, "q1", "b", Ct).DefaultTimeout());
    }

    [Fact]
    public async Task Reset_votes_survives_a_restart()
    {
        await CreateEventAsync();
        var approved = await AddApprovedAsync("q1");
        await Store.VoteAsync(Code, "q1", "a", Ct).DefaultTimeout();
        await Store.ResetVotesAsync(Code, "q1", approved.Revision, Ct).DefaultTimeout();

        await ReopenAsync();

        Assert.Equal(0, (await Store.GetQuestionAsync(Code, "q1", Ct).DefaultTimeout())?.Votes);
        Assert.Equal(new VoteResult(VoteOutcome.Added, 1), await Store.VoteAsync(Code, "q1", "a", Ct).DefaultTimeout());
    }

    [Fact]
    public async Task Reset_votes_with_a_stale_revision_is_a_conflict_and_keeps_the_votes()
    {
        await CreateEventAsync();
        var approved = await AddApprovedAsync("q1");
        await Store.VoteAsync(Code, "q1", "a", Ct).DefaultTimeout();
        await Store.VoteAsync(Code, "q1", "b", Ct).DefaultTimeout();

        await AssertFailsAsync(ErrorCodes.Conflict, () => Store.ResetVotesAsync(Code, "q1", approved.Revision - 1, Ct));

        Assert.Equal(2, (await Store.GetQuestionAsync(Code, "q1", Ct).DefaultTimeout())?.Votes);
        Assert.Equal(new VoteResult(VoteOutcome.Unchanged, 2), await Store.VoteAsync(Code, "q1", "a", Ct).DefaultTimeout());
    }

    [Fact]
    public async Task Reset_votes_of_an_unknown_question_or_event_is_not_found()
    {
        await CreateEventAsync();

        await AssertFailsAsync(ErrorCodes.NotFound, () => Store.ResetVotesAsync(Code, "ghost", 1, Ct));
        await AssertFailsAsync(ErrorCodes.EventNotFound, () => Store.ResetVotesAsync("nope", "q1", 1, Ct));
    }
}
