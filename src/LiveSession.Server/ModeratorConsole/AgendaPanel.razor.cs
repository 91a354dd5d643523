using LiveSession.Domain.Events;
using LiveSession.Domain.Live;
using LiveSession.Domain.Questions;
using LiveSession.Server.Live;
using Microsoft.AspNetCore.Components;

namespace LiveSession.Server.ModeratorConsole;

/// <summary>Which part of the agenda panel a copy shows: the console keeps the Now part in view while the queue scrolls.</summary>
public enum AgendaPart
{
    /// <summary>Everything in one panel.</summary>
    All,

    /// <summary>Current slot, speaker, speaking timer, next slot / speaker and the timer's buttons.</summary>
    Now,

    /// <summary>Previous slot, End event, Q&amp;A open, the room screen, the programme.</summary>
    Programme,
}

/// <summary>Runs the agenda as it unfolds: slot, speaker, speaking timer (ticking here), Q&amp;A open, the room screen, the overlay's lower third.</summary>
public partial class AgendaPanel
{
    private EventDefinition? _definition;
    private LiveState? _live;
    private Question? _screenQuestion;
    private Timer? _ticker;

    [Parameter]
    public AgendaPart Part { get; set; } = AgendaPart.All;

    private bool Shows(AgendaPart part) => Part == AgendaPart.All || Part == part;

    private string PartClass => Part switch
    {
        AgendaPart.Now => "now-bar",
        AgendaPart.Programme => "programme",
        _ => "",
    };

    private string TitleId => Part == AgendaPart.Now ? "now-title" : "agenda-title";

    private string TimerState => _live?.Timer switch
    {
        { IsRunning: true } => "running",
        { IsPaused: true } => "paused",
        _ => "stopped",
    };

    private string TimerClass =>
        _live is not null && _live.Timer.StartedAt is not null && _live.Timer.Remaining(Time.GetUtcNow()) < TimeSpan.Zero ? "overrun" : "";

    protected override async Task OnInitializedAsync()
    {
        await base.OnInitializedAsync();
        if (Allowed && Shows(AgendaPart.Now))
        {
            // The server sends no ticks: the console ticks the timer itself, like every other client.
            _ticker = new Timer(_ => Tick(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        }
    }

    private void Tick()
    {
        if (_live?.Timer.IsRunning == true)
        {
            _ = InvokeAsync(StateHasChanged);
        }
    }

    protected override async Task LoadAsync()
    {
        _definition = await Events.GetDefinitionAsync(Code, CancellationToken.None);
        _live = await Live.GetAsync(Code, CancellationToken.None);
        _screenQuestion = _live.ScreenQuestionId is { } id ? await Questions.GetAsync(Code, id, CancellationToken.None) : null;
    }

    protected override bool Follows(FeedNotice notice) =>
        notice.Type is UpdateTypes.Agenda or UpdateTypes.Screen or UpdateTypes.Qa or UpdateTypes.Overlay or UpdateTypes.Event
        || (notice.Type == UpdateTypes.Question && notice.QuestionId == _live?.ScreenQuestionId);

    private Task NextSlotAsync() => ActAsync(actor => Live.NextSlotAsync(Code, actor, CancellationToken.None));

    private Task PreviousSlotAsync() => ActAsync(actor => Live.PreviousSlotAsync(Code, actor, CancellationToken.None));

    private Task EndAsync() => ActAsync(actor => Live.EndAsync(Code, actor, CancellationToken.None));

    private Task NextSpeakerAsync() => ActAsync(actor => Live.NextSpeakerAsync(Code, actor, CancellationToken.None));

    private Task JumpAsync(AgendaSlot slot, Speaker? speaker) =>
        ActAsync(actor => Live.SetCurrentAsync(Code, slot.Id, speaker?.Id, actor, CancellationToken.None));

    private Task StartTimerAsync() => ActAsync(actor => Live.StartTimerAsync(Code, actor, CancellationToken.None));

    private Task PauseTimerAsync() => ActAsync(actor => Live.PauseTimerAsync(Code, actor, CancellationToken.None));

    private Task ResetTimerAsync() => ActAsync(actor => Live.ResetTimerAsync(Code, actor, CancellationToken.None));

    private Task AddMinuteAsync() => ActAsync(actor => Live.AddTimerSecondsAsync(Code, 60, actor, CancellationToken.None));

    private Task ToggleQaAsync() => ActAsync(actor => Live.SetQaOpenAsync(Code, !_live!.QaOpen, actor, CancellationToken.None));

    private Task ToggleLowerThirdAsync() =>
        ActAsync(actor => Live.SetLowerThirdHiddenAsync(Code, !_live!.LowerThirdHidden, actor, CancellationToken.None));

    private Task ClearScreenAsync() => ActAsync(actor => Live.SetScreenAsync(Code, null, actor, CancellationToken.None));

    protected override void Dispose(bool disposing) => _ticker?.Dispose();
}
