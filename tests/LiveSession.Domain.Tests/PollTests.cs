using LiveSession.Domain.Errors;
using LiveSession.Domain.Live;
using LiveSession.Domain.Polls;

namespace LiveSession.Domain.Tests;

public class PollTests
{
    private static readonly PollLimits Limits = new();
    private static readonly DateTimeOffset Now = new(2026, 5, 4, 9, 0, 0, TimeSpan.Zero);

    private static Poll Draft(string kind = "single", string[]? choices = null, int? maxChoices = null) =>
        Poll.Draft("p_1", "demo", PollDefinition.Create("Which talk next?", kind, choices ?? (kind == "words" ? null : ["Rust", "Go", "C#"]), maxChoices, Limits), Now);

    private static string CodeOf(Action action) => Assert.Throws<LiveSessionException>(action).Code;

    [Fact]
    public void A_draft_opens_closes_and_reopens_with_the_first_opening_time_kept()
    {
        var draft = Draft();
        var open = draft.Open(Now.AddMinutes(1));
        var closed = open.Close(Now.AddMinutes(2));
        var reopened = closed.Open(Now.AddMinutes(3));

        Assert.Equal((PollStatus.Draft, 1), (draft.Status, draft.Revision));
        Assert.Equal((PollStatus.Open, 2, Now.AddMinutes(1)), (open.Status, open.Revision, open.OpenedAt));
        Assert.Equal((PollStatus.Closed, 3, Now.AddMinutes(2)), (closed.Status, closed.Revision, closed.ClosedAt));
        Assert.Equal((PollStatus.Open, 4, Now.AddMinutes(1), (DateTimeOffset?)null), (reopened.Status, reopened.Revision, reopened.OpenedAt, reopened.ClosedAt));
    }

    [Fact]
    public void Repeating_a_transition_changes_nothing()
    {
        var open = Draft().Open(Now);
        Assert.Same(open, open.Open(Now));
        var closed = open.Close(Now);
        Assert.Same(closed, closed.Close(Now));
        Assert.Same(closed, closed.WithResultsVisible(false));
    }

    [Fact]
    public void Results_can_be_shown_and_hidden_in_any_status()
    {
        foreach (var poll in new[] { Draft(), Draft().Open(Now), Draft().Open(Now).Close(Now) })
        {
            var shown = poll.WithResultsVisible(true);
            Assert.True(shown.ResultsVisible);
            Assert.Equal(poll.Status, shown.Status);
            Assert.False(shown.WithResultsVisible(false).ResultsVisible);
        }
    }

    [Fact]
    public void Only_drafts_are_edited_a_draft_is_not_closed_and_an_open_poll_is_not_deleted()
    {
        var edit = PollDefinition.Create("New wording?", "multiple", ["A", "B"], null, Limits);
        Assert.Equal("New wording?", Draft().Edit(edit).Question);
        Assert.Equal(ErrorCodes.InvalidState, CodeOf(() => Draft().Open(Now).Edit(edit)));
        Assert.Equal(ErrorCodes.InvalidState, CodeOf(() => Draft().Open(Now).Close(Now).Edit(edit)));
        Assert.Equal(ErrorCodes.InvalidState, CodeOf(() => Draft().Close(Now)));
        Assert.Equal(ErrorCodes.InvalidState, CodeOf(() => Draft().Open(Now).EnsureDeletable()));
        Draft().EnsureDeletable();
        Draft().Open(Now).Close(Now).EnsureDeletable();
    }

    [Fact]
    public void Choices_get_ids_in_order_and_are_cleaned()
    {
        var definition = PollDefinition.Create("  Best   language? ", "multiple", [" Rust ", "Go\u200B", "C#"], 2, Limits);
        Assert.Equal("Best language?", definition.Question);
        Assert.Equal(["c1", "c2", "c3"], definition.Choices.Select(c => c.Id));
        Assert.Equal(["Rust", "Go", "C#"], definition.Choices.Select(c => c.Text));
        Assert.Equal(2, definition.MaxChoices);
        Assert.Equal(3, PollDefinition.Create("Pick some?", "multiple", ["A", "B", "C"], null, Limits).MaxChoices);
        Assert.Equal(1, PollDefinition.Create("Pick one?", "single", ["A", "B"], null, Limits).MaxChoices);
        Assert.Equal(3, PollDefinition.Create("One word?", "words", null, null, Limits).MaxChoices);
    }

    public static TheoryData<string?, string?, string?[]?, int?> InvalidDefinitions => new()
    {
        { "Hi", "single", new string?[] { "A", "B" }, null },                              // question too short
        { new string('x', 301), "single", new string?[] { "A", "B" }, null },             // question too long
        { "\u200B\u200B\u200B\u200B", "single", new string?[] { "A", "B" }, null },       // blank once cleaned
        { null, "single", new string?[] { "A", "B" }, null },
        { "Question?", "ranking", new string?[] { "A", "B" }, null },                     // unknown kind
        { "Question?", null, new string?[] { "A", "B" }, null },
        { "Question?", "1", new string?[] { "A", "B" }, null },                            // enum number
        { "Question?", "single", new string?[] { "A" }, null },                           // one choice
        { "Question?", "single", Enumerable.Range(1, 11).Select(i => (string?)$"c{i}").ToArray(), null },
        { "Question?", "single", null, null },
        { "Question?", "single", new string?[] { "A", "" }, null },                       // empty choice
        { "Question?", "single", new string?[] { "A", null }, null },
        { "Question?", "single", new string?[] { "A", new string('b', 121) }, null },    // choice too long
        { "Question?", "single", new string?[] { "Yes", " yes" }, null },                 // twice
        { "Question?", "single", new string?[] { "A", "B" }, 2 },                         // single takes one
        { "Question?", "multiple", new string?[] { "A", "B" }, 3 },                       // more than choices
        { "Question?", "multiple", new string?[] { "A", "B" }, 0 },
        { "Question?", "words", new string?[] { "A", "B" }, null },                       // words have no choices
        { "Question?", "words", null, 4 },
        { "Question?", "words", null, 0 },
    };

