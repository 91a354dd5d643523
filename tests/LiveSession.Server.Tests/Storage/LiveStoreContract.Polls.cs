using LiveSession.Domain.Errors;
using LiveSession.Domain.Polls;
using LiveSession.Domain.Questions;
using LiveSession.Server.Storage;

namespace LiveSession.Server.Tests.Storage;

/// <summary>What every store must do with polls (<see cref="IPollStore"/>), run against both stores.</summary>
public abstract partial class LiveStoreContract
{
    private IPollStore Polls => Assert.IsAssignableFrom<IPollStore>(Store);

    private static Poll NewPoll(string id, string kind = "single", int? maxChoices = null) =>
        Poll.Draft(id, Code, PollDefinition.Create("Which way forward?", kind, kind == "words" ? null : ["Ban", "Regulate", "Allow"],
            maxChoices, new PollLimits()), StoreTestData.Start);

    private async Task<Poll> OpenPollAsync(string id, string kind = "single", int? maxChoices = null)
    {
        var draft = NewPoll(id, kind, maxChoices);
        await Polls.AddPollAsync(draft, Ct).DefaultTimeout();
        var open = draft.Open(StoreTestData.Start);
        await Polls.ReplacePollAsync(open, draft.Revision, advanceSeq: true, Ct).DefaultTimeout();
        return open;
    }

    private Task<PollAnswerOutcome> AnswerAsync(string pollId, string attendee, QuestionOrigin origin, string[]? choices = null, string[]? words = null) =>
        Polls.AnswerPollAsync(Code, pollId, attendee, origin, new PollAnswer(choices ?? [], words ?? []), Ct).DefaultTimeout();

    private async Task<PollResults> ResultsAsync(string pollId) =>
        (await Polls.GetPollResultsAsync(Code, [pollId], Ct).DefaultTimeout())[pollId];

    [Fact]
    public async Task A_draft_is_stored_without_a_seq_and_a_public_change_takes_one()
    {
        await CreateEventAsync();
        var draft = NewPoll("p_1");
        await Polls.AddPollAsync(draft, Ct).DefaultTimeout();
        Assert.Equal(0, (await Store.GetLiveAsync(Code, Ct).DefaultTimeout())!.Seq);
        Assert.Equal(draft.Definition.Choices, (await Polls.GetPollAsync(Code, "p_1", Ct).DefaultTimeout())!.Choices);

        var edited = draft.Edit(PollDefinition.Create("Reworded?", "multiple", ["A", "B"], null, new PollLimits()));
        Assert.Equal(0, await Polls.ReplacePollAsync(edited, draft.Revision, advanceSeq: false, Ct).DefaultTimeout());
        var open = edited.Open(StoreTestData.Start);
        Assert.Equal(1, await Polls.ReplacePollAsync(open, edited.Revision, advanceSeq: true, Ct).DefaultTimeout());

        var stored = await Polls.GetPollAsync(Code, "p_1", Ct).DefaultTimeout();
        Assert.Equal((PollStatus.Open, 3, "Reworded?", PollKind.Multiple), (stored!.Status, stored.Revision, stored.Question, stored.Kind));
        Assert.Equal(1, (await Store.GetLiveAsync(Code, Ct).DefaultTimeout())!.Seq);
    }

    [Fact]
    public async Task Polls_are_listed_oldest_first_per_event()
    {
        await CreateEventAsync();
        await CreateEventAsync(OtherCode);
        await Polls.AddPollAsync(NewPoll("p_b"), Ct).DefaultTimeout();
        await Polls.AddPollAsync(NewPoll("p_a") with { CreatedAt = StoreTestData.Start.AddMinutes(1) }, Ct).DefaultTimeout();
        Assert.Equal(["p_b", "p_a"], (await Polls.ListPollsAsync(Code, Ct).DefaultTimeout()).Select(p => p.Id));
        Assert.Empty(await Polls.ListPollsAsync(OtherCode, Ct).DefaultTimeout());
    }

