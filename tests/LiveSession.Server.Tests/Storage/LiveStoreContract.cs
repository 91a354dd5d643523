using LiveSession.Domain.Errors;
using LiveSession.Domain.Events;
using LiveSession.Domain.Live;
using LiveSession.Domain.Questions;
using LiveSession.Server.Storage;
using Microsoft.Extensions.Time.Testing;

namespace LiveSession.Server.Tests.Storage;

/// <summary>
/// What every <see cref="ILiveStore"/> must do. An implementation's test class derives from this and
/// says how to create its store and how to reopen it on the same data; nothing here may depend on
/// one implementation.
/// </summary>
public abstract partial class LiveStoreContract : IAsyncLifetime
{
    private const string Code = "spaak-6b1";
    private const string OtherCode = "other-event";

    private readonly CancellationTokenSource _testTimeout = new(TimeSpan.FromSeconds(60));
    private ILiveStore? _store;

    protected ILiveStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    protected CancellationToken Ct => _testTimeout.Token;

    /// <summary>The clock the store dates votes and poll answers by; implementations hand it to their store.</summary>
    protected FakeTimeProvider Clock { get; } = new(StoreTestData.Start);

    /// <summary>A new, empty store, not yet initialised (the contract calls <see cref="ILiveStore.InitializeAsync"/>).</summary>
    protected abstract Task<ILiveStore> CreateStoreAsync();

    /// <summary>
    /// Disposes <paramref name="previous"/> and opens a new instance on the same data, as after a
    /// restart; not yet initialised.
    /// </summary>
    protected abstract Task<ILiveStore> ReopenStoreAsync(ILiveStore previous);

    public async Task InitializeAsync()
    {
        _store = await CreateStoreAsync().DefaultTimeout();
        await _store.InitializeAsync(Ct).DefaultTimeout();
    }

    public virtual async Task DisposeAsync()
    {
        switch (_store)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync().AsTask().DefaultTimeout();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }

