using Bunit;
using LiveSession.Domain.Events;
using LiveSession.Server.Agenda;
using LiveSession.Server.ModeratorConsole;
using Microsoft.Extensions.DependencyInjection;

namespace LiveSession.Server.Tests.ModeratorConsole;

public sealed class AgendaPanelTests : ConsoleComponentContext
{
    private LiveControlService Live => Server.Services.GetRequiredService<LiveControlService>();

    private IRenderedComponent<AgendaPanel> RenderAgenda() => Bunit.Render<AgendaPanel>(p => p.Add(x => x.Code, Code));

    [Fact]
    public void A_fresh_event_shows_before_the_event_and_every_slot_with_its_speakers()
    {
        var demo = DemoEvent.Load();

        var agenda = RenderAgenda();

        Assert.StartsWith("Before the event", agenda.Find(".current-slot").TextContent);
        Assert.Equal(demo.Slots.Select(s => s.Id), agenda.FindAll("li.slot").Select(e => e.GetAttribute("data-slot-id")));
        Assert.Equal(demo.AllSpeakers.Count(), agenda.FindAll("li[data-speaker-id]").Count);
        Assert.Equal("Q&A is open", agenda.Find(".qa-state").TextContent);
    }

    [Fact]
    public async Task Next_slot_and_next_speaker_call_the_live_control_service_and_show_the_new_speaker()
    {
        var demo = DemoEvent.Load();
        var agenda = RenderAgenda();

        await agenda.ClickAsync("[data-action=next-slot]");
        await agenda.ClickAsync("[data-action=next-slot]");
        await agenda.ClickAsync("[data-action=next-speaker]");

        var ngos = demo.FindSlot("ngo-statements")!;
        var live = await Live.GetAsync(Code, CancellationToken.None);
        Assert.Equal(ngos.Id, live.CurrentSlotId);
        Assert.Equal(ngos.Speakers[1].Id, live.CurrentSpeakerId);
        agenda.WaitForAssertion(() => Assert.Equal(ngos.Speakers[1].Id, agenda.Find(".current-speaker").GetAttribute("data-current-speaker")));
        Assert.Contains(ngos.Speakers[1].Name, agenda.Find(".current-speaker").TextContent);
        Assert.Contains(ngos.Title, agenda.Find(".current-slot").TextContent);
    }

    [Fact]
    public async Task Jump_to_a_speaker_makes_their_slot_and_them_current()
    {
        var reactions = DemoEvent.Load().FindSlot("mep-reactions")!;
        var agenda = RenderAgenda();

        await agenda.ClickAsync($"li[data-slot-id={reactions.Id}] li[data-speaker-id={reactions.Speakers[2].Id}] button");

        var live = await Live.GetAsync(Code, CancellationToken.None);
        Assert.Equal((reactions.Id, reactions.Speakers[2].Id), (live.CurrentSlotId, live.CurrentSpeakerId));
    }

    [Fact]
    public async Task Timer_start_pause_add_a_minute_and_reset_reach_the_live_state()
    {
        var agenda = RenderAgenda();
        var allotted = DemoEvent.Load().Slots[0].AllottedSecondsPerSpeaker;

        await agenda.ClickAsync("[data-action=timer-start]");
        Assert.True((await Live.GetAsync(Code, CancellationToken.None)).Timer.IsRunning);
        Assert.Equal("running", agenda.Find(".timer").GetAttribute("data-timer-state"));

        await agenda.ClickAsync("[data-action=timer-pause]");
        await agenda.ClickAsync("[data-action=timer-add]");
        var paused = (await Live.GetAsync(Code, CancellationToken.None)).Timer;
        Assert.True(paused.IsPaused);
        Assert.Equal(allotted + 60, paused.DurationSeconds);

        await agenda.ClickAsync("[data-action=timer-reset]");
        var reset = (await Live.GetAsync(Code, CancellationToken.None)).Timer;
        Assert.Null(reset.StartedAt);
        Assert.Equal(allotted, reset.DurationSeconds);
        Assert.Equal("stopped", agenda.Find(".timer").GetAttribute("data-timer-state"));
    }

    [Fact]
    public async Task Closing_the_QA_is_stored_and_another_moderators_change_shows_up_live()
    {
        var agenda = RenderAgenda();

        await agenda.ClickAsync("[data-action=qa-toggle]");
        Assert.False((await Live.GetAsync(Code, CancellationToken.None)).QaOpen);
        Assert.Equal("Q&A is closed", agenda.Find(".qa-state").TextContent);

        await Live.NextSlotAsync(Code, new Access.Actor("someone else"), CancellationToken.None);

        agenda.WaitForAssertion(() => Assert.Equal("opening", agenda.Find(".current-slot").GetAttribute("data-current-slot")));
    }

    [Fact]
    public async Task The_lower_third_toggle_hides_and_shows_it_audited_and_follows_another_moderators_switch()
    {
        var agenda = RenderAgenda();
        Assert.Equal("shown", agenda.Find(".lower-third-state").GetAttribute("data-lower-third"));

        await agenda.ClickAsync("[data-action=lower-third-toggle]");

        Assert.True((await Live.GetAsync(Code, CancellationToken.None)).LowerThirdHidden);
        Assert.Equal("Overlay lower third is hidden", agenda.Find(".lower-third-state").TextContent);
        Assert.Equal("Show lower third", agenda.Find("[data-action=lower-third-toggle]").TextContent);
        var audit = await Server.Services.GetRequiredService<LiveSession.Server.Questions.AuditLog>().ListAsync(Code, 10, CancellationToken.None);
        Assert.Equal(LiveControlService.LowerThirdHideAction, audit[0].Action);

        await Live.SetLowerThirdHiddenAsync(Code, hidden: false, new Access.Actor("someone else"), CancellationToken.None);

        agenda.WaitForAssertion(() => Assert.Equal("shown", agenda.Find(".lower-third-state").GetAttribute("data-lower-third")));
        Assert.Equal("Hide lower third", agenda.Find("[data-action=lower-third-toggle]").TextContent);
    }

    [Fact]
    public async Task Previous_slot_before_the_event_shows_the_refusal_and_changes_nothing()
    {
        var agenda = RenderAgenda();
        var before = await Live.GetAsync(Code, CancellationToken.None);

        await agenda.ClickAsync("[data-action=previous-slot]");

        Assert.Contains("no previous slot", agenda.Find(".message").TextContent);
        Assert.Equal(before, await Live.GetAsync(Code, CancellationToken.None));
    }
}
