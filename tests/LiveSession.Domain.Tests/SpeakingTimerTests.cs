using LiveSession.Domain.Errors;
using LiveSession.Domain.Live;
using Microsoft.Extensions.Time.Testing;

namespace LiveSession.Domain.Tests;

public class SpeakingTimerTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2022, 11, 8, 16, 20, 0, TimeSpan.Zero));

    private DateTimeOffset Now => time.GetUtcNow();

    private void Wait(int seconds) => time.Advance(TimeSpan.FromSeconds(seconds));

    [Fact]
    public void Stopped_timer_has_its_whole_duration()
    {
        var timer = SpeakingTimer.Stopped(150);
        Wait(60);

        Assert.False(timer.IsRunning);
        Assert.False(timer.IsPaused);
        Assert.Equal(TimeSpan.Zero, timer.Elapsed(Now));
        Assert.Equal(TimeSpan.FromSeconds(150), timer.Remaining(Now));
    }

    [Fact]
    public void Running_timer_counts_down_with_the_clock()
    {
        var timer = SpeakingTimer.Stopped(150).Start(Now);
        Wait(30);

        Assert.True(timer.IsRunning);
        Assert.Equal(Now.AddSeconds(-30), timer.StartedAt);
        Assert.Equal(TimeSpan.FromSeconds(30), timer.Elapsed(Now));
        Assert.Equal(TimeSpan.FromSeconds(120), timer.Remaining(Now));
    }

    [Fact]
    public void Pause_and_resume_keep_the_elapsed_time()
    {
        var timer = SpeakingTimer.StartedAtNow(150, Now);
        Wait(30);
        var paused = timer.Pause(Now);
        Wait(600);

        Assert.True(paused.IsPaused);
        Assert.False(paused.IsRunning);
        Assert.Equal(TimeSpan.FromSeconds(30), paused.Elapsed(Now));

        var resumed = paused.Start(Now);
        Assert.True(resumed.IsRunning);
        Assert.Null(resumed.PausedAt);
        Assert.Equal(TimeSpan.FromSeconds(30), resumed.Elapsed(Now));
        Wait(10);
        Assert.Equal(TimeSpan.FromSeconds(40), resumed.Elapsed(Now));
        Assert.Equal(TimeSpan.FromSeconds(110), resumed.Remaining(Now));
    }

    [Fact]
    public void Remaining_goes_negative_on_overrun()
    {
        var timer = SpeakingTimer.StartedAtNow(60, Now);
        Wait(90);

        Assert.Equal(TimeSpan.FromSeconds(-30), timer.Remaining(Now));
    }

    [Fact]
    public void Reset_stops_with_a_new_duration()
    {
        var timer = SpeakingTimer.StartedAtNow(60, Now);
        Wait(90);

        var reset = timer.Reset(300);

        Assert.Equal(SpeakingTimer.Stopped(300), reset);
        Assert.Equal(TimeSpan.FromSeconds(300), reset.Remaining(Now));
        Wait(5);
        Assert.Equal(TimeSpan.FromSeconds(295), reset.Start(Now.AddSeconds(-5)).Remaining(Now));
    }

    [Fact]
    public void Start_of_a_running_timer_and_pause_of_a_stopped_one_are_refused()
    {
        var running = SpeakingTimer.StartedAtNow(60, Now);
        var paused = running.Pause(Now);

        Assert.Equal(ErrorCodes.InvalidState, Assert.Throws<LiveSessionException>(() => running.Start(Now)).Code);
        Assert.Equal(ErrorCodes.InvalidState, Assert.Throws<LiveSessionException>(() => paused.Pause(Now)).Code);
        Assert.Equal(ErrorCodes.InvalidState, Assert.Throws<LiveSessionException>(() => SpeakingTimer.Stopped(60).Pause(Now)).Code);
    }

    [Theory]
    [InlineData(30, 180)]
    [InlineData(-30, 120)]
    [InlineData(3600, 3750)]
    [InlineData(-3600, 0)]
    public void Add_seconds_changes_the_duration(int seconds, int expectedDuration)
    {
        var timer = SpeakingTimer.StartedAtNow(150, Now);

        var adjusted = timer.AddSeconds(seconds);

        Assert.Equal(expectedDuration, adjusted.DurationSeconds);
        Assert.Equal(timer.StartedAt, adjusted.StartedAt);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3601)]
    [InlineData(-3601)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void Add_seconds_out_of_range_is_invalid_input(int seconds)
    {
        var timer = SpeakingTimer.Stopped(150);

        var error = Assert.Throws<LiveSessionException>(() => timer.AddSeconds(seconds));

        Assert.Equal(ErrorCodes.InvalidInput, error.Code);
    }

    [Fact]
    public void Each_timer_change_through_the_live_state_moves_the_revision_on()
    {
        var state = new LiveState(null, null, true, null, SpeakingTimer.Stopped(60), Revision: 3);

        state = state.WithTimer(state.Timer.Start(Now));
        Wait(10);
        state = state.WithTimer(state.Timer.Pause(Now));
        state = state.WithTimer(state.Timer.Start(Now));
        state = state.WithTimer(state.Timer.AddSeconds(30));
        state = state.WithTimer(state.Timer.Reset(60));

        Assert.Equal(8, state.Revision);
        Assert.Equal(SpeakingTimer.Stopped(60), state.Timer);
    }
}
