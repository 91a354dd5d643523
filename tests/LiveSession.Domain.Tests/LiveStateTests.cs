using LiveSession.Domain.Errors;
using LiveSession.Domain.Events;
using LiveSession.Domain.Live;
using Microsoft.Extensions.Time.Testing;

namespace LiveSession.Domain.Tests;

public class LiveStateTests
{
    private static readonly DateTimeOffset Start = new(2022, 11, 8, 16, 15, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider time = new(Start);

    /// <summary>Two speakers, then a slot without speakers, then one speaker.</summary>
    private static readonly EventDefinition Agenda = new(
        "test-event", "Test event", "Somewhere", null, "Europe/Brussels", Start, null, "hybrid",
        [
            new AgendaSlot("a", "Slot A", "statements", Start, Start.AddMinutes(10),
                [new Speaker("a1", "First", null), new Speaker("a2", "Second", "Org")], SpeakingSeconds: 120),
            new AgendaSlot("b", "Slot B", "break", Start.AddMinutes(10), Start.AddMinutes(20), []),
            new AgendaSlot("c", "Slot C", "talk", Start.AddMinutes(20), Start.AddMinutes(30), [new Speaker("c1", "Third", null)]),
        ]);

    private DateTimeOffset Now => time.GetUtcNow();

    private static string Position(LiveState state) => $"{state.CurrentSlotId ?? "-"}/{state.CurrentSpeakerId ?? "-"}";

    [Fact]
    public void Fresh_state_is_before_the_first_slot()
    {
        var state = LiveState.Initial(Agenda);

        Assert.Null(state.CurrentSlotId);
        Assert.Null(state.CurrentSpeakerId);
        Assert.Null(state.ScreenQuestionId);
        Assert.True(state.QaOpen);
        Assert.Equal(0, state.Revision);
        Assert.Equal(SpeakingTimer.Stopped(120), state.Timer);
    }

    [Fact]
    public void Next_slot_walks_the_agenda_with_each_first_speaker_and_a_fresh_timer()
    {
        var state = LiveState.Initial(Agenda);
        var seen = new List<string>();

        for (var i = 0; i < Agenda.Slots.Count; i++)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            var next = state.NextSlot(Agenda, Now);
            Assert.Equal(state.Revision + 1, next.Revision);
            Assert.Equal(SpeakingTimer.StartedAtNow(Agenda.Slots[i].AllottedSecondsPerSpeaker, Now), next.Timer);
            seen.Add(Position(next));
            state = next;
        }

        Assert.Equal(["a/a1", "b/-", "c/c1"], seen);
        Assert.Equal(600, state.Timer.DurationSeconds);
    }

    [Fact]
    public void Next_slot_past_the_end_is_refused_and_changes_nothing()
    {
        var last = LiveState.Initial(Agenda).SetCurrent(Agenda, "c", null, Now);
        var before = last with { };

        var error = Assert.Throws<LiveSessionException>(() => last.NextSlot(Agenda, Now));

        Assert.Equal(ErrorCodes.EndOfAgenda, error.Code);
        Assert.Equal(before, last);
    }

    [Fact]
    public void Next_speaker_walks_the_speakers_then_the_next_slots()
    {
        var state = LiveState.Initial(Agenda);
        var seen = new List<string>();

        for (var i = 0; i < 4; i++)
        {
            var next = state.NextSpeaker(Agenda, Now);
            Assert.Equal(state.Revision + 1, next.Revision);
            seen.Add(Position(next));
            state = next;
        }

        Assert.Equal(["a/a1", "a/a2", "b/-", "c/c1"], seen);
        var before = state with { };
        Assert.Equal(ErrorCodes.EndOfAgenda, Assert.Throws<LiveSessionException>(() => state.NextSpeaker(Agenda, Now)).Code);
        Assert.Equal(before, state);
    }

    [Fact]
    public void Next_speaker_restarts_the_timer_with_the_speaker_allotment()
    {
        var first = LiveState.Initial(Agenda).NextSpeaker(Agenda, Now);
        time.Advance(TimeSpan.FromSeconds(150));

        var second = first.NextSpeaker(Agenda, Now);

        Assert.Equal("a2", second.CurrentSpeakerId);
        Assert.Equal(TimeSpan.FromSeconds(120), second.Timer.Remaining(Now));
        Assert.True(second.Timer.IsRunning);
    }