        _testTimeout.Dispose();
    }

    [Fact]
    public async Task New_store_is_reachable()
    {
        Assert.True(await Store.IsReachableAsync(Ct).DefaultTimeout());
    }

    [Fact]
    public async Task Initialize_again_keeps_the_data()
    {
        await CreateEventAsync();
        await AddQuestionAsync("q1");

        await Store.InitializeAsync(Ct).DefaultTimeout();

        Assert.Single(await Store.ListQuestionsAsync(Code, null, Ct).DefaultTimeout());
        Assert.Equal(0, await SeqAsync());
    }

    [Fact]
    public async Task Create_event_once_a_second_create_returns_false_and_keeps_the_first()
    {
        var definition = await CreateEventAsync();
        var impostor = StoreTestData.Event(Code) with { Title = "Another title" };

        Assert.False(await Store.TryCreateEventAsync(impostor, LiveState.Initial(impostor), Ct).DefaultTimeout());

        Assert.Equal(definition.Title, (await GetDefinitionAsync()).Title);
        Assert.Equal(0, await SeqAsync());
    }

    [Fact]
    public async Task New_event_starts_at_seq_zero_with_its_definition_and_live_state_exactly()
    {
        var definition = await CreateEventAsync();

        var stored = await GetEventAsync();
        var storedDefinition = await GetDefinitionAsync();

        Assert.Equal(0, stored.Seq);
        Assert.Equivalent(definition, storedDefinition, strict: true);
        Assert.Equal(StoreTestData.Start, storedDefinition.Slots[0].StartsAt);
        Assert.Equal(StoreTestData.Start.Offset, storedDefinition.StartsAt.Offset);
        Assert.Equal(LiveState.Initial(definition), stored.Live);
    }

    [Fact]
    public async Task List_event_codes_returns_every_event_once()
    {
        await CreateEventAsync(Code);
        await CreateEventAsync(OtherCode);
        var duplicate = StoreTestData.Event(Code);
        await Store.TryCreateEventAsync(duplicate, LiveState.Initial(duplicate), Ct).DefaultTimeout();

        var codes = await Store.ListEventCodesAsync(Ct).DefaultTimeout();

        Assert.Equal([OtherCode, Code], codes.Order());
    }

    [Fact]
    public async Task Reads_of_an_unknown_event_return_nothing()
    {
        Assert.Null(await Store.GetDefinitionAsync("nope", Ct).DefaultTimeout());
        Assert.Null(await Store.GetLiveAsync("nope", Ct).DefaultTimeout());
        Assert.Null(await Store.ReadAttendeeViewAsync("nope", "attendee", Ct).DefaultTimeout());
        Assert.Null(await Store.GetQuestionAsync("nope", "q1", Ct).DefaultTimeout());
        Assert.Empty(await Store.ListQuestionsAsync("nope", null, Ct).DefaultTimeout());
        Assert.Empty(await Store.GetVoteCountsAsync("nope", ["q1"], Ct).DefaultTimeout());
        Assert.Empty(await Store.ListAuditAsync("nope", 10, Ct).DefaultTimeout());
        Assert.Empty(await Store.ListEventCodesAsync(Ct).DefaultTimeout());
    }

    [Fact]
    public async Task Writes_to_an_unknown_event_fail_with_event_not_found()
    {
        var question = StoreTestData.Ask("nope", "q1", "asker");
        var live = LiveState.Initial(StoreTestData.Event("nope"));

        await AssertFailsAsync(ErrorCodes.EventNotFound, () => Store.AddQuestionAsync(question, Ct));
        await AssertFailsAsync(ErrorCodes.EventNotFound,
            () => Store.ReplaceQuestionAsync(question.Approve(StoreTestData.Start), question.Revision, Ct));
        await AssertFailsAsync(ErrorCodes.EventNotFound, () => Store.ReplaceLiveAsync("nope", live.WithQaOpen(false), 0, Ct));
        await AssertFailsAsync(ErrorCodes.EventNotFound, () => Store.PurgeAttendeeDataAsync("nope", changedBefore: null, Ct));
        await AssertFailsAsync(ErrorCodes.EventNotFound,
            () => Store.AddModeratorKeyAsync(new ModeratorKey("hash", "nope", "Moderator", StoreTestData.Start), false, Ct));
        await AssertFailsAsync(ErrorCodes.EventNotFound,
            () => Store.AppendAuditAsync(new AuditEntry("nope", StoreTestData.Start, "Moderator", "approve", null, null, null), Ct));
        Assert.Empty(await Store.ListEventCodesAsync(Ct).DefaultTimeout());
    }

    [Fact]
    public async Task Every_public_change_takes_exactly_the_next_seq_and_a_private_one_the_current_seq()
    {
        var definition = await CreateEventAsync();
        var now = StoreTestData.Start;
        var first = StoreTestData.Ask(Code, "q1", "asker-1");
        var second = StoreTestData.Ask(Code, "q2", "asker-2");
        var approved = first.Approve(now);
        var live = LiveState.Initial(definition);
        var merged = second.MergeInto(approved, now);
        var absorbed = approved.AbsorbMerge(now);

        var third = StoreTestData.Ask(Code, "q3", "asker-3");
        var thirdEdited = third.EditText("A pending question, edited by a moderator", now);
        var thirdRejected = thirdEdited.Reject(now);
        var rejectedAfterApproval = absorbed.Reject(now);

        var seqs = new List<long>
        {
            await Store.AddQuestionAsync(first, Ct).DefaultTimeout(),
            await SeqAsync(),
            await Store.AddQuestionAsync(second, Ct).DefaultTimeout(),
            await SeqAsync(),
            await Store.ReplaceQuestionAsync(approved, first.Revision, Ct).DefaultTimeout(),
            await SeqAsync(),
            await Store.ReplaceLiveAsync(Code, live.NextSlot(definition, now), live.Revision, Ct).DefaultTimeout(),
            await SeqAsync(),
            await Store.AddQuestionAsync(third, Ct).DefaultTimeout(),
            await Store.ReplaceQuestionAsync(thirdEdited, third.Revision, Ct).DefaultTimeout(),
            await Store.ReplaceQuestionAsync(thirdRejected, thirdEdited.Revision, Ct).DefaultTimeout(),
            await SeqAsync(),
            await Store.MergeQuestionsAsync(merged, second.Revision, absorbed, approved.Revision, Ct).DefaultTimeout(),
            await SeqAsync(),
            await Store.ReplaceQuestionAsync(rejectedAfterApproval, absorbed.Revision, Ct).DefaultTimeout(),
            await SeqAsync(),
            (await Store.PurgeAttendeeDataAsync(Code, changedBefore: null, Ct).DefaultTimeout()).Seq,
            await SeqAsync(),
        };

        // Asks, and a pending question edited then rejected, are seen by their asker only: the current seq.
        // Approving, the agenda, a merge into a published question, rejecting a published one: the next.
        Assert.Equal([0, 0, 0, 0, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 4, 4, 5, 5], seqs);
    }

    [Fact]
    public async Task Votes_do_not_change_seq()
    {
        await CreateEventAsync();
        await AddApprovedAsync("q1");
        var before = await SeqAsync();

        await Store.VoteAsync(Code, "q1", "voter-1", Ct).DefaultTimeout();
        await Store.VoteAsync(Code, "q1", "voter-2", Ct).DefaultTimeout();
        await Store.UnvoteAsync(Code, "q1", "voter-1", Ct).DefaultTimeout();

        Assert.Equal(before, await SeqAsync());
    }

    [Fact]
    public async Task Added_question_is_stored_exactly_with_zero_votes()
    {
        await CreateEventAsync();
        var question = StoreTestData.Ask(Code, "q1", "asker-1") with
        {
            OriginalText = "What about it??",
            AddressedToSpeakerId = "ngo",
            Origin = QuestionOrigin.Room,
            Votes = 7,
            UpdatedAt = StoreTestData.Start.ToOffset(TimeSpan.FromHours(-5)).AddTicks(3),
        };

        await Store.AddQuestionAsync(question, Ct).DefaultTimeout();

        var stored = await Store.GetQuestionAsync(Code, "q1", Ct).DefaultTimeout();
        Assert.Equal(question with { Votes = 0 }, stored);
        Assert.Equal(question.UpdatedAt.Offset, stored?.UpdatedAt.Offset);
        Assert.Null(await Store.GetQuestionAsync(Code, "q2", Ct).DefaultTimeout());
        Assert.Null(await Store.GetQuestionAsync(OtherCode, "q1", Ct).DefaultTimeout());
    }

    [Fact]
    public async Task Adding_an_existing_question_id_is_a_conflict_and_changes_nothing()
    {
        await CreateEventAsync();
        var original = await AddQuestionAsync("q1");

        await AssertFailsAsync(ErrorCodes.Conflict,
            () => Store.AddQuestionAsync(original with { Text = "Someone else's question" }, Ct));

        Assert.Equal(original, await Store.GetQuestionAsync(Code, "q1", Ct).DefaultTimeout());
        Assert.Equal(0, await SeqAsync());
    }

    [Fact]
    public async Task Replace_with_the_current_revision_stores_the_question_and_keeps_its_votes()
    {
        await CreateEventAsync();
        var approved = await AddApprovedAsync("q1");
        await Store.VoteAsync(Code, "q1", "voter-1", Ct).DefaultTimeout();
        await Store.VoteAsync(Code, "q1", "voter-2", Ct).DefaultTimeout();
        var answered = approved.EditText("What about it, precisely?", StoreTestData.Start.AddMinutes(3))
            .MarkAnswered(StoreTestData.Start.AddMinutes(4));

        await Store.ReplaceQuestionAsync(answered with { Votes = 99 }, approved.Revision, Ct).DefaultTimeout();

        Assert.Equal(answered with { Votes = 2 }, await Store.GetQuestionAsync(Code, "q1", Ct).DefaultTimeout());
    }

    [Fact]
    public async Task Replace_with_a_stale_revision_is_a_conflict_and_changes_nothing()
    {
        await CreateEventAsync();
        var approved = await AddApprovedAsync("q1");
        var seq = await SeqAsync();

        await AssertFailsAsync(ErrorCodes.Conflict,
            () => Store.ReplaceQuestionAsync(approved.Reject(StoreTestData.Start), approved.Revision - 1, Ct));

        Assert.Equal(approved, await Store.GetQuestionAsync(Code, "q1", Ct).DefaultTimeout());
        Assert.Equal(seq, await SeqAsync());
    }

    [Fact]
    public async Task Replace_of_an_unknown_question_is_not_found()
    {
        await CreateEventAsync();
        var ghost = StoreTestData.Ask(Code, "ghost", "asker-1");

        await AssertFailsAsync(ErrorCodes.NotFound,
            () => Store.ReplaceQuestionAsync(ghost.Approve(StoreTestData.Start), ghost.Revision, Ct));

        Assert.Empty(await Store.ListQuestionsAsync(Code, null, Ct).DefaultTimeout());
        Assert.Equal(0, await SeqAsync());
    }

    [Fact]
    public async Task Concurrent_replaces_of_the_same_revision_exactly_one_wins()
    {
        await CreateEventAsync();
        var question = await AddQuestionAsync("q1");

        var attempts = Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            try
            {
                var edited = question.EditText($"Edited question number {i}", StoreTestData.Start.AddMinutes(1));
                await Store.ReplaceQuestionAsync(edited, question.Revision, Ct);
                return i;
            }
            catch (LiveSessionException error) when (error.Code == ErrorCodes.Conflict)
            {
                return -1;
            }
        }));
        var results = await Task.WhenAll(attempts).DefaultTimeout();

        var winner = Assert.Single(results, result => result >= 0);
        var stored = await Store.GetQuestionAsync(Code, "q1", Ct).DefaultTimeout();
        Assert.Equal($"Edited question number {winner}", stored?.Text);
        Assert.Equal(question.Revision + 1, stored?.Revision);
        Assert.Equal(0, await SeqAsync()); // a pending question: its edits are its asker's only
    }

    [Fact]
    public async Task Replace_live_with_the_current_revision_stores_it_exactly()
    {
        var definition = await CreateEventAsync();
        var now = StoreTestData.Start.AddMinutes(12).AddTicks(42);
        var initial = LiveState.Initial(definition);
        var live = initial.NextSlot(definition, now).NextSpeaker(definition, now.AddSeconds(5))
            .WithScreenQuestion("q1").WithQaOpen(false);
        live = live.WithTimer(live.Timer.Pause(now.AddSeconds(65)));

        var seq = await Store.ReplaceLiveAsync(Code, live, initial.Revision, Ct).DefaultTimeout();

        var stored = await GetEventAsync();
        Assert.Equal(live, stored.Live);
        Assert.Equal(seq, stored.Seq);
    }

    [Fact]
    public async Task A_hidden_lower_third_takes_the_next_seq_and_is_read_back_hidden_after_a_reopen()
    {
        var definition = await CreateEventAsync();
        var initial = LiveState.Initial(definition);
        var hidden = initial.WithLowerThirdHidden(true);

        var seq = await Store.ReplaceLiveAsync(Code, hidden, initial.Revision, Ct).DefaultTimeout();
        await ReopenAsync();

        var stored = await GetEventAsync();
        Assert.Equal(1, seq);
        Assert.True(stored.Live.LowerThirdHidden);
        Assert.Equal(hidden, stored.Live);
        var shown = stored.Live.WithLowerThirdHidden(false);
        Assert.Equal(2, await Store.ReplaceLiveAsync(Code, shown, hidden.Revision, Ct).DefaultTimeout());
        Assert.False((await GetEventAsync()).Live.LowerThirdHidden);
    }

    [Fact]
    public async Task Replace_live_with_a_stale_revision_is_a_conflict_and_changes_nothing()
    {
        var definition = await CreateEventAsync();
        var initial = LiveState.Initial(definition);
        var current = initial.WithQaOpen(false);
        await Store.ReplaceLiveAsync(Code, current, initial.Revision, Ct).DefaultTimeout();

        await AssertFailsAsync(ErrorCodes.Conflict,
            () => Store.ReplaceLiveAsync(Code, initial.WithScreenQuestion("q1"), initial.Revision, Ct));

        var stored = await GetEventAsync();
        Assert.Equal(current, stored.Live);
        Assert.Equal(1, stored.Seq);
    }

    [Fact]
    public async Task Vote_on_an_approved_question_counts()
    {
        await CreateEventAsync();
        await AddApprovedAsync("q1");

        Assert.Equal(new VoteResult(VoteOutcome.Added, 1), await Store.VoteAsync(Code, "q1", "voter-1", Ct).DefaultTimeout());
        Assert.Equal(new VoteResult(VoteOutcome.Added, 2), await Store.VoteAsync(Code, "q1", "voter-2", Ct).DefaultTimeout());
        Assert.Equal(2, (await Store.GetQuestionAsync(Code, "q1", Ct).DefaultTimeout())?.Votes);
    }

    [Fact]
    public async Task Vote_twice_counts_once()
    {
        await CreateEventAsync();
        await AddApprovedAsync("q1");

        await Store.VoteAsync(Code, "q1", "voter-1", Ct).DefaultTimeout();
        var second = await Store.VoteAsync(Code, "q1", "voter-1", Ct).DefaultTimeout();

        Assert.Equal(new VoteResult(VoteOutcome.Unchanged, 1), second);
        Assert.Equal(1, (await Store.GetQuestionAsync(Code, "q1", Ct).DefaultTimeout())?.Votes);
    }

    [Fact]
    public async Task Vote_on_a_pending_question_is_not_votable()
    {
        await CreateEventAsync();
        await AddQuestionAsync("q1");

        var result = await Store.VoteAsync(Code, "q1", "voter-1", Ct).DefaultTimeout();

        Assert.Equal(new VoteResult(VoteOutcome.NotVotable, 0), result);
        var view = await Store.ReadAttendeeViewAsync(Code, "voter-1", Ct).DefaultTimeout();
        Assert.Empty(view?.VotedQuestionIds ?? ["missing view"]);
    }

    [Fact]
    public async Task Vote_on_an_unknown_question_is_not_found()
    {
        await CreateEventAsync();

        Assert.Equal(VoteOutcome.NotFound, (await Store.VoteAsync(Code, "ghost", "voter-1", Ct).DefaultTimeout()).Outcome);
        Assert.Equal(VoteOutcome.NotFound, (await Store.UnvoteAsync(Code, "ghost", "voter-1", Ct).DefaultTimeout()).Outcome);
    }

    [Fact]
    public async Task Unvote_removes_the_vote()
    {
        await CreateEventAsync();
        await AddApprovedAsync("q1");
        await Store.VoteAsync(Code, "q1", "voter-1", Ct).DefaultTimeout();
        await Store.VoteAsync(Code, "q1", "voter-2", Ct).DefaultTimeout();

        var result = await Store.UnvoteAsync(Code, "q1", "voter-1", Ct).DefaultTimeout();

        Assert.Equal(new VoteResult(VoteOutcome.Removed, 1), result);
        var view = await Store.ReadAttendeeViewAsync(Code, "voter-1", Ct).DefaultTimeout();
        Assert.Empty(view?.VotedQuestionIds ?? ["missing view"]);
        Assert.Equal(new VoteResult(VoteOutcome.Added, 2), await Store.VoteAsync(Code, "q1", "voter-1", Ct).DefaultTimeout());
    }

    [Fact]
    public async Task Unvote_without_a_vote_is_unchanged()
    {
        await CreateEventAsync();
        await AddApprovedAsync("q1");
        await Store.VoteAsync(Code, "q1", "voter-2", Ct).DefaultTimeout();

        var result = await Store.UnvoteAsync(Code, "q1", "voter-1", Ct).DefaultTimeout();

        Assert.Equal(new VoteResult(VoteOutcome.Unchanged, 1), result);
    }

    [Fact]
    public async Task An_answered_question_keeps_its_votes_and_takes_no_more_changes_to_them()
    {
        await CreateEventAsync();
        var approved = await AddApprovedAsync("q1");
        await Store.VoteAsync(Code, "q1", "voter-1", Ct).DefaultTimeout();
        await Store.ReplaceQuestionAsync(approved.MarkAnswered(StoreTestData.Start.AddMinutes(5)), approved.Revision, Ct)
            .DefaultTimeout();

        Assert.Equal(new VoteResult(VoteOutcome.NotVotable, 1), await Store.VoteAsync(Code, "q1", "voter-2", Ct).DefaultTimeout());
        Assert.Equal(new VoteResult(VoteOutcome.NotVotable, 1), await Store.UnvoteAsync(Code, "q1", "voter-1", Ct).DefaultTimeout());
        Assert.Equal(1, (await Store.GetQuestionAsync(Code, "q1", Ct).DefaultTimeout())?.Votes);
    }

    [Fact]
    public async Task Fifty_concurrent_voters_voting_twice_each_count_once()
    {
        await CreateEventAsync();
        await AddApprovedAsync("q1");

        var votes = Enumerable.Range(0, 100)
            .Select(i => Task.Run(() => Store.VoteAsync(Code, "q1", $"voter-{i % 50}", Ct)));
        var results = await Task.WhenAll(votes).DefaultTimeout();

        Assert.Equal(50, results.Count(r => r.Outcome == VoteOutcome.Added));
        Assert.Equal(50, results.Count(r => r.Outcome == VoteOutcome.Unchanged));
        Assert.Equal(50, results.Max(r => r.Votes));
        Assert.Equal(50, (await Store.GetQuestionAsync(Code, "q1", Ct).DefaultTimeout())?.Votes);
        Assert.Equal(
            new Dictionary<string, int> { ["q1"] = 50 },
            await Store.GetVoteCountsAsync(Code, ["q1"], Ct).DefaultTimeout());
    }

    [Fact]
    public async Task Vote_counts_are_returned_for_known_questions_only()
    {
        await CreateEventAsync();
        await AddApprovedAsync("q1");
        await AddApprovedAsync("q2");
        await AddQuestionAsync("q3");
        await Store.VoteAsync(Code, "q1", "voter-1", Ct).DefaultTimeout();
        await Store.VoteAsync(Code, "q1", "voter-2", Ct).DefaultTimeout();
        await Store.VoteAsync(Code, "q2", "voter-1", Ct).DefaultTimeout();

        var counts = await Store.GetVoteCountsAsync(Code, ["q1", "q2", "q3", "ghost"], Ct).DefaultTimeout();

        Assert.Equal(new Dictionary<string, int> { ["q1"] = 2, ["q2"] = 1, ["q3"] = 0 }, counts);
        Assert.Empty(await Store.GetVoteCountsAsync(Code, [], Ct).DefaultTimeout());
    }

    [Fact]
    public async Task Merge_moves_votes_to_the_target_and_a_voter_of_both_counts_once()
    {
        await CreateEventAsync();
        var source = await AddApprovedAsync("source");
        var target = await AddApprovedAsync("target");
        foreach (var (question, voter) in new[] { ("source", "a"), ("source", "b"), ("target", "b"), ("target", "c") })
        {
            await Store.VoteAsync(Code, question, voter, Ct).DefaultTimeout();
        }

        var now = StoreTestData.Start.AddMinutes(6);
        var merged = source.MergeInto(target, now);
        var absorbed = target.AbsorbMerge(now);
        await Store.MergeQuestionsAsync(merged, source.Revision, absorbed, target.Revision, Ct).DefaultTimeout();

        Assert.Equal(merged with { Votes = 0 }, await Store.GetQuestionAsync(Code, "source", Ct).DefaultTimeout());
        Assert.Equal(absorbed with { Votes = 3 }, await Store.GetQuestionAsync(Code, "target", Ct).DefaultTimeout());
        var viewOfA = await Store.ReadAttendeeViewAsync(Code, "a", Ct).DefaultTimeout();
        Assert.Equal(["target"], viewOfA?.VotedQuestionIds ?? []);
        Assert.Equal(VoteOutcome.Unchanged, (await Store.VoteAsync(Code, "target", "b", Ct).DefaultTimeout()).Outcome);
        Assert.Equal(new VoteResult(VoteOutcome.Removed, 2), await Store.UnvoteAsync(Code, "target", "a", Ct).DefaultTimeout());
    }

    [Fact]
    public async Task Merge_with_a_stale_source_revision_changes_neither_question()
    {
        await AssertMergeConflictChangesNothingAsync(staleSource: true);
    }

    [Fact]
    public async Task Merge_with_a_stale_target_revision_changes_neither_question()
    {
        await AssertMergeConflictChangesNothingAsync(staleSource: false);
    }

    [Fact]
    public async Task Merge_after_a_purge_keeps_the_anonymous_votes()
    {
        await CreateEventAsync();
        var source = await AddApprovedAsync("source");
        var target = await AddApprovedAsync("target");
        await Store.VoteAsync(Code, "source", "a", Ct).DefaultTimeout();
        await Store.VoteAsync(Code, "source", "b", Ct).DefaultTimeout();
        await Store.VoteAsync(Code, "target", "b", Ct).DefaultTimeout();
        await Store.PurgeAttendeeDataAsync(Code, changedBefore: null, Ct).DefaultTimeout();

        var now = StoreTestData.Start.AddMinutes(30);
        await Store.MergeQuestionsAsync(source.MergeInto(target, now), source.Revision, target.AbsorbMerge(now), target.Revision, Ct)
            .DefaultTimeout();

        var counts = await Store.GetVoteCountsAsync(Code, ["source", "target"], Ct).DefaultTimeout();
        Assert.Equal(new Dictionary<string, int> { ["source"] = 0, ["target"] = 3 }, counts);
    }

    [Fact]
    public async Task Attendee_view_shows_public_questions_and_the_attendees_own_in_any_status()
    {
        await CreateEventAsync();
        var now = StoreTestData.Start.AddMinutes(20);
        await AddQuestionAsync("mine-pending", "me", minute: 1);
        await AddApprovedAsync("theirs-approved", "them", minute: 2);
        await AddQuestionAsync("theirs-pending", "them", minute: 3);
        var mineRejected = await AddQuestionAsync("mine-rejected", "me", minute: 4);
        await Store.ReplaceQuestionAsync(mineRejected.Reject(now), mineRejected.Revision, Ct).DefaultTimeout();
        var theirsRejected = await AddQuestionAsync("theirs-rejected", "them", minute: 5);
        await Store.ReplaceQuestionAsync(theirsRejected.Reject(now), theirsRejected.Revision, Ct).DefaultTimeout();
        var theirsAnswered = await AddApprovedAsync("theirs-answered", "them", minute: 6);
        await Store.ReplaceQuestionAsync(theirsAnswered.MarkAnswered(now), theirsAnswered.Revision, Ct).DefaultTimeout();
        var mineWithdrawn = await AddQuestionAsync("mine-withdrawn", "me", minute: 7);
        await Store.ReplaceQuestionAsync(mineWithdrawn.Withdraw(now), mineWithdrawn.Revision, Ct).DefaultTimeout();
        await Store.VoteAsync(Code, "theirs-approved", "me", Ct).DefaultTimeout();
        await Store.VoteAsync(Code, "theirs-approved", "them", Ct).DefaultTimeout();

        var view = await Store.ReadAttendeeViewAsync(Code, "me", Ct).DefaultTimeout();

        Assert.NotNull(view);
        Assert.Equal(
            ["mine-pending", "theirs-approved", "mine-rejected", "theirs-answered", "mine-withdrawn"],
            view.Questions.Select(q => q.Id));
        Assert.Equal(["theirs-approved"], view.VotedQuestionIds);
        Assert.Equal(2, view.Questions.Single(q => q.Id == "theirs-approved").Votes);
        Assert.Equal(await SeqAsync(), view.Event.Seq);
        Assert.Equal((await GetEventAsync()).Live, view.Event.Live);
    }

    [Fact]
    public async Task Attendee_view_without_an_attendee_shows_public_questions_only_and_no_votes()
    {
        await CreateEventAsync();
        await AddQuestionAsync("pending", "me", minute: 1);
        await AddApprovedAsync("approved", "me", minute: 2);
        await Store.VoteAsync(Code, "approved", "me", Ct).DefaultTimeout();

        var view = await Store.ReadAttendeeViewAsync(Code, null, Ct).DefaultTimeout();

        Assert.NotNull(view);
        Assert.Equal(["approved"], view.Questions.Select(q => q.Id));
        Assert.Empty(view.VotedQuestionIds);
    }

    [Fact]
    public async Task List_questions_returns_all_or_one_status_oldest_first()
    {
        await CreateEventAsync();
        await CreateEventAsync(OtherCode);
        await AddQuestionAsync("late", minute: 9);
        await AddApprovedAsync("early", minute: 1);
        await AddQuestionAsync("middle", minute: 5);
        await Store.AddQuestionAsync(StoreTestData.Ask(OtherCode, "elsewhere", "asker-1"), Ct).DefaultTimeout();

        var all = await Store.ListQuestionsAsync(Code, null, Ct).DefaultTimeout();
        var pending = await Store.ListQuestionsAsync(Code, QuestionStatus.Pending, Ct).DefaultTimeout();
        var answered = await Store.ListQuestionsAsync(Code, QuestionStatus.Answered, Ct).DefaultTimeout();

        Assert.Equal(["early", "middle", "late"], all.Select(q => q.Id));
        Assert.Equal(["middle", "late"], pending.Select(q => q.Id));
        Assert.Empty(answered);
    }

    [Fact]
    public async Task Moderator_key_is_found_by_its_hash()
    {
        await CreateEventAsync();
        var key = new ModeratorKey("hash-1", Code, "Moderator 1", StoreTestData.Start);

        await Store.AddModeratorKeyAsync(key, replaceExisting: false, Ct).DefaultTimeout();

        Assert.Equal(key, await Store.FindModeratorKeyAsync("hash-1", Ct).DefaultTimeout());
        Assert.Null(await Store.FindModeratorKeyAsync("hash-2", Ct).DefaultTimeout());
        Assert.Equal(0, await SeqAsync());
    }

    [Fact]
    public async Task Adding_a_key_keeps_the_others_unless_it_replaces_them()
    {
        await CreateEventAsync();
        await CreateEventAsync(OtherCode);
        var first = new ModeratorKey("hash-1", Code, "Moderator 1", StoreTestData.Start);
        var second = new ModeratorKey("hash-2", Code, "Moderator 2", StoreTestData.Start.AddMinutes(1));
        var replacement = new ModeratorKey("hash-3", Code, "Moderator 3", StoreTestData.Start.AddMinutes(2));
        var otherEvents = new ModeratorKey("hash-other", OtherCode, "Moderator", StoreTestData.Start);
        await Store.AddModeratorKeyAsync(first, replaceExisting: false, Ct).DefaultTimeout();
        await Store.AddModeratorKeyAsync(second, replaceExisting: false, Ct).DefaultTimeout();
        await Store.AddModeratorKeyAsync(otherEvents, replaceExisting: false, Ct).DefaultTimeout();

        Assert.Equal(first, await Store.FindModeratorKeyAsync("hash-1", Ct).DefaultTimeout());
        Assert.Equal(second, await Store.FindModeratorKeyAsync("hash-2", Ct).DefaultTimeout());

        await Store.AddModeratorKeyAsync(replacement, replaceExisting: true, Ct).DefaultTimeout();

        Assert.Null(await Store.FindModeratorKeyAsync("hash-1", Ct).DefaultTimeout());
        Assert.Null(await Store.FindModeratorKeyAsync("hash-2", Ct).DefaultTimeout());
        Assert.Equal(replacement, await Store.FindModeratorKeyAsync("hash-3", Ct).DefaultTimeout());
        Assert.Equal(otherEvents, await Store.FindModeratorKeyAsync("hash-other", Ct).DefaultTimeout());
    }

    [Fact]
    public async Task Adding_a_key_hash_that_is_in_use_is_a_conflict()
    {
        await CreateEventAsync();
        await CreateEventAsync(OtherCode);
        var key = new ModeratorKey("hash-1", Code, "Moderator 1", StoreTestData.Start);
        await Store.AddModeratorKeyAsync(key, replaceExisting: false, Ct).DefaultTimeout();

        await AssertFailsAsync(ErrorCodes.Conflict,
            () => Store.AddModeratorKeyAsync(key with { EventCode = OtherCode }, replaceExisting: false, Ct));

        Assert.Equal(key, await Store.FindModeratorKeyAsync("hash-1", Ct).DefaultTimeout());
    }

    [Fact]
    public async Task Audit_lists_the_events_entries_newest_first_up_to_the_limit()
    {
        await CreateEventAsync();
        await CreateEventAsync(OtherCode);
        var entries = Enumerable.Range(1, 4)
            .Select(i => new AuditEntry(Code, StoreTestData.Start.AddSeconds(i), "Moderator 1", $"action-{i}",
                i % 2 == 0 ? $"q{i}" : null, i % 2 == 0 ? $$"""{"status":"pending","n":{{i}}}""" : null, $"after {i}"))
            .ToList();
        foreach (var entry in entries)
        {
            await Store.AppendAuditAsync(entry, Ct).DefaultTimeout();
        }

        await Store.AppendAuditAsync(new AuditEntry(OtherCode, StoreTestData.Start, "Moderator", "elsewhere", null, null, null), Ct)
            .DefaultTimeout();

        Assert.Equal([entries[3], entries[2], entries[1]], await Store.ListAuditAsync(Code, 3, Ct).DefaultTimeout());
        Assert.Equal(4, (await Store.ListAuditAsync(Code, 100, Ct).DefaultTimeout()).Count);
        Assert.Empty(await Store.ListAuditAsync(Code, 0, Ct).DefaultTimeout());
        Assert.Equal(0, await SeqAsync());
    }

    [Fact]
    public async Task Purge_forgets_askers_and_voters_keeps_counts_and_deletes_rejected_and_withdrawn_questions()
    {
        await CreateEventAsync();
        var now = StoreTestData.Start.AddMinutes(90);
        await AddApprovedAsync("approved", "asker-a", minute: 1);
        await AddQuestionAsync("pending", "asker-b", minute: 2);
        var rejected = await AddQuestionAsync("rejected", "asker-c", minute: 3);
        await Store.ReplaceQuestionAsync(rejected.Reject(now), rejected.Revision, Ct).DefaultTimeout();
        var withdrawn = await AddQuestionAsync("withdrawn", "asker-a", minute: 4);
        await Store.ReplaceQuestionAsync(withdrawn.Withdraw(now), withdrawn.Revision, Ct).DefaultTimeout();
        await Store.VoteAsync(Code, "approved", "asker-b", Ct).DefaultTimeout();
        await Store.VoteAsync(Code, "approved", "voter-d", Ct).DefaultTimeout();
        var seqBefore = await SeqAsync();

        var result = await Store.PurgeAttendeeDataAsync(Code, changedBefore: null, Ct).DefaultTimeout();

        Assert.Equal(new PurgeResult(seqBefore + 1, QuestionsDeleted: 2, AttendeesForgotten: 4), result);
        Assert.Equal(seqBefore + 1, await SeqAsync());
        var remaining = await Store.ListQuestionsAsync(Code, null, Ct).DefaultTimeout();
        Assert.Equal(["approved", "pending"], remaining.Select(q => q.Id));
        Assert.All(remaining, q => Assert.Null(q.AskerId));
        Assert.Equal(2, remaining[0].Votes);
        foreach (var attendee in new[] { "asker-a", "asker-b", "voter-d" })
        {
            var view = await Store.ReadAttendeeViewAsync(Code, attendee, Ct).DefaultTimeout();
            Assert.NotNull(view);
            Assert.Equal(["approved"], view.Questions.Select(q => q.Id));
            Assert.Empty(view.VotedQuestionIds);
        }

        var again = await Store.PurgeAttendeeDataAsync(Code, changedBefore: null, Ct).DefaultTimeout();
        Assert.Equal(new PurgeResult(seqBefore + 2, 0, 0), again);
    }

    [Fact]
    public async Task Purge_with_a_cutoff_takes_the_rows_that_changed_before_it_and_a_later_one_takes_the_rest()
    {
        await CreateEventAsync();
        Clock.SetUtcNow(StoreTestData.Start.AddMinutes(5));
        await AddApprovedAsync("old-approved", "asker-a", minute: 1);
        var oldRejected = await AddQuestionAsync("old-rejected", "asker-b", minute: 2);
        await Store.ReplaceQuestionAsync(oldRejected.Reject(StoreTestData.Start.AddMinutes(3)), oldRejected.Revision, Ct).DefaultTimeout();
        await Store.VoteAsync(Code, "old-approved", "voter-old", Ct).DefaultTimeout();

        // An hour later, after the cutoff: new questions, a new vote on the old question, a new vote by the old voter.
        var cutoff = StoreTestData.Start.AddMinutes(30);
        Clock.SetUtcNow(StoreTestData.Start.AddMinutes(65));
        await AddApprovedAsync("new-approved", "asker-c", minute: 60);
        var newRejected = await AddQuestionAsync("new-rejected", "asker-d", minute: 61);
        await Store.ReplaceQuestionAsync(newRejected.Reject(StoreTestData.Start.AddMinutes(62)), newRejected.Revision, Ct).DefaultTimeout();
        await Store.VoteAsync(Code, "old-approved", "voter-new", Ct).DefaultTimeout();
        await Store.VoteAsync(Code, "new-approved", "voter-old", Ct).DefaultTimeout();
        var seqBefore = await SeqAsync();

        var result = await Store.PurgeAttendeeDataAsync(Code, cutoff, Ct).DefaultTimeout();

        Assert.Equal(new PurgeResult(seqBefore + 1, QuestionsDeleted: 1, AttendeesForgotten: 3), result);
        var remaining = await Store.ListQuestionsAsync(Code, null, Ct).DefaultTimeout();
        Assert.Equal(
            [("old-approved", null, 2), ("new-approved", "asker-c", 1), ("new-rejected", "asker-d", 0)],
            remaining.Select(q => (q.Id, q.AskerId, q.Votes)));
        Assert.Equal(["new-approved"], (await Store.ReadAttendeeViewAsync(Code, "voter-old", Ct).DefaultTimeout())!.VotedQuestionIds);
        Assert.Equal(["old-approved"], (await Store.ReadAttendeeViewAsync(Code, "voter-new", Ct).DefaultTimeout())!.VotedQuestionIds);
        Assert.DoesNotContain(remaining, q => q.AskerId is "asker-a" or "asker-b");

        // The same cutoff again finds nothing, and changes nothing (not even the seq).
        Assert.Equal(new PurgeResult(seqBefore + 1, 0, 0), await Store.PurgeAttendeeDataAsync(Code, cutoff, Ct).DefaultTimeout());
        Assert.Equal(seqBefore + 1, await SeqAsync());

        // A later pass takes what has become old since.
        var later = await Store.PurgeAttendeeDataAsync(Code, StoreTestData.Start.AddMinutes(120), Ct).DefaultTimeout();

        Assert.Equal(new PurgeResult(seqBefore + 2, QuestionsDeleted: 1, AttendeesForgotten: 4), later);
        remaining = await Store.ListQuestionsAsync(Code, null, Ct).DefaultTimeout();
        Assert.Equal([("old-approved", null, 2), ("new-approved", null, 1)], remaining.Select(q => (q.Id, q.AskerId, q.Votes)));
        Assert.Empty((await Store.ReadAttendeeViewAsync(Code, "voter-old", Ct).DefaultTimeout())!.VotedQuestionIds);
    }

    [Fact]
    public async Task A_cutoff_keeps_the_request_id_of_a_recent_question_and_forgets_the_old_one()
    {
        await CreateEventAsync();
        var old = StoreTestData.Ask(Code, "old", "asker-a", minute: 1);
        var recent = StoreTestData.Ask(Code, "recent", "asker-a", minute: 60);
        await Store.AddQuestionOnceAsync(old, "request-1", Ct).DefaultTimeout();
        await Store.AddQuestionOnceAsync(recent, "request-2", Ct).DefaultTimeout();

        await Store.PurgeAttendeeDataAsync(Code, StoreTestData.Start.AddMinutes(30), Ct).DefaultTimeout();

        var again = StoreTestData.Ask(Code, "again", "asker-a", minute: 70);
        Assert.False((await Store.AddQuestionOnceAsync(again, "request-2", Ct).DefaultTimeout()).Created);
        Assert.True((await Store.AddQuestionOnceAsync(again, "request-1", Ct).DefaultTimeout()).Created);
    }

    [Fact]
    public async Task A_vote_moved_by_a_merge_keeps_its_date()
    {
        await CreateEventAsync();
        var source = await AddApprovedAsync("source", "asker-a", minute: 1);
        var target = await AddApprovedAsync("target", "asker-b", minute: 2);
        Clock.SetUtcNow(StoreTestData.Start.AddMinutes(5));
        await Store.VoteAsync(Code, "source", "voter-old", Ct).DefaultTimeout();
        Clock.SetUtcNow(StoreTestData.Start.AddMinutes(60));
        await Store.VoteAsync(Code, "source", "voter-new", Ct).DefaultTimeout();
        var at = StoreTestData.Start.AddMinutes(61);
        await Store.MergeQuestionsAsync(source.MergeInto(target, at), source.Revision, target.AbsorbMerge(at), target.Revision, Ct)
            .DefaultTimeout();

        await Store.PurgeAttendeeDataAsync(Code, StoreTestData.Start.AddMinutes(30), Ct).DefaultTimeout();

        Assert.Empty((await Store.ReadAttendeeViewAsync(Code, "voter-old", Ct).DefaultTimeout())!.VotedQuestionIds);
        Assert.Equal(["target"], (await Store.ReadAttendeeViewAsync(Code, "voter-new", Ct).DefaultTimeout())!.VotedQuestionIds);
    }

    [Fact]
    public async Task Purge_redacts_the_audit_entries_of_deleted_questions_and_keeps_who_and_when()
    {
        await CreateEventAsync();
        var rejected = await AddQuestionAsync("rejected", "asker-c", minute: 3);
        await Store.ReplaceQuestionAsync(rejected.Reject(rejected.CreatedAt.AddMinutes(1)), rejected.Revision, Ct).DefaultTimeout();
        var approved = await AddApprovedAsync("approved", "asker-a", minute: 1);
        var at = StoreTestData.Start.AddMinutes(5);
        const string typed = """{"id":"rejected","text":"Secret words","originalText":null,"authorName":"Ann","status":"rejected"}""";
        const string kept = """{"id":"approved","text":"Public words","authorName":"Bob","status":"approved"}""";
        await Store.AppendAuditAsync(new AuditEntry(Code, at, "Moderator", "reject", "rejected", typed, typed), Ct).DefaultTimeout();
        await Store.AppendAuditAsync(new AuditEntry(Code, at, "Moderator", "approve", approved.Id, kept, kept), Ct).DefaultTimeout();

        await Store.PurgeAttendeeDataAsync(Code, changedBefore: null, Ct).DefaultTimeout();

        var audit = await Store.ListAuditAsync(Code, 10, Ct).DefaultTimeout();
        Assert.Equal(kept, audit[0].After);
        var redacted = audit[1];
        Assert.Equal(("Moderator", "reject", "rejected", at), (redacted.Actor, redacted.Action, redacted.QuestionId, redacted.At));
        foreach (var json in new[] { redacted.Before!, redacted.After! })
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            Assert.Equal(AuditRedaction.Purged, document.RootElement.GetProperty("text").GetString());
            Assert.Equal(AuditRedaction.Purged, document.RootElement.GetProperty("authorName").GetString());
            Assert.Equal(System.Text.Json.JsonValueKind.Null, document.RootElement.GetProperty("originalText").ValueKind);
            Assert.Equal("rejected", document.RootElement.GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Everything_written_is_still_there_after_reopening()
    {
        var definition = await CreateEventAsync();
        var now = StoreTestData.Start.AddMinutes(15);
        await AddApprovedAsync("approved", "asker-a", minute: 1);
        var answered = await AddApprovedAsync("answered", "asker-b", minute: 2);
        await Store.ReplaceQuestionAsync(answered.MarkAnswered(now), answered.Revision, Ct).DefaultTimeout();
        await AddQuestionAsync("pending", "asker-a", minute: 3);
        await Store.VoteAsync(Code, "approved", "asker-a", Ct).DefaultTimeout();
        await Store.VoteAsync(Code, "approved", "voter-c", Ct).DefaultTimeout();
        var initial = LiveState.Initial(definition);
        await Store.ReplaceLiveAsync(Code, initial.NextSlot(definition, now), initial.Revision, Ct).DefaultTimeout();
        var key = new ModeratorKey("hash-1", Code, "Moderator 1", now);
        await Store.AddModeratorKeyAsync(key, replaceExisting: false, Ct).DefaultTimeout();
        var audit = new AuditEntry(Code, now, "Moderator 1", "approve", "approved", "{}", "{}");
        await Store.AppendAuditAsync(audit, Ct).DefaultTimeout();
        var eventBefore = await GetEventAsync();
        var questionsBefore = await Store.ListQuestionsAsync(Code, null, Ct).DefaultTimeout();
        var viewBefore = await Store.ReadAttendeeViewAsync(Code, "asker-a", Ct).DefaultTimeout();

        await ReopenAsync();

        Assert.Equal([Code], await Store.ListEventCodesAsync(Ct).DefaultTimeout());
        var eventAfter = await GetEventAsync();
        Assert.Equivalent(eventBefore, eventAfter, strict: true);
        Assert.Equal(eventBefore.Live, eventAfter.Live);
        Assert.Equal(questionsBefore, await Store.ListQuestionsAsync(Code, null, Ct).DefaultTimeout());
        var viewAfter = await Store.ReadAttendeeViewAsync(Code, "asker-a", Ct).DefaultTimeout();
        Assert.Equal(viewBefore?.Questions ?? [], viewAfter?.Questions ?? []);
        Assert.Equal(["approved"], viewAfter?.VotedQuestionIds ?? []);
        Assert.Equal(key, await Store.FindModeratorKeyAsync("hash-1", Ct).DefaultTimeout());
        Assert.Equal([audit], await Store.ListAuditAsync(Code, 10, Ct).DefaultTimeout());
        Assert.Equal(VoteOutcome.Unchanged, (await Store.VoteAsync(Code, "approved", "voter-c", Ct).DefaultTimeout()).Outcome);
        Assert.Equal(eventBefore.Seq,
            await Store.AddQuestionAsync(StoreTestData.Ask(Code, "after-restart", "asker-d"), Ct).DefaultTimeout());
        Assert.Equal(eventBefore.Seq + 1,
            await Store.ReplaceLiveAsync(Code, eventBefore.Live with { QaOpen = !eventBefore.Live.QaOpen, Revision = eventBefore.Live.Revision + 1 },
                eventBefore.Live.Revision, Ct).DefaultTimeout());
        Assert.True(await Store.IsReachableAsync(Ct).DefaultTimeout());
    }

    [Fact]
    public async Task A_display_key_is_made_once_per_event_kept_across_restarts_and_replaced_on_rotation()
    {
        await CreateEventAsync(Code);
        await CreateEventAsync(OtherCode);
        var displays = (IDisplayKeyStore)Store;
        Assert.Null(await displays.FindDisplayKeyAsync(Code, Ct).DefaultTimeout());

        var first = await displays.GetOrAddDisplayKeyAsync(Code, "first-candidate", Ct).DefaultTimeout();
        var second = await displays.GetOrAddDisplayKeyAsync(Code, "second-candidate", Ct).DefaultTimeout();
        var other = await displays.GetOrAddDisplayKeyAsync(OtherCode, "other-candidate", Ct).DefaultTimeout();

        Assert.Equal("first-candidate", first);
        Assert.Equal("first-candidate", second);
        Assert.Equal("other-candidate", other);
        await ReopenAsync();
        displays = (IDisplayKeyStore)Store;
        Assert.Equal("first-candidate", await displays.FindDisplayKeyAsync(Code, Ct).DefaultTimeout());

        await displays.ReplaceDisplayKeyAsync(Code, "rotated", Ct).DefaultTimeout();
        Assert.Equal("rotated", await displays.FindDisplayKeyAsync(Code, Ct).DefaultTimeout());
        Assert.Equal("rotated", await displays.GetOrAddDisplayKeyAsync(Code, "late-candidate", Ct).DefaultTimeout());
        Assert.Equal("other-candidate", await displays.FindDisplayKeyAsync(OtherCode, Ct).DefaultTimeout());
    }

    protected async Task ReopenAsync()
    {
        _store = await ReopenStoreAsync(Store).DefaultTimeout();
        await _store.InitializeAsync(Ct).DefaultTimeout();
    }

    private async Task AssertMergeConflictChangesNothingAsync(bool staleSource)
    {
        await CreateEventAsync();
        var source = await AddApprovedAsync("source");
        var target = await AddApprovedAsync("target");
        await Store.VoteAsync(Code, "source", "a", Ct).DefaultTimeout();
        await Store.VoteAsync(Code, "target", "b", Ct).DefaultTimeout();
        var sourceBefore = await Store.GetQuestionAsync(Code, "source", Ct).DefaultTimeout();
        var targetBefore = await Store.GetQuestionAsync(Code, "target", Ct).DefaultTimeout();
        var seq = await SeqAsync();
        var now = StoreTestData.Start.AddMinutes(6);

        await AssertFailsAsync(ErrorCodes.Conflict, () => Store.MergeQuestionsAsync(
            source.MergeInto(target, now), staleSource ? source.Revision - 1 : source.Revision,
            target.AbsorbMerge(now), staleSource ? target.Revision : target.Revision - 1, Ct));

        Assert.Equal(sourceBefore, await Store.GetQuestionAsync(Code, "source", Ct).DefaultTimeout());
        Assert.Equal(targetBefore, await Store.GetQuestionAsync(Code, "target", Ct).DefaultTimeout());
        Assert.Equal(seq, await SeqAsync());
        var viewOfA = await Store.ReadAttendeeViewAsync(Code, "a", Ct).DefaultTimeout();
        Assert.Equal(["source"], viewOfA?.VotedQuestionIds ?? []);
    }

    [Fact]
    public async Task A_request_id_used_again_by_the_same_asker_returns_the_first_question_and_writes_nothing()
    {
        await CreateEventAsync();
        var first = await Store.AddQuestionOnceAsync(StoreTestData.Ask(Code, "q1", "asker-1"), "req-1", Ct).DefaultTimeout();
        var seq = await SeqAsync();

        var again = await Store.AddQuestionOnceAsync(StoreTestData.Ask(Code, "q2", "asker-1", minute: 1), "req-1", Ct).DefaultTimeout();

        Assert.True(first.Created);
        Assert.Equal(seq, first.Seq);
        Assert.False(again.Created);
        Assert.Equal("q1", again.Question.Id);
        Assert.Equal(first.Question.Text, again.Question.Text);
        Assert.Equal(seq, again.Seq);
        Assert.Equal(seq, await SeqAsync());
        Assert.Equal(["q1"], (await Store.ListQuestionsAsync(Code, null, Ct).DefaultTimeout()).Select(q => q.Id));
    }

    [Fact]
    public async Task A_request_id_belongs_to_its_asker_and_a_new_one_adds_a_question()
    {
        await CreateEventAsync();
        await Store.AddQuestionOnceAsync(StoreTestData.Ask(Code, "q1", "asker-1"), "req-1", Ct).DefaultTimeout();

        var otherAsker = await Store.AddQuestionOnceAsync(StoreTestData.Ask(Code, "q2", "asker-2"), "req-1", Ct).DefaultTimeout();
        var otherRequest = await Store.AddQuestionOnceAsync(StoreTestData.Ask(Code, "q3", "asker-1"), "req-2", Ct).DefaultTimeout();

        Assert.True(otherAsker.Created);
        Assert.True(otherRequest.Created);
        Assert.Equal(3, (await Store.ListQuestionsAsync(Code, null, Ct).DefaultTimeout()).Count);
    }

    [Fact]
    public async Task Concurrent_asks_with_one_request_id_store_exactly_one_question()
    {
        await CreateEventAsync();
        var seq = await SeqAsync();

        var results = await Task.WhenAll(Enumerable.Range(1, 20).Select(i =>
            Store.AddQuestionOnceAsync(StoreTestData.Ask(Code, $"q{i}", "asker-1"), "same-request", Ct))).DefaultTimeout();

        var created = Assert.Single(results, r => r.Created);
        Assert.All(results, r => Assert.Equal(created.Question.Id, r.Question.Id));
        Assert.Equal([created.Question.Id], (await Store.ListQuestionsAsync(Code, null, Ct).DefaultTimeout()).Select(q => q.Id));
        Assert.InRange(await SeqAsync(), seq, seq + 1);
    }

    [Fact]
    public async Task A_purge_forgets_request_ids_with_the_askers()
    {
        await CreateEventAsync();
        await Store.AddQuestionOnceAsync(StoreTestData.Ask(Code, "q1", "asker-1"), "req-1", Ct).DefaultTimeout();

        await Store.PurgeAttendeeDataAsync(Code, changedBefore: null, Ct).DefaultTimeout();
        var after = await Store.AddQuestionOnceAsync(StoreTestData.Ask(Code, "q2", "asker-1"), "req-1", Ct).DefaultTimeout();

        Assert.True(after.Created);
        Assert.Equal("q2", after.Question.Id);
    }

    [Fact]
    public async Task A_request_id_on_an_unknown_event_is_event_not_found()
    {
        await AssertFailsAsync(ErrorCodes.EventNotFound,
            () => Store.AddQuestionOnceAsync(StoreTestData.Ask("nope", "q1", "asker-1"), "req-1", Ct));
    }

    private async Task<EventDefinition> CreateEventAsync(string code = Code)
    {
        var definition = StoreTestData.Event(code);
        Assert.True(await Store.TryCreateEventAsync(definition, LiveState.Initial(definition), Ct).DefaultTimeout());
        return definition;
    }

    private async Task<Question> AddQuestionAsync(string id, string askerId = "asker-1", int minute = 0)
    {
        var question = StoreTestData.Ask(Code, id, askerId, minute);
        await Store.AddQuestionAsync(question, Ct).DefaultTimeout();
        return question;
    }

    private async Task<Question> AddApprovedAsync(string id, string askerId = "asker-1", int minute = 0)
    {
        var question = await AddQuestionAsync(id, askerId, minute);
        var approved = question.Approve(question.CreatedAt.AddSeconds(30));
        await Store.ReplaceQuestionAsync(approved, question.Revision, Ct).DefaultTimeout();
        return approved;
    }

    private async Task<EventLive> GetEventAsync()
    {
        var stored = await Store.GetLiveAsync(Code, Ct).DefaultTimeout();
        Assert.NotNull(stored);
        return stored;
    }

    private async Task<EventDefinition> GetDefinitionAsync()
    {
        var stored = await Store.GetDefinitionAsync(Code, Ct).DefaultTimeout();
        Assert.NotNull(stored);
        return stored;
    }

    private async Task<long> SeqAsync() => (await GetEventAsync()).Seq;

    private static async Task AssertFailsAsync(string code, Func<Task> write)
    {
        var error = await Assert.ThrowsAsync<LiveSessionException>(write).DefaultTimeout();
        Assert.Equal(code, error.Code);
    }
}
