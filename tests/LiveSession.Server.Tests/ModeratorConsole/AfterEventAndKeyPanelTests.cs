using Bunit;
using LiveSession.Domain.Questions;
using LiveSession.Server.Access;
using LiveSession.Server.ModeratorConsole;
using LiveSession.Server.Storage;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;

namespace LiveSession.Server.Tests.ModeratorConsole;

public sealed class AfterEventAndKeyPanelTests : ConsoleComponentContext
{
    [Fact]
    public async Task Statistics_count_received_published_merged_rejected_answered_and_origins()
    {
        var moderator = new Actor("test");
        var a = await AskAsync("Room question one", QuestionOrigin.Room);
        var b = await AskAsync("Remote question two", asker: "attendee-2");
        var c = await AskAsync("Remote question three", asker: "attendee-3");
        var d = await AskAsync("Remote duplicate of two", asker: "attendee-4");
        await Questions.ApproveAsync(Code, a.Id, moderator, CancellationToken.None);
        await Questions.MarkAnsweredAsync(Code, a.Id, moderator, CancellationToken.None);
        await Questions.ApproveAsync(Code, b.Id, moderator, CancellationToken.None);
        await Questions.RejectAsync(Code, c.Id, moderator, CancellationToken.None);
        await Questions.MergeAsync(Code, d.Id, b.Id, moderator, CancellationToken.None);

        var panel = Bunit.Render<AfterEventPanel>(p => p.Add(x => x.Code, Code));

        string Stat(string name) => panel.Find($"[data-stat={name}]").TextContent;
        Assert.Equal(("4", "2", "1", "1", "1"), (Stat("received"), Stat("published"), Stat("answered"), Stat("merged"), Stat("rejected")));
        Assert.Equal("1 / 3", Stat("origin"));
        Assert.Equal("1 / 1", Stat("published-origin"));
        Assert.Equal("/e/bms22/moderate/export?format=csv", panel.Find("[data-export=csv]").GetAttribute("href"));
    }

    [Fact]
    public async Task Purge_asks_for_confirmation_then_deletes_rejected_questions()
    {
        var rejected = await AskAsync("To be rejected then purged");
        await Questions.RejectAsync(Code, rejected.Id, new Actor("test"), CancellationToken.None);
        var panel = Bunit.Render<AfterEventPanel>(p => p.Add(x => x.Code, Code));

        await panel.ClickAsync("[data-action=purge]");
        Assert.NotNull(await Server.Services.GetRequiredService<ILiveStore>().GetQuestionAsync(Code, rejected.Id, CancellationToken.None));
        await panel.ClickAsync("[data-action=purge-confirm]");

        Assert.Null(await Server.Services.GetRequiredService<ILiveStore>().GetQuestionAsync(Code, rejected.Id, CancellationToken.None));
        Assert.Contains("1 rejected or withdrawn questions deleted", panel.Find(".purged").TextContent);
        Assert.Contains(await Audit.ListAsync(Code, 10, CancellationToken.None), e => e.Action == "purge" && e.Actor == "moderators");
    }

    [Fact]
    public async Task The_organiser_creates_a_new_moderator_key_and_the_old_one_stops_working()
    {
        var oldKey = Server.ModeratorKey;
        LogInAsOrganiser();
        var panel = Bunit.Render<KeyPanel>(p => p.Add(x => x.Code, Code));

        await panel.ClickAsync("[data-action=new-key]");
        await panel.ClickAsync("[data-action=key-confirm]");

        var newKey = panel.Find(".new-key").TextContent;
        var keys = Server.Services.GetRequiredService<ModeratorKeys>();
        Assert.Null(await keys.FindAsync(oldKey, CancellationToken.None));
        Assert.Equal(Code, (await keys.FindAsync(newKey, CancellationToken.None))?.EventCode);
    }

    [Fact]
    public void A_moderator_key_does_not_see_the_key_panel()
    {
        var panel = Bunit.Render<KeyPanel>(p => p.Add(x => x.Code, Code));

        Assert.Empty(panel.FindAll("button"));
    }

    [Fact]
    public void A_failing_panel_shows_a_message_while_the_rest_of_the_console_stays()
    {
        LogInAsOrganiser();

        // Every panel fails to load an event that does not exist; each boundary keeps it to its panel.
        var console = Bunit.Render<ConsoleBoard>(p => p.Add(x => x.Code, "no-such-event"));

        // Seven boundaries: the Now bar, queue, polls, agenda, displays, after-event and audit.
        Assert.Equal(7, console.FindAll(".panel-error").Count);
        Assert.Contains("no-such-event", console.Find(".console-header h1").TextContent);
        Assert.NotEmpty(console.FindAll("[data-action=recover]"));
    }
}