    [Fact]
    public void Previous_slot_walks_back_to_before_the_start()
    {
        var state = LiveState.Initial(Agenda).SetCurrent(Agenda, "c", "c1", Now);

        var b = state.PreviousSlot(Agenda, Now);
        var a = b.PreviousSlot(Agenda, Now);
        var beforeStart = a.PreviousSlot(Agenda, Now);

        Assert.Equal(["b/-", "a/a1", "-/-"], new[] { b, a, beforeStart }.Select(Position));
        Assert.Equal([2, 3, 4], new[] { b, a, beforeStart }.Select(s => s.Revision));
        Assert.Equal(SpeakingTimer.Stopped(120), beforeStart.Timer);
        var refused = Assert.Throws<LiveSessionException>(() => beforeStart.PreviousSlot(Agenda, Now));
        Assert.Equal(ErrorCodes.InvalidState, refused.Code);
    }

    [Fact]
    public void Set_current_moves_to_a_slot_and_speaker()
    {
        var state = LiveState.Initial(Agenda);

        Assert.Equal("a/a2", Position(state.SetCurrent(Agenda, "a", "a2", Now)));
        Assert.Equal("a/a1", Position(state.SetCurrent(Agenda, "a", null, Now)));
        Assert.Equal("b/-", Position(state.SetCurrent(Agenda, "b", null, Now)));
        Assert.Equal(1, state.SetCurrent(Agenda, "c", "c1", Now).Revision);
    }

    [Fact]
    public void Set_current_with_an_unknown_slot_is_not_found()
    {
        var state = LiveState.Initial(Agenda);

        var error = Assert.Throws<LiveSessionException>(() => state.SetCurrent(Agenda, "z", null, Now));

        Assert.Equal(ErrorCodes.NotFound, error.Code);
    }

    [Theory]
    [InlineData("a", "c1")]
    [InlineData("b", "a1")]
    [InlineData("c", "nobody")]
    public void Set_current_with_a_speaker_of_another_slot_is_refused(string slotId, string speakerId)
    {
        var state = LiveState.Initial(Agenda);

        var error = Assert.Throws<LiveSessionException>(() => state.SetCurrent(Agenda, slotId, speakerId, Now));

        Assert.Equal(ErrorCodes.UnknownSpeaker, error.Code);
    }

    [Fact]
    public void Every_change_moves_the_revision_on()
    {
        var state = LiveState.Initial(Agenda);

        state = state.WithQaOpen(false);
        Assert.False(state.QaOpen);
        state = state.WithScreenQuestion("q1");
        Assert.Equal("q1", state.ScreenQuestionId);
        state = state.WithScreenQuestion(null);
        Assert.Null(state.ScreenQuestionId);
        state = state.WithTimer(state.Timer.Start(Now));
        Assert.True(state.Timer.IsRunning);
        state = state.NextSlot(Agenda, Now).NextSpeaker(Agenda, Now).PreviousSlot(Agenda, Now).SetCurrent(Agenda, "b", null, Now);

        Assert.Equal(8, state.Revision);
    }

    [Fact]
    public void An_empty_agenda_has_nowhere_to_go()
    {
        var empty = Agenda with { Slots = [] };
        var state = LiveState.Initial(empty);

        Assert.Equal(0, state.Timer.DurationSeconds);
        Assert.Equal(ErrorCodes.EndOfAgenda, Assert.Throws<LiveSessionException>(() => state.NextSlot(empty, Now)).Code);
        Assert.Equal(ErrorCodes.EndOfAgenda, Assert.Throws<LiveSessionException>(() => state.NextSpeaker(empty, Now)).Code);
    }

    [Fact]
    public void Hiding_the_lower_third_moves_the_revision_once_and_survives_slot_changes_and_the_end()
    {
        var shown = LiveState.Initial(Agenda);
        Assert.False(shown.LowerThirdHidden);

        var hidden = shown.WithLowerThirdHidden(true);

        Assert.True(hidden.LowerThirdHidden);
        Assert.Equal(shown.Revision + 1, hidden.Revision);
        Assert.Same(hidden, hidden.WithLowerThirdHidden(true));
        Assert.True(hidden.NextSlot(Agenda, Now).NextSpeaker(Agenda, Now).End().LowerThirdHidden);
        var shownAgain = hidden.WithLowerThirdHidden(false);
        Assert.False(shownAgain.LowerThirdHidden);
        Assert.Equal(hidden.Revision + 1, shownAgain.Revision);
    }

    [Fact]
    public void Demo_event_can_be_walked_speaker_by_speaker_to_the_end()
    {
        var demo = DemoEvent.Load();
        var state = LiveState.Initial(demo);
        var positions = new List<string>();

        while (true)
        {
            try
            {
                state = state.NextSpeaker(demo, Now);
            }
            catch (LiveSessionException e) when (e.Code == ErrorCodes.EndOfAgenda)
            {
                break;
            }

            positions.Add(Position(state));
        }

        Assert.Equal(1 + 10 + 10 + 1, positions.Count);
        Assert.Equal("opening/patrick-breyer", positions[0]);
        Assert.Equal("mep-reactions/patrick-breyer-reaction", positions[11]);
        Assert.Equal("drinks/-", positions[^1]);
    }
}