    [Theory]
    [MemberData(nameof(InvalidDefinitions))]
    public void Invalid_definitions_are_refused_with_invalid_poll(string? question, string? kind, string?[]? choices, int? maxChoices) =>
        Assert.Equal(ErrorCodes.InvalidPoll, CodeOf(() => PollDefinition.Create(question, kind, choices, maxChoices, Limits)));

    [Fact]
    public void Answers_keep_the_polls_choice_order()
    {
        var poll = Draft("multiple", ["A", "B", "C"]);
        Assert.Equal(["c1", "c3"], PollAnswer.Validate(poll, ["c3", "c1"], null, Limits).ChoiceIds);
        Assert.Equal(["c2"], PollAnswer.Validate(Draft(), ["c2"], [], Limits).ChoiceIds);
    }

    public static TheoryData<string, string?[]?, string?[]?> InvalidAnswers => new()
    {
        { "single", null, null },
        { "single", new string?[] { }, null },
        { "single", new string?[] { "c1", "c2" }, null },          // single takes one
        { "single", new string?[] { "c9" }, null },                // unknown choice
        { "single", new string?[] { null }, null },
        { "single", new string?[] { "c1" }, new string?[] { "x" } }, // words on a choice poll
        { "multiple", new string?[] { "c1", "c1" }, null },        // twice
        { "multiple", new string?[] { "c1", "c2", "c3" }, null },  // more than maxChoices (2)
        { "words", null, null },
        { "words", new string?[] { "c1" }, new string?[] { "a" } }, // choices on a word cloud
        { "words", null, new string?[] { } },
        { "words", null, new string?[] { "a", "b", "c", "d" } },   // more than 3
        { "words", null, new string?[] { new string('w', 41) } },   // too long
        { "words", null, new string?[] { "\u200B\u2060" } },        // blank once cleaned
        { "words", null, new string?[] { null } },
        { "words", null, new string?[] { "e\u0301" + new string('\u0301', 200) } }, // raw bound
    };

    [Theory]
    [MemberData(nameof(InvalidAnswers))]
    public void Invalid_answers_are_refused_with_invalid_answer(string kind, string?[]? choiceIds, string?[]? words)
    {
        var poll = kind switch
        {
            "words" => Draft("words"),
            "multiple" => Draft("multiple", ["A", "B", "C"], 2),
            _ => Draft(kind),
        };
        Assert.Equal(ErrorCodes.InvalidAnswer, CodeOf(() => PollAnswer.Validate(poll, choiceIds, words, Limits)));
    }

    [Fact]
    public void Words_are_cleaned_kept_as_text_and_variants_in_one_answer_count_once()
    {
        var answer = PollAnswer.Validate(Draft("words"), null, ["  Privacy ", "PRIVACY", "<b>open</b>"], Limits);
        Assert.Equal(["Privacy", "<b>open</b>"], answer.Words);
    }

    [Fact]
    public void Word_variants_share_one_normal_form()
    {
        Assert.Equal(WordForm.Normal("Privacy"), WordForm.Normal("privacy "));
        Assert.Equal(WordForm.Normal("Privacy"), WordForm.Normal("PRIVACY"));
        Assert.Equal(WordForm.Normal("Caf\u00E9"), WordForm.Normal("CAFE\u0301"));
        Assert.NotEqual(WordForm.Normal("privacy"), WordForm.Normal("privat"));
    }

    [Fact]
    public void Combined_results_add_both_origins_and_merge_words_by_normal_form()
    {
        var results = new PollResults(
            new PollTally(2, new Dictionary<string, int> { ["c1"] = 2 }, [new WordCount("Privacy", 2), new WordCount("open", 1)]),
            new PollTally(3, new Dictionary<string, int> { ["c1"] = 1, ["c2"] = 2 }, [new WordCount("PRIVACY", 3)]));
        var combined = results.Combined(maxWords: 10);
        Assert.Equal(5, combined.Total);
        Assert.Equal(3, combined.Counts["c1"]);
        Assert.Equal(2, combined.Counts["c2"]);
        Assert.Equal([new WordCount("Privacy", 5), new WordCount("open", 1)], combined.Words);
        Assert.Single(results.Combined(maxWords: 1).Words);
    }

    [Fact]
    public void The_screen_shows_a_question_or_a_poll_never_both()
    {
        var live = new LiveState(null, null, true, null, SpeakingTimer.Stopped(60), 0);
        var poll = live.WithScreenQuestion("q_1").WithScreenPoll("p_1");
        Assert.Equal((null, "p_1"), (poll.ScreenQuestionId, poll.ScreenPollId));
        var question = poll.WithScreenQuestion("q_2");
        Assert.Equal(("q_2", null), (question.ScreenQuestionId, question.ScreenPollId));
    }
}
