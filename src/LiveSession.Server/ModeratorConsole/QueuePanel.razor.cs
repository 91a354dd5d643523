using LiveSession.Domain.Events;
using LiveSession.Domain.Questions;
using LiveSession.Server.Live;
using Microsoft.AspNetCore.Components.Web;

namespace LiveSession.Server.ModeratorConsole;

/// <summary>The live queue: every question of the event with the actions its status allows, filters and shortcuts.</summary>
public partial class QueuePanel
{
    private IReadOnlyList<Question> _all = [];
    private IReadOnlyList<Question> _visible = [];
    private QueueCounters _counters = QueueCounters.From([]);
    private EventDefinition? _definition;
    private QueueFilter _filter = new();
    private string? _screenId;
    private string? _selectedId;
    private string? _editingId;
    private string _editText = "";
    private string? _mergingId;
    private string? _mergeTargetId;
    private Timer? _ageTicker;

    private QueueStatusFilter StatusFilter
    {
        get => _filter.Status;
        set => Refilter(_filter with { Status = value });
    }

    private string OriginFilter
    {
        get => _filter.Origin?.ToWire() ?? "";
        set => Refilter(_filter with { Origin = QuestionWorkflow.TryParseOrigin(value, out var origin) ? origin : null });
    }

    private string SpeakerFilter
    {
        get => _filter.SpeakerId ?? "";
        set => Refilter(_filter with { SpeakerId = string.IsNullOrEmpty(value) ? null : value });
    }

    private QueueSort SortOrder
    {
        get => _filter.Sort;
        set => Refilter(_filter with { Sort = value });
    }

    protected override async Task OnInitializedAsync()
    {
        await base.OnInitializedAsync();
        if (Allowed)
        {
            // Ages ("3 min ago") move on even when nothing else happens.
            _ageTicker = new Timer(_ => InvokeAsync(StateHasChanged), null, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));
        }
    }

    protected override async Task LoadAsync()
    {
        _definition = await Events.GetDefinitionAsync(Code, CancellationToken.None);
        _all = await Questions.ListAsync(Code, status: null, CancellationToken.None);
        _screenId = (await Live.GetAsync(Code, CancellationToken.None)).ScreenQuestionId;
        _counters = QueueCounters.From(_all.ToList());
        Refilter(_filter);
    }

    protected override bool Follows(FeedNotice notice) =>
        notice.Type is UpdateTypes.Question or UpdateTypes.Votes or UpdateTypes.Screen or UpdateTypes.Event or UpdateTypes.Agenda;

    private void Refilter(QueueFilter filter)
    {
        _filter = filter;
        _visible = filter.Apply(_all);
        if (_selectedId is null || _visible.All(q => q.Id != _selectedId))
        {
            _selectedId = _visible.FirstOrDefault()?.Id;
        }
    }

    private static bool Can(Question question, QuestionAction action) => QuestionWorkflow.IsAllowed(action, question.Status);

    private Task ApproveAsync(Question q) => ActAsync(actor => Questions.ApproveAsync(Code, q.Id, actor, CancellationToken.None));

    private Task RejectAsync(Question q) => ActAsync(actor => Questions.RejectAsync(Code, q.Id, actor, CancellationToken.None));

    private Task AnsweredAsync(Question q) => ActAsync(actor => Questions.MarkAnsweredAsync(Code, q.Id, actor, CancellationToken.None));

    private Task RestoreAsync(Question q) => ActAsync(actor => Questions.RestoreAsync(Code, q.Id, actor, CancellationToken.None));

    private Task ToggleScreenAsync(Question q) =>
        ActAsync(actor => Live.SetScreenAsync(Code, q.Id == _screenId ? null : q.Id, actor, CancellationToken.None));

    private void StartEdit(Question q)
    {
        _mergingId = null;
        _editingId = q.Id;
        _editText = q.Text;
    }

    private void CancelEdit() => _editingId = null;

    private async Task SaveEditAsync(Question q)
    {
        await ActAsync(actor => Questions.EditTextAsync(Code, q.Id, _editText, actor, CancellationToken.None));
        if (Message is null)
        {
            _editingId = null;
        }
    }

    private void StartMerge(Question q)
    {
        _editingId = null;
        _mergingId = q.Id;
        _mergeTargetId = null;
    }

    private void CancelMerge() => _mergingId = null;

    private async Task MergeAsync(Question q)
    {
        if (string.IsNullOrEmpty(_mergeTargetId))
        {
            return;
        }

        await ActAsync(actor => Questions.MergeAsync(Code, q.Id, _mergeTargetId, actor, CancellationToken.None));
        _mergingId = null;
    }

    private void OnEditorKey(KeyboardEventArgs key)
    {
        if (key.Key == "Escape")
        {
            _editingId = null;
            _mergingId = null;
        }
    }

    private async Task OnKeyAsync(KeyboardEventArgs key)
    {
        if (_editingId is not null || _mergingId is not null || key.CtrlKey || key.AltKey || key.MetaKey)
        {
            return;
        }

        var selected = _visible.FirstOrDefault(q => q.Id == _selectedId);
        switch (key.Key.ToLowerInvariant())
        {
            case "arrowdown" or "j":
                Move(+1);
                break;
            case "arrowup" or "k":
                Move(-1);
                break;
            case "a" when selected is not null && Can(selected, QuestionAction.Approve):
                await ApproveAsync(selected);
                break;
            case "r" when selected is not null && Can(selected, QuestionAction.Reject):
                await RejectAsync(selected);
                break;
            case "s" when selected is not null && Can(selected, QuestionAction.Screen):
                await ToggleScreenAsync(selected);
                break;
            case "enter" when selected is not null && Can(selected, QuestionAction.Answer):
                await AnsweredAsync(selected);
                break;
            case "u" when selected is not null && Can(selected, QuestionAction.Restore):
                await RestoreAsync(selected);
                break;
            case "e" when selected is not null && Can(selected, QuestionAction.Edit):
                StartEdit(selected);
                break;
            case "m" when selected is not null && Can(selected, QuestionAction.Merge):
                StartMerge(selected);
                break;
        }
    }

    private void Move(int step)
    {
        if (_visible.Count == 0)
        {
            return;
        }

        var index = _visible.ToList().FindIndex(q => q.Id == _selectedId);
        _selectedId = _visible[Math.Clamp(index + step, 0, _visible.Count - 1)].Id;
    }

    private static string StatusLabel(QueueStatusFilter status) => status switch
    {
        QueueStatusFilter.Active => "waiting, published, answered",
        QueueStatusFilter.Waiting => "waiting",
        QueueStatusFilter.Published => "published",
        QueueStatusFilter.Answered => "answered",
        QueueStatusFilter.Rejected => "rejected",
        QueueStatusFilter.Merged => "merged",
        _ => "all",
    };

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..79] + "…";

    protected override void Dispose(bool disposing) => _ageTicker?.Dispose();
}
