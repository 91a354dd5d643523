using Bunit;
using LiveSession.Domain.Errors;
using LiveSession.Domain.Events;
using LiveSession.Domain.Questions;
using LiveSession.Server.Access;
using LiveSession.Server.ModeratorConsole;
using LiveSession.Server.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LiveSession.Server.Tests.ModeratorConsole;

public sealed class QueuePanelTests : ConsoleComponentContext
{
    private IRenderedComponent<QueuePanel> RenderQueue(QueueView view = QueueView.Incoming) =>
        Bunit.Render<QueuePanel>(p => p.Add(x => x.Code, Code).Add(x => x.InitialView, view));

    [Fact]
    public async Task Queue_lists_questions_newest_first_with_origin_author_addressed_to_and_age()
    {
        var breyer = DemoEvent.Load().FindSlot("opening")!.Speakers[0];
        await AskAsync("First question from far away", QuestionOrigin.Remote);
        await AskAsync("Second question from the room", QuestionOrigin.Room, author: "Ana", to: breyer.Id);

        var queue = RenderQueue();

        queue.WaitForAssertion(() => Assert.Equal(2, queue.FindAll("li.question").Count));
        var items = queue.FindAll("li.question");
        Assert.Equal("Second question from the room", items[0].QuerySelector(".text-body")!.TextContent);
        Assert.Equal("Room", items[0].QuerySelector(".origin")!.TextContent);
        Assert.Equal("Ana", items[0].QuerySelector(".author")!.TextContent);
        Assert.Equal($"to {breyer.Name}", items[0].QuerySelector(".addressed-to")!.TextContent);
        Assert.Equal("just now", items[0].QuerySelector(".age")!.TextContent);
        Assert.Equal("Remote", items[1].QuerySelector(".origin")!.TextContent);
        Assert.Equal("Anonymous", items[1].QuerySelector(".author")!.TextContent);
        Assert.Null(items[1].QuerySelector(".addressed-to"));
        Assert.Equal("2", queue.Find("[data-counter=waiting] b").TextContent);
    }

    [Fact]
    public async Task Approve_calls_the_question_service_and_the_audit_log_names_the_moderator()
    {
        var question = await AskAsync("Will the AI Act ban remote biometric identification?");
        var queue = RenderQueue(QueueView.All);

        await queue.ClickAsync($"[data-question-id={question.Id}] [data-action=approve]");

        Assert.Equal(QuestionStatus.Approved, (await Questions.GetAsync(Code, question.Id, CancellationToken.None)).Status);
        var audit = await Audit.ListAsync(Code, 10, CancellationToken.None);
        Assert.Contains(audit, e => e.Action == "approve" && e.QuestionId == question.Id && e.Actor == "moderators");
        queue.WaitForAssertion(() => Assert.Equal("approved", queue.Find($"[data-question-id={question.Id}]").GetAttribute("data-status")));
        Assert.Equal("1", queue.Find("[data-counter=published] b").TextContent);
        Assert.Equal("0 room · 1 remote", queue.Find("[data-counter=balance]").TextContent.Trim());
    }

    [Fact]
    public async Task An_open_console_whose_key_was_replaced_cannot_approve_and_says_to_log_in_again()
    {
        var question = await AskAsync("Who audits the watchlists?");
        var queue = RenderQueue();
        await Server.Services.GetRequiredService<ModeratorKeys>().IssueAsync(Code, "rotated", replaceExisting: true, Actor.Organiser, CancellationToken.None);

        await queue.ClickAsync($"[data-question-id={question.Id}] [data-action=approve]");

        Assert.Equal(QuestionStatus.Pending, (await Questions.GetAsync(Code, question.Id, CancellationToken.None)).Status);
        queue.WaitForAssertion(() => Assert.Contains("log in again", queue.Find(".refused").TextContent));
        Assert.DoesNotContain(await Audit.ListAsync(Code, 10, CancellationToken.None), e => e.Action == "approve");
    }

    [Fact]
    public async Task The_queue_shows_how_many_new_attendees_joined_in_the_last_minute_and_returning_ones_do_not_count()
    {
        await using var first = await LiveSession.Server.Tests.Infrastructure.LiveClient.JoinAsync(Server);
        await using var second = await LiveSession.Server.Tests.Infrastructure.LiveClient.JoinAsync(Server);
        await using var third = await LiveSession.Server.Tests.Infrastructure.LiveClient.JoinAsync(Server);
        await using var returning = await LiveSession.Server.Tests.Infrastructure.LiveClient.JoinAsync(Server, token: first.Snapshot!.AttendeeToken);

        var queue = RenderQueue();

        Assert.Equal("3", queue.Find("[data-rate=identities] b").TextContent);
    }