    [Fact]
    public async Task Poll_writes_refuse_unknown_events_duplicates_stale_revisions_and_unknown_polls()
    {
        await AssertFailsAsync(ErrorCodes.EventNotFound, () => Polls.AddPollAsync(NewPoll("p_1"), Ct));
        await CreateEventAsync();
        var draft = NewPoll("p_1");
        await Polls.AddPollAsync(draft, Ct).DefaultTimeout();
        await AssertFailsAsync(ErrorCodes.Conflict, () => Polls.AddPollAsync(draft, Ct));
        await AssertFailsAsync(ErrorCodes.Conflict, () => Polls.ReplacePollAsync(draft.Open(StoreTestData.Start), 7, true, Ct));
        await AssertFailsAsync(ErrorCodes.NotFound, () => Polls.ReplacePollAsync(NewPoll("p_2").Open(StoreTestData.Start), 1, true, Ct));
        await AssertFailsAsync(ErrorCodes.Conflict, () => Polls.DeletePollAsync(Code, "p_1", 7, false, Ct));
        await AssertFailsAsync(ErrorCodes.NotFound, () => Polls.DeletePollAsync(Code, "p_2", 1, false, Ct));

        Assert.Equal(0, (await Store.GetLiveAsync(Code, Ct).DefaultTimeout())!.Seq);
        Assert.Equal(PollStatus.Draft, (await Polls.GetPollAsync(Code, "p_1", Ct).DefaultTimeout())!.Status);
    }

    [Fact]
    public async Task Only_an_open_poll_takes_answers()
    {
        await CreateEventAsync();
        var draft = NewPoll("p_1");
        await Polls.AddPollAsync(draft, Ct).DefaultTimeout();
        Assert.Equal(PollAnswerOutcome.NotFound, await AnswerAsync("p_1", "a1", QuestionOrigin.Room, ["c1"]));
        Assert.Equal(PollAnswerOutcome.NotFound, await AnswerAsync("p_nope", "a1", QuestionOrigin.Room, ["c1"]));

        var open = draft.Open(StoreTestData.Start);
        await Polls.ReplacePollAsync(open, draft.Revision, true, Ct).DefaultTimeout();
        Assert.Equal(PollAnswerOutcome.Stored, await AnswerAsync("p_1", "a1", QuestionOrigin.Room, ["c1"]));
        var closed = open.Close(StoreTestData.Start);
        await Polls.ReplacePollAsync(closed, open.Revision, true, Ct).DefaultTimeout();
        Assert.Equal(PollAnswerOutcome.Closed, await AnswerAsync("p_1", "a1", QuestionOrigin.Room, ["c2"]));

        var results = await ResultsAsync("p_1");
        Assert.Equal((1, 1), (results.Room.Total, results.Room.Counts["c1"]));
        Assert.False(results.Room.Counts.ContainsKey("c2"));
        Assert.Equal(["c1"], (await Polls.GetPollAnswersAsync(Code, "a1", Ct).DefaultTimeout())["p_1"].ChoiceIds);
    }

    [Fact]
    public async Task A_new_answer_replaces_the_old_one_and_counts_stay_exact_by_origin()
    {
        await CreateEventAsync();
        await OpenPollAsync("p_1", "multiple");
        await AnswerAsync("p_1", "a1", QuestionOrigin.Room, ["c1", "c2"]);
        await AnswerAsync("p_1", "a2", QuestionOrigin.Remote, ["c1"]);
        await AnswerAsync("p_1", "a1", QuestionOrigin.Room, ["c3"]);
        await AnswerAsync("p_1", "a1", QuestionOrigin.Room, ["c3"]);

        var results = await ResultsAsync("p_1");
        Assert.Equal(1, results.Room.Total);
        Assert.Equal(new Dictionary<string, int> { ["c3"] = 1 }, results.Room.Counts);
        Assert.Equal(1, results.Remote.Total);
        Assert.Equal(new Dictionary<string, int> { ["c1"] = 1 }, results.Remote.Counts);
        Assert.Equal(["c3"], (await Polls.GetPollAnswersAsync(Code, "a1", Ct).DefaultTimeout())["p_1"].ChoiceIds);
        Assert.Equal(1, (await Store.GetLiveAsync(Code, Ct).DefaultTimeout())!.Seq); // only the opening took a seq
    }

