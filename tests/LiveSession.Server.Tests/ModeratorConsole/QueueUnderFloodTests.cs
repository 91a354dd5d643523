using Bunit;
using LiveSession.Domain.Questions;
using LiveSession.Server.ModeratorConsole;

namespace LiveSession.Server.Tests.ModeratorConsole;

/// <summary>The queue with many questions and fast votes: coalesced renders, pages, the vote surge warning and reset.</summary>
public sealed class QueueUnderFloodTests : ConsoleComponentContext
{
    private IRenderedComponent<QueuePanel> RenderQueue(QueueView view = QueueView.Incoming) =>
        Bunit.Render<QueuePanel>(p => p.Add(x => x.Code, Code).Add(x => x.InitialView, view));

    [Fact]
    public async Task Two_hundred_questions_in_quick_succession_render_a_few_times_not_once_each()
    {
        var queue = RenderQueue();
        queue.WaitForAssertion(() => Assert.NotNull(queue.Find(".empty")));
        var rendersBefore = queue.RenderCount;

        for (var i = 0; i < 200; i++)
        {
            await AskAsync($"Flood question number {i}", asker: $"attendee-{i}");
        }

        queue.WaitForAssertion(() => Assert.Equal("200", queue.Find("[data-counter=waiting] b").TextContent), TimeSpan.FromSeconds(5));
        // One render per 300 ms gathering at most, however fast the notices come.
        Assert.InRange(queue.RenderCount - rendersBefore, 1, 20);
        Assert.Equal(QueuePanel.PageSize, queue.FindAll("li.question").Count);
    }

    [Fact]
    public async Task A_long_queue_shows_a_page_counts_the_rest_and_shows_more_on_request()
    {
        for (var i = 0; i < 60; i++)
        {
            await AskAsync($"Paged question number {i}", asker: $"attendee-{i}");
        }

        var queue = RenderQueue();

        queue.WaitForAssertion(() => Assert.Equal(QueuePanel.PageSize, queue.FindAll("li.question").Count));
        Assert.Equal("60", queue.Find("[data-counter=waiting] b").TextContent);
        Assert.Equal("10", queue.Find("[data-more]").GetAttribute("data-more"));
        Assert.Equal("60", queue.Find("[data-rate=questions] b").TextContent);
        await queue.ClickAsync("[data-action=show-more]");
        Assert.Equal(60, queue.FindAll("li.question").Count);
        Assert.Empty(queue.FindAll("[data-more]"));
    }

    [Fact]
    public async Task Votes_faster_than_a_room_raise_a_warning_and_reset_votes_clears_them_audited()
    {
        var question = await AskAsync("Stuffed by a script?");
        await Questions.ApproveAsync(Code, question.Id, new Access.Actor("test"), CancellationToken.None);
        var queue = RenderQueue(QueueView.Published);
        queue.WaitForAssertion(() => Assert.Equal("approved", queue.Find($"[data-question-id={question.Id}]").GetAttribute("data-status")));
        Assert.Empty(queue.FindAll(".vote-surge"));

        // The default warns past 15 votes in 10 s.
        for (var i = 0; i < 20; i++)
        {
            await Questions.VoteAsync(Code, $"voter-{i}", question.Id, vote: true, CancellationToken.None);
        }

        queue.WaitForAssertion(() => Assert.NotNull(queue.Find($"[data-surge={question.Id}]")), TimeSpan.FromSeconds(5));
        Assert.Equal("20", queue.Find("[data-rate=votes] b").TextContent);
        await queue.ClickAsync($"[data-surge={question.Id}] [data-action=reset-votes]");

        Assert.Equal(0, (await Questions.GetAsync(Code, question.Id, CancellationToken.None)).Votes);
        var audit = await Audit.ListAsync(Code, 10, CancellationToken.None);
        Assert.Contains(audit, e => e.Action == "reset-votes" && e.QuestionId == question.Id && e.Actor == "moderators");
        queue.WaitForAssertion(() => Assert.Equal("0 votes", queue.Find($"[data-question-id={question.Id}] .votes").TextContent));
        Assert.Equal(QuestionStatus.Approved, (await Questions.GetAsync(Code, question.Id, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Reset_votes_on_a_question_asks_first_and_cancel_keeps_the_votes()
    {
        var question = await AskAsync("Counted twice?");
        await Questions.ApproveAsync(Code, question.Id, new Access.Actor("test"), CancellationToken.None);
        await Questions.VoteAsync(Code, "voter-1", question.Id, vote: true, CancellationToken.None);
        await Questions.VoteAsync(Code, "voter-2", question.Id, vote: true, CancellationToken.None);
        var queue = RenderQueue(QueueView.Published);
        var row = $"[data-question-id={question.Id}]";
        queue.WaitForAssertion(() => Assert.Equal("2 votes", queue.Find($"{row} .votes").TextContent));

        await queue.ClickAsync($"{row} [data-action=reset-votes]");
        Assert.Contains("Remove all 2 votes", queue.Find($"{row} .confirm-reset").TextContent);
        await queue.ClickAsync($"{row} .confirm-reset [data-action=cancel]");
        Assert.Equal(2, (await Questions.GetAsync(Code, question.Id, CancellationToken.None)).Votes);
        Assert.Empty(queue.FindAll($"{row} .confirm-reset"));

        await queue.ClickAsync($"{row} [data-action=reset-votes]");
        await queue.ClickAsync($"{row} [data-action=reset-votes-confirm]");

        Assert.Equal(0, (await Questions.GetAsync(Code, question.Id, CancellationToken.None)).Votes);
        Assert.Equal("0 votes", queue.Find($"{row} .votes").TextContent);
        Assert.Empty(queue.FindAll($"{row} [data-action=reset-votes]"));
    }

    [Fact]
    public async Task Merging_a_much_voted_duplicate_adds_votes_without_a_surge_warning()
    {
        var original = await AskAsync("Who audits the cameras?");
        var duplicate = await AskAsync("Who audits the cameras, really?", asker: "attendee-2");
        foreach (var q in new[] { original, duplicate })
        {
            await Questions.ApproveAsync(Code, q.Id, new Access.Actor("test"), CancellationToken.None);
        }

        for (var i = 0; i < 20; i++)
        {
            await Questions.VoteAsync(Code, $"voter-{i}", duplicate.Id, vote: true, CancellationToken.None);
        }

        var queue = RenderQueue(QueueView.Published);
        queue.WaitForAssertion(() => Assert.Equal("20 votes", queue.Find($"[data-question-id={duplicate.Id}] .votes").TextContent));

        await Questions.MergeAsync(Code, duplicate.Id, original.Id, new Access.Actor("test"), CancellationToken.None);

        queue.WaitForAssertion(() => Assert.Equal("20 votes", queue.Find($"[data-question-id={original.Id}] .votes").TextContent), TimeSpan.FromSeconds(5));
        Assert.Empty(queue.FindAll(".vote-surge"));
    }
}