    [Fact]
    public async Task Edit_stores_the_new_text_and_keeps_the_original_on_hover()
    {
        var question = await AskAsync("teh question with a typo");
        var queue = RenderQueue();

        await queue.ClickAsync($"[data-question-id={question.Id}] [data-action=edit]");
        await queue.InputAsync($"[data-question-id={question.Id}] textarea", "The question without a typo");
        await queue.ClickAsync($"[data-question-id={question.Id}] [data-action=save]");

        var stored = await Questions.GetAsync(Code, question.Id, CancellationToken.None);
        Assert.Equal("The question without a typo", stored.Text);
        Assert.Equal("teh question with a typo", stored.OriginalText);
        queue.WaitForAssertion(() =>
            Assert.Equal("Original: teh question with a typo", queue.Find($"[data-question-id={question.Id}] .text").GetAttribute("title")));
    }

    [Fact]
    public async Task Merge_into_a_picked_target_marks_the_duplicate_merged()
    {
        var target = await AskAsync("What about facial recognition at borders?");
        var duplicate = await AskAsync("Facial recognition at the borders?", asker: "attendee-2");
        var queue = RenderQueue();

        await queue.ClickAsync($"[data-question-id={duplicate.Id}] [data-action=merge]");
        await queue.ChangeAsync($"[data-question-id={duplicate.Id}] select[data-merge-target]", target.Id);
        await queue.ClickAsync($"[data-question-id={duplicate.Id}] [data-action=merge-confirm]");

        var merged = await Questions.GetAsync(Code, duplicate.Id, CancellationToken.None);
        Assert.Equal(QuestionStatus.Merged, merged.Status);
        Assert.Equal(target.Id, merged.MergedIntoId);
        // Merged questions leave the default view.
        queue.WaitForAssertion(() => Assert.Empty(queue.FindAll($"[data-question-id={duplicate.Id}]")));
    }

    [Fact]
    public async Task Keyboard_A_approves_and_S_puts_the_selected_question_on_screen()
    {
        var question = await AskAsync("A question to approve from the keyboard");
        var queue = RenderQueue(QueueView.All);

        await queue.KeyDownAsync(".list", "a");
        await queue.KeyDownAsync(".list", "s");

        Assert.Equal(QuestionStatus.Approved, (await Questions.GetAsync(Code, question.Id, CancellationToken.None)).Status);
        var live = await Server.Services.GetRequiredService<LiveSession.Server.Agenda.LiveControlService>().GetAsync(Code, CancellationToken.None);
        Assert.Equal(question.Id, live.ScreenQuestionId);
        queue.WaitForAssertion(() => Assert.NotNull(queue.Find($"[data-question-id={question.Id}] .screen-badge")));
        Assert.Contains("S", queue.Find(".shortcuts").TextContent);
    }

    [Fact]
    public async Task A_question_asked_while_the_queue_is_open_appears_without_a_refresh()
    {
        var queue = RenderQueue();
        queue.WaitForAssertion(() => Assert.NotNull(queue.Find(".empty")));

        await AskAsync("Arrived while the moderator watched", QuestionOrigin.Room);

        queue.WaitForAssertion(() => Assert.Equal("Arrived while the moderator watched", queue.Find(".text-body").TextContent));
    }

    [Fact]
    public async Task When_another_moderator_was_faster_the_queue_says_so_and_shows_the_fresh_state()
    {
        var question = await AskAsync("Raced by two moderators");
        var queue = RenderQueue();
        // Behind the panel's back (no notice): the asker withdrew it, so the rendered Approve is stale.
        var store = Server.Services.GetRequiredService<ILiveStore>();
        await store.ReplaceQuestionAsync(question.Withdraw(DateTimeOffset.UtcNow), question.Revision, CancellationToken.None);

        await queue.ClickAsync($"[data-question-id={question.Id}] [data-action=approve]");

        Assert.Contains("Not possible any more", queue.Find(".message").TextContent);
        Assert.Empty(queue.FindAll($"[data-question-id={question.Id}]"));
        Assert.Equal(QuestionStatus.Withdrawn, (await Questions.GetAsync(Code, question.Id, CancellationToken.None)).Status);
    }

    [Fact]
    public void A_conflict_is_described_as_another_moderators_change()
    {
        var text = ConsolePanel.Describe(new LiveSessionException(ErrorCodes.Conflict, "revision 3 is not current"));

        Assert.StartsWith("Another moderator changed this", text);
    }

    [Fact]
    public async Task Filters_by_origin_and_sorts_published_questions_by_votes()
    {
        var few = await AskAsync("Fewer votes, from the room", QuestionOrigin.Room);
        var many = await AskAsync("More votes, from the room", QuestionOrigin.Room, asker: "attendee-2");
        await AskAsync("Remote one", QuestionOrigin.Remote, asker: "attendee-3");
        foreach (var q in new[] { few, many })
        {
            await Questions.ApproveAsync(Code, q.Id, new Access.Actor("test"), CancellationToken.None);
        }

        await Questions.VoteAsync(Code, "voter-1", many.Id, vote: true, CancellationToken.None);
        await Questions.VoteAsync(Code, "voter-2", many.Id, vote: true, CancellationToken.None);
        var queue = RenderQueue(QueueView.Published);

        await queue.ChangeAsync("select[data-filter=origin]", "room");
        await queue.ChangeAsync("select[data-filter=sort]", nameof(QueueSort.Votes));

        var texts = queue.FindAll(".text-body").Select(e => e.TextContent).ToList();
        Assert.Equal(["More votes, from the room", "Fewer votes, from the room"], texts);
    }