    [Fact]
    public async Task An_answer_given_again_from_the_other_origin_moves_every_count_to_it()
    {
        await CreateEventAsync();
        await OpenPollAsync("p_1", "multiple");
        await AnswerAsync("p_1", "a1", QuestionOrigin.Room, ["c1", "c2"]);
        await AnswerAsync("p_1", "a2", QuestionOrigin.Room, ["c1"]);
        await AnswerAsync("p_1", "a1", QuestionOrigin.Remote, ["c1", "c3"]);

        var results = await ResultsAsync("p_1");
        Assert.Equal(1, results.Room.Total);
        Assert.Equal(new Dictionary<string, int> { ["c1"] = 1 }, results.Room.Counts);
        Assert.Equal(1, results.Remote.Total);
        Assert.Equal(new Dictionary<string, int> { ["c1"] = 1, ["c3"] = 1 }, results.Remote.Counts);
        Assert.Equal(2, results.Combined(100).Total);
    }

    [Fact]
    public async Task Word_variants_count_as_one_word_shown_as_first_typed()
    {
        await CreateEventAsync();
        await OpenPollAsync("p_w", "words");
        await AnswerAsync("p_w", "a1", QuestionOrigin.Room, words: ["Privacy", "open"]);
        await AnswerAsync("p_w", "a2", QuestionOrigin.Remote, words: ["privacy"]);
        await AnswerAsync("p_w", "a3", QuestionOrigin.Remote, words: ["PRIVACY"]);
        await AnswerAsync("p_w", "a1", QuestionOrigin.Room, words: ["Privacy"]);

        var results = await ResultsAsync("p_w");
        Assert.Equal([new WordCount("Privacy", 1)], results.Room.Words);
        Assert.Equal([new WordCount("Privacy", 2)], results.Remote.Words);
        Assert.Equal([new WordCount("Privacy", 3)], results.Combined(100).Words);
        Assert.Equal(3, results.Combined(100).Total);
    }

