using LiveSession.Domain.Errors;
using LiveSession.Domain.Questions;

namespace LiveSession.Domain.Tests;

public class QuestionWorkflowTests
{
    private static readonly DateTimeOffset AskedAt = new(2022, 11, 8, 16, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = AskedAt.AddMinutes(5);

    /// <summary>The moderation rules, written out independently of QuestionWorkflow's own table.</summary>
    private static readonly Dictionary<QuestionAction, QuestionStatus[]> Expected = new()
    {
        [QuestionAction.Approve] = [QuestionStatus.Pending, QuestionStatus.Rejected],
        [QuestionAction.Reject] = [QuestionStatus.Pending, QuestionStatus.Approved],
        [QuestionAction.Answer] = [QuestionStatus.Approved],
        [QuestionAction.Restore] = [QuestionStatus.Rejected, QuestionStatus.Answered],
        [QuestionAction.Withdraw] = [QuestionStatus.Pending],
        [QuestionAction.Merge] = [QuestionStatus.Pending, QuestionStatus.Approved],
        [QuestionAction.Edit] = [QuestionStatus.Pending, QuestionStatus.Approved, QuestionStatus.Answered],
        [QuestionAction.Screen] = [QuestionStatus.Approved, QuestionStatus.Answered],
    };

    public static TheoryData<QuestionAction, QuestionStatus> AllPairs() => Pairs(Enum.GetValues<QuestionAction>());

    /// <summary>Every action that has a method on Question: all but Screen.</summary>
    public static TheoryData<QuestionAction, QuestionStatus> MethodPairs() =>
        Pairs(Enum.GetValues<QuestionAction>().Where(a => a != QuestionAction.Screen));

    private static TheoryData<QuestionAction, QuestionStatus> Pairs(IEnumerable<QuestionAction> actions)
    {
        var data = new TheoryData<QuestionAction, QuestionStatus>();
        foreach (var action in actions)
        {
            foreach (var status in Enum.GetValues<QuestionStatus>())
            {
                data.Add(action, status);
            }
        }

        return data;
    }

    private static Question InStatus(QuestionStatus status, string id = "q1") =>
        Question.Ask(id, "bms22", "Will the ban cover border control?", "Ana", null, QuestionOrigin.Room, "asker-1", AskedAt)
            with { Status = status, Revision = 7, MergedIntoId = status == QuestionStatus.Merged ? "q0" : null };

    [Fact]
    public void Every_action_has_a_rule()
    {
        Assert.Equal(Enum.GetValues<QuestionAction>().Order(), Expected.Keys.Order());
        Assert.Equal(8 * 6, AllPairs().Count());
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Table_allows_exactly_the_documented_transitions(QuestionAction action, QuestionStatus status)
    {
        var allowed = Expected[action].Contains(status);

        Assert.Equal(allowed, QuestionWorkflow.IsAllowed(action, status));
        if (allowed)
        {
            QuestionWorkflow.EnsureAllowed(action, status);
        }
        else
        {
            var error = Assert.Throws<LiveSessionException>(() => QuestionWorkflow.EnsureAllowed(action, status));
            Assert.Equal(ErrorCodes.InvalidState, error.Code);
            Assert.Contains(status.ToWire(), error.Message);
        }
    }

    [Theory]
    [MemberData(nameof(MethodPairs))]
    public void Each_method_moves_with_the_next_revision_or_refuses_and_changes_nothing(QuestionAction action, QuestionStatus status)
    {
        var question = InStatus(status);
        var before = question with { };
        var target = InStatus(QuestionStatus.Approved, id: "q2");

        Question Act() => action switch
        {
            QuestionAction.Approve => question.Approve(Now),
            QuestionAction.Reject => question.Reject(Now),
            QuestionAction.Answer => question.MarkAnswered(Now),
            QuestionAction.Restore => question.Restore(Now),
            QuestionAction.Withdraw => question.Withdraw(Now),
            QuestionAction.Merge => question.MergeInto(target, Now),
            QuestionAction.Edit => question.EditText("Will the ban also cover border control?", Now),
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        };

        if (Expected[action].Contains(status))
        {
            var after = Act();
            var expectedStatus = (action, status) switch
            {
                (QuestionAction.Approve, _) => QuestionStatus.Approved,
                (QuestionAction.Reject, _) => QuestionStatus.Rejected,
                (QuestionAction.Answer, _) => QuestionStatus.Answered,
                (QuestionAction.Restore, QuestionStatus.Rejected) => QuestionStatus.Pending,
                (QuestionAction.Restore, QuestionStatus.Answered) => QuestionStatus.Approved,
                (QuestionAction.Withdraw, _) => QuestionStatus.Withdrawn,
                (QuestionAction.Merge, _) => QuestionStatus.Merged,
                (QuestionAction.Edit, _) => status,
                _ => throw new InvalidOperationException($"no expectation for {action} from {status}"),
            };
            Assert.Equal(expectedStatus, after.Status);
            Assert.Equal(8, after.Revision);
            Assert.Equal(Now, after.UpdatedAt);
            Assert.Equal(action == QuestionAction.Answer ? Now : null, after.AnsweredAt);
            Assert.Equal(action == QuestionAction.Merge ? "q2" : null, after.MergedIntoId);
        }
        else
        {
            var error = Assert.Throws<LiveSessionException>(Act);
            Assert.Equal(ErrorCodes.InvalidState, error.Code);
        }

        Assert.Equal(before, question);
    }

    [Fact]
    public void Ask_starts_pending_at_revision_one()
    {
        var question = Question.Ask("q1", "bms22", "Why?", null, "patrick-breyer", QuestionOrigin.Remote, "asker-1", AskedAt);

        Assert.Equal(QuestionStatus.Pending, question.Status);
        Assert.Equal(1, question.Revision);
        Assert.Equal(AskedAt, question.CreatedAt);
        Assert.False(question.IsPublic);
        Assert.True(question.Approve(Now).IsPublic);
    }

    [Fact]
    public void Restore_of_an_answered_question_clears_the_answer_time()
    {
        var answered = InStatus(QuestionStatus.Approved).MarkAnswered(Now);

        var restored = answered.Restore(Now.AddMinutes(1));

        Assert.Equal(QuestionStatus.Approved, restored.Status);
        Assert.Null(restored.AnsweredAt);
        Assert.Equal(answered.Revision + 1, restored.Revision);
    }

    [Fact]
    public void Merge_into_itself_is_refused()
    {
        var question = InStatus(QuestionStatus.Pending);
        var before = question with { };

        var error = Assert.Throws<LiveSessionException>(() => question.MergeInto(question with { }, Now));

        Assert.Equal(ErrorCodes.InvalidState, error.Code);
        Assert.Equal(before, question);
    }

    [Fact]
    public void Merge_into_a_question_of_another_event_is_refused()
    {
        var question = InStatus(QuestionStatus.Pending);
        var target = InStatus(QuestionStatus.Approved, id: "q2") with { EventCode = "another-event" };

        var error = Assert.Throws<LiveSessionException>(() => question.MergeInto(target, Now));

        Assert.Equal(ErrorCodes.InvalidInput, error.Code);
    }

    [Theory]
    [InlineData(QuestionStatus.Pending, true)]
    [InlineData(QuestionStatus.Approved, true)]
    [InlineData(QuestionStatus.Answered, true)]
    [InlineData(QuestionStatus.Rejected, false)]
    [InlineData(QuestionStatus.Withdrawn, false)]
    [InlineData(QuestionStatus.Merged, false)]
    public void Merge_target_must_be_alive(QuestionStatus targetStatus, bool allowed)
    {
        var question = InStatus(QuestionStatus.Pending);
        var before = question with { };
        var target = InStatus(targetStatus, id: "q2");

        Assert.Equal(allowed, QuestionWorkflow.CanBeMergeTarget(targetStatus));
        if (allowed)
        {
            var merged = question.MergeInto(target, Now);
            Assert.Equal(QuestionStatus.Merged, merged.Status);
            Assert.Equal("q2", merged.MergedIntoId);
            Assert.Equal(question.Text, merged.Text);
        }
        else
        {
            Assert.Equal(ErrorCodes.InvalidState, Assert.Throws<LiveSessionException>(() => question.MergeInto(target, Now)).Code);
        }

        Assert.Equal(before, question);
    }

    [Fact]
    public void Absorbing_a_merge_moves_the_target_revision_only()
    {
        var target = InStatus(QuestionStatus.Approved);

        var absorbed = target.AbsorbMerge(Now);

        Assert.Equal(target with { Revision = 8, UpdatedAt = Now }, absorbed);
    }

    [Fact]
    public void Edit_keeps_the_first_original_text_across_edits()
    {
        var question = InStatus(QuestionStatus.Pending);

        var once = question.EditText("Second wording?", Now);
        var twice = once.EditText("Third wording?", Now.AddMinutes(1));

        Assert.Null(question.OriginalText);
        Assert.Equal("Will the ban cover border control?", once.OriginalText);
        Assert.Equal("Will the ban cover border control?", twice.OriginalText);
        Assert.Equal("Third wording?", twice.Text);
        Assert.Equal(question.Revision + 2, twice.Revision);
        Assert.Equal(QuestionStatus.Pending, twice.Status);
    }

    [Fact]
    public void Edit_to_the_same_text_changes_nothing()
    {
        var question = InStatus(QuestionStatus.Approved);

        Assert.Same(question, question.EditText(question.Text, Now));
    }

    [Theory]
    [InlineData("pending", true)]
    [InlineData("Approved", true)]
    [InlineData("merged", true)]
    [InlineData("1", false)]
    [InlineData("open", false)]
    [InlineData(null, false)]
    public void Status_parses_from_its_wire_name_only(string? value, bool parses) =>
        Assert.Equal(parses, QuestionWorkflow.TryParseStatus(value, out _));
}