    [Fact]
    public async Task Attendee_markup_is_shown_as_text()
    {
        await AskAsync("<img src=x onerror=alert(1)> <b>bold</b>", author: "<script>x</script>");
        var queue = RenderQueue();

        queue.WaitForAssertion(() => Assert.Equal("<img src=x onerror=alert(1)> <b>bold</b>", queue.Find(".text-body").TextContent));
        Assert.Empty(queue.FindAll(".text-body img, .text-body b, .author script"));
        Assert.Contains("&lt;img", queue.Find(".text-body").InnerHtml);
    }

    [Fact]
    public async Task A_login_for_another_event_sees_no_question_and_no_action()
    {
        await AskAsync("Not for other events' moderators");
        LogInAs("other-moderators", "another-event");

        var queue = RenderQueue();

        Assert.NotNull(queue.Find(".refused"));
        Assert.Empty(queue.FindAll("li.question"));
        Assert.Empty(queue.FindAll("button"));
    }

    [Fact]
    public async Task When_the_login_ends_while_the_queue_is_open_it_stops_showing_questions()
    {
        await AskAsync("Seen before the key was replaced");
        var queue = RenderQueue();
        Assert.Single(queue.FindAll("li.question"));

        Auth.SetNotAuthorized();

        queue.WaitForAssertion(() => Assert.NotNull(queue.Find(".refused")));
        Assert.Empty(queue.FindAll("li.question"));
    }

    [Fact]
    public async Task An_edit_that_is_too_long_is_refused_with_its_reason_and_changes_nothing()
    {
        var question = await AskAsync("Short and fine");
        var queue = RenderQueue();

        await queue.ClickAsync($"[data-question-id={question.Id}] [data-action=edit]");
        await queue.InputAsync($"[data-question-id={question.Id}] textarea", new string('x', 4000));
        await queue.ClickAsync($"[data-question-id={question.Id}] [data-action=save]");

        Assert.NotEmpty(queue.Find(".message").TextContent);
        Assert.NotNull(queue.Find($"[data-question-id={question.Id}] textarea"));
        var stored = await Questions.GetAsync(Code, question.Id, CancellationToken.None);
        Assert.Equal(("Short and fine", question.Revision), (stored.Text, stored.Revision));
    }

    [Fact]
    public async Task Incoming_published_and_done_are_separate_views_with_counts()
    {
        var waiting = await AskAsync("Still waiting for a moderator");
        var published = await AskAsync("Already on the attendees' pages", asker: "attendee-2");
        var rejected = await AskAsync("Off topic", asker: "attendee-3");
        var actor = new Access.Actor("test");
        await Questions.ApproveAsync(Code, published.Id, actor, CancellationToken.None);
        await Questions.RejectAsync(Code, rejected.Id, actor, CancellationToken.None);

        var queue = RenderQueue();

        Assert.Equal("true", queue.Find("[data-view=incoming]").GetAttribute("aria-pressed"));
        Assert.Equal([waiting.Id], queue.FindAll("li.question").Select(e => e.GetAttribute("data-question-id")));
        Assert.Equal(["1", "1", "1", "3"], queue.FindAll("[data-view-count]").Select(e => e.TextContent));
        await queue.ClickAsync("[data-view=published]");
        Assert.Equal([published.Id], queue.FindAll("li.question").Select(e => e.GetAttribute("data-question-id")));
        await queue.ClickAsync("[data-view=done]");
        Assert.Equal([rejected.Id], queue.FindAll("li.question").Select(e => e.GetAttribute("data-question-id")));
    }

    [Fact]
    public async Task Questions_asked_since_the_moderator_last_looked_are_marked_new_until_they_leave_incoming()
    {
        await AskAsync("There before the console opened");
        var queue = RenderQueue();
        Assert.Empty(queue.FindAll("[data-new]"));

        var arrived = await AskAsync("Arrived while the console was open", asker: "attendee-2");

        queue.WaitForAssertion(() => Assert.Single(queue.FindAll($"[data-question-id={arrived.Id}] [data-new]")));
        Assert.Equal("1", queue.Find("[data-new-count]").GetAttribute("data-new-count"));
        await queue.ClickAsync("[data-view=published]");
        Assert.Empty(queue.FindAll("[data-new-count]"));
        await queue.ClickAsync("[data-view=incoming]");
        Assert.Empty(queue.FindAll("[data-new]"));
    }

    [Fact]
    public async Task Approve_is_the_filled_primary_action_and_reject_comes_last()
    {
        var question = await AskAsync("Which action is which?");
        var queue = RenderQueue();

        var actions = queue.FindAll($"[data-question-id={question.Id}] .actions button");

        Assert.Equal("approve", actions[0].GetAttribute("data-action"));
        Assert.Contains("primary", actions[0].ClassList);
        Assert.Equal("reject", actions[^1].GetAttribute("data-action"));
        Assert.DoesNotContain("primary", actions[^1].ClassList);
    }
}