    [Fact]
    public async Task Concurrent_answers_are_each_counted_once()
    {
        await CreateEventAsync();
        await OpenPollAsync("p_1");
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            AnswerAsync("p_1", $"a{i % 20}", i % 2 == 0 ? QuestionOrigin.Room : QuestionOrigin.Remote, [i < 20 ? "c1" : "c2"])));

        var combined = (await ResultsAsync("p_1")).Combined(100);
        Assert.Equal(20, combined.Total);
        Assert.Equal(20, combined.Counts.Values.Sum());
    }

    [Fact]
    public async Task Forgetting_answerers_keeps_the_counts()
    {
        await CreateEventAsync();
        await OpenPollAsync("p_1");
        await AnswerAsync("p_1", "a1", QuestionOrigin.Room, ["c1"]);
        await AnswerAsync("p_1", "a2", QuestionOrigin.Remote, ["c2"]);

        Assert.Equal(2, await Polls.ForgetPollAnswerersAsync(Code, answeredBefore: null, Ct).DefaultTimeout());
        Assert.Empty(await Polls.GetPollAnswersAsync(Code, "a1", Ct).DefaultTimeout());
        var combined = (await ResultsAsync("p_1")).Combined(100);
        Assert.Equal((2, 1, 1), (combined.Total, combined.Counts["c1"], combined.Counts["c2"]));
        Assert.Equal(0, await Polls.ForgetPollAnswerersAsync(Code, answeredBefore: null, Ct).DefaultTimeout());
    }

    [Fact]
    public async Task Forgetting_answerers_before_a_cutoff_keeps_the_recent_answers()
    {
        await CreateEventAsync();
        await OpenPollAsync("p_1");
        await OpenPollAsync("p_2");
        await AnswerAsync("p_1", "a1", QuestionOrigin.Room, ["c1"]);
        await AnswerAsync("p_2", "a2", QuestionOrigin.Room, ["c1"]);
        Clock.Advance(TimeSpan.FromHours(2));
        await AnswerAsync("p_1", "a2", QuestionOrigin.Remote, ["c2"]);
        await AnswerAsync("p_2", "a1", QuestionOrigin.Remote, ["c2"]);
        var cutoff = Clock.GetUtcNow().AddHours(-1);

        Assert.Equal(2, await Polls.ForgetPollAnswerersAsync(Code, cutoff, Ct).DefaultTimeout());

        Assert.Equal(["p_2"], (await Polls.GetPollAnswersAsync(Code, "a1", Ct).DefaultTimeout()).Keys);
        Assert.Equal(["p_1"], (await Polls.GetPollAnswersAsync(Code, "a2", Ct).DefaultTimeout()).Keys);
        Assert.Equal(2, (await ResultsAsync("p_1")).Combined(100).Total);
        Assert.Equal(0, await Polls.ForgetPollAnswerersAsync(Code, cutoff, Ct).DefaultTimeout());

        // Answering again dates the answer anew.
        Clock.Advance(TimeSpan.FromHours(2));
        await AnswerAsync("p_2", "a1", QuestionOrigin.Remote, ["c1"]);
        Assert.Equal(1, await Polls.ForgetPollAnswerersAsync(Code, Clock.GetUtcNow().AddHours(-1), Ct).DefaultTimeout());
        Assert.Equal(["p_2"], (await Polls.GetPollAnswersAsync(Code, "a1", Ct).DefaultTimeout()).Keys);
    }

    [Fact]
    public async Task Deleting_a_poll_takes_its_answers_and_counts()
    {
        await CreateEventAsync();
        var open = await OpenPollAsync("p_1");
        await AnswerAsync("p_1", "a1", QuestionOrigin.Room, ["c1"]);
        var closed = open.Close(StoreTestData.Start);
        await Polls.ReplacePollAsync(closed, open.Revision, true, Ct).DefaultTimeout();

        Assert.Equal(3, await Polls.DeletePollAsync(Code, "p_1", closed.Revision, advanceSeq: true, Ct).DefaultTimeout());
        Assert.Null(await Polls.GetPollAsync(Code, "p_1", Ct).DefaultTimeout());
        Assert.Empty(await Polls.GetPollResultsAsync(Code, ["p_1"], Ct).DefaultTimeout());
        Assert.Empty(await Polls.GetPollAnswersAsync(Code, "a1", Ct).DefaultTimeout());
        Assert.Empty(await Polls.ListPollsAsync(Code, Ct).DefaultTimeout());
    }

    [Fact]
    public async Task Polls_answers_and_counts_survive_a_restart()
    {
        await CreateEventAsync();
        await OpenPollAsync("p_1");
        await AnswerAsync("p_1", "a1", QuestionOrigin.Remote, ["c2"]);

        await ReopenAsync();

        Assert.Equal(PollStatus.Open, (await Polls.GetPollAsync(Code, "p_1", Ct).DefaultTimeout())!.Status);
        Assert.Equal(1, (await ResultsAsync("p_1")).Remote.Counts["c2"]);
        Assert.Equal(PollAnswerOutcome.Stored, await AnswerAsync("p_1", "a1", QuestionOrigin.Remote, ["c1"]));
        Assert.Equal(new Dictionary<string, int> { ["c1"] = 1 }, (await ResultsAsync("p_1")).Remote.Counts);
    }
}
