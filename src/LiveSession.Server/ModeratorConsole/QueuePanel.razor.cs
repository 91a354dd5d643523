using LiveSession.Domain.Errors;
using LiveSession.Domain.Events;
using LiveSession.Domain.Questions;
using LiveSession.Server.Access;
using LiveSession.Server.Live;
using LiveSession.Server.Questions;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Options;

namespace LiveSession.Server.ModeratorConsole;

/// <summary>
/// The live queue: the event's questions with the actions their status allows, filters and shortcuts.
/// It holds every question once and applies each change it hears of by reading that one question;
/// it shows a page of the matching ones (<see cref="PageSize"/> more on request) and counts the rest,
/// so a queue of thousands renders as fast as one of fifty.
/// </summary>
public partial class QueuePanel
{
    public const int PageSize = 50;

    /// <summary>Past this many changed questions in one refresh, one read of the whole queue is cheaper.</summary>
    private const int MaxSingleReads = 64;

    private readonly Dictionary<string, Question> _byId = new(StringComparer.Ordinal);
    private IReadOnlyList<Question> _matching = [];
    private IReadOnlyList<Question> _visible = [];
    private int _shown = PageSize;
    private QueueCounters _counters = QueueCounters.From([]);
    private QueueActivity _activity = null!;
    private int _questionsPerMinute;
    private int _votesPerMinute;
    private int _identitiesPerMinute;
    private IReadOnlyList<(string QuestionId, int Votes)> _surging = [];
    private EventDefinition? _definition;
    private QueueFilter _filter = new();
    private string? _screenId;
    private string? _selectedId;
    private string? _editingId;
    private string _editText = "";
    private int _editRevision;
    private EditConflict? _editConflict;
    private string? _mergingId;
    private string? _mergeTargetId;
    private string? _resettingId;
    private Timer? _ageTicker;

    /// <summary>Incoming questions asked after this moment are marked new; it moves on when the moderator leaves the Incoming view.</summary>
    private DateTimeOffset _seenUntil;
    private int _newCount;

    [Inject]
    public required IOptions<ConsoleOptions> ConsoleSettings { get; init; }

    [Inject]
    public required AuditLog Audit { get; init; }

    /// <summary>The view the queue opens with (Incoming: what waits for a decision).</summary>
    [Parameter]
    public QueueView InitialView { get; set; } = QueueView.Incoming;

    private IEnumerable<Question> All => _byId.Values;


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
        var settings = ConsoleSettings.Value;
        _activity = new QueueActivity(Time, settings.VoteSurgeVotes, settings.VoteSurgeWindow);
        _filter = _filter with { View = InitialView };
        // What was there at login is not new; what arrives after it is, until the moderator has looked.
        _seenUntil = Time.GetUtcNow();
        await base.OnInitializedAsync();
        if (Allowed)
        {
            // Ages ("3 min ago") and the per-minute figures move on even when nothing else happens.
            _ageTicker = new Timer(_ => InvokeAsync(() =>
            {
                Recount();
                StateHasChanged();
            }), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
        }
    }

    protected override async Task LoadAsync()
    {
        _definition = await Events.GetDefinitionAsync(Code, CancellationToken.None);
        var all = await Questions.ListAsync(Code, status: null, CancellationToken.None);
        var known = all.Select(q => q.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _byId.Keys.Where(id => !known.Contains(id)).ToList())
        {
            _byId.Remove(gone);
        }

        foreach (var question in all)
        {
            Remember(question);
        }

        _screenId = (await Live.GetAsync(Code, CancellationToken.None)).ScreenQuestionId;
        Recount();
    }

    protected override bool Follows(FeedNotice notice) =>
        notice.Type is UpdateTypes.Question or UpdateTypes.Votes or UpdateTypes.Screen or UpdateTypes.Event or UpdateTypes.Agenda;

    /// <summary>Reads only what the notices name: the changed questions, the screen, the published questions' counts.</summary>
    protected override async Task RefreshAsync(IReadOnlyList<FeedNotice>? notices)
    {
        var changed = notices?.Where(n => n.Type == UpdateTypes.Question).Select(n => n.QuestionId).Distinct().ToList();
        if (notices is null || changed!.Count > MaxSingleReads || changed.Contains(null)
            || notices.Any(n => n.Type is UpdateTypes.Event or UpdateTypes.Agenda))
        {
            await LoadAsync();
            return;
        }

        foreach (var id in changed)
        {
            try
            {
                Remember(await Questions.GetAsync(Code, id, CancellationToken.None));
            }
            catch (LiveSessionException gone) when (gone.Code == ErrorCodes.NotFound)
            {
                _byId.Remove(id!);
            }
        }

        if (notices.Any(n => n.Type == UpdateTypes.Screen))
        {
            _screenId = (await Live.GetAsync(Code, CancellationToken.None)).ScreenQuestionId;
        }

        if (notices.Any(n => n.Type == UpdateTypes.Votes))
        {
            var published = All.Where(q => q.IsPublic).Select(q => q.Id).ToList();
            foreach (var (id, votes) in await Questions.GetVoteCountsAsync(Code, published, CancellationToken.None))
            {
                if (_byId.TryGetValue(id, out var question))
                {
                    Remember(question with { Votes = votes });
                }
            }
        }

        Recount();
    }

    /// <summary>The panel applied its action's result itself; only a refusal needs the whole fresh state.</summary>
    protected override Task AfterActionAsync(bool refused) => refused ? LoadAsync() : Task.CompletedTask;

    /// <summary>
    /// Keeps the newest copy of a question (by revision) and notes the votes it gained. Only votes
    /// that moved while the question stayed the same count as gains: a merge also adds votes (and
    /// takes a new revision), and it is no surge.
    /// </summary>
    private void Remember(Question fresh)
    {
        if (_byId.TryGetValue(fresh.Id, out var known))
        {
            if (known.Revision > fresh.Revision)
            {
                return;
            }

            if (known.Revision == fresh.Revision)
            {
                _activity.VotesGained(fresh.Id, fresh.Votes - known.Votes);
            }
        }

        _byId[fresh.Id] = fresh;
    }

    private void Apply(Question question)
    {
        Remember(question);
        Recount();
    }

    private void Recount()
    {
        _counters = QueueCounters.From(_byId.Values);
        _questionsPerMinute = _activity.QuestionsLastMinute(All);
        _votesPerMinute = _activity.VotesLastMinute();
        _identitiesPerMinute = NewIdentities.LastMinute(Code);
        _surging = _activity.Surging();
        _newCount = All.Count(IsNew);
        Refilter(_filter, keepPage: true);
    }

    private void Refilter(QueueFilter filter, bool keepPage = false)
    {
        if (!keepPage)
        {
            _shown = PageSize;
        }

        _filter = filter;
        _matching = filter.Apply(All);
        _visible = _matching.Take(_shown).ToList();
        if (_selectedId is null || _visible.All(q => q.Id != _selectedId))
        {
            _selectedId = _visible.FirstOrDefault()?.Id;
        }
    }

    private bool IsNew(Question question) => question.Status == QuestionStatus.Pending && question.CreatedAt > _seenUntil;

    /// <summary>Leaving the Incoming view counts as having seen what it held.</summary>
    private void Show(QueueView view)
    {
        if (_filter.View == QueueView.Incoming && view != QueueView.Incoming)
        {
            _seenUntil = Time.GetUtcNow();
            _newCount = All.Count(IsNew);
        }

        Refilter(_filter with { View = view });
    }

    private void ShowMore()
    {
        _shown += PageSize;
        _visible = _matching.Take(_shown).ToList();
    }

    private static bool Can(Question question, QuestionAction action) => QuestionWorkflow.IsAllowed(action, question.Status);

    /// <summary>An action on one question; its result is shown at once, whatever the feed is busy with.</summary>
    private Task ActOnAsync(Func<Actor, Task<Question>> action) => ActAsync(async actor => Apply(await action(actor)));

    private Task ApproveAsync(Question q) => ActOnAsync(actor => Questions.ApproveAsync(Code, q.Id, actor, CancellationToken.None));

    private Task RejectAsync(Question q) => ActOnAsync(actor => Questions.RejectAsync(Code, q.Id, actor, CancellationToken.None));

    private Task AnsweredAsync(Question q) => ActOnAsync(actor => Questions.MarkAnsweredAsync(Code, q.Id, actor, CancellationToken.None));

    private Task RestoreAsync(Question q) => ActOnAsync(actor => Questions.RestoreAsync(Code, q.Id, actor, CancellationToken.None));

    private Task ResetVotesAsync(Question q)
    {
        _resettingId = null;
        return ActOnAsync(actor => Questions.ResetVotesAsync(Code, q.Id, actor, CancellationToken.None));
    }

    private Task ToggleScreenAsync(Question q) =>
        ActAsync(async actor => _screenId = (await Live.SetScreenAsync(Code, q.Id == _screenId ? null : q.Id, actor, CancellationToken.None)).ScreenQuestionId);

    private void StartEdit(Question q)
    {
        _mergingId = null;
        _editingId = q.Id;
        _editText = q.Text;
        _editRevision = q.Revision;
        _editConflict = null;
    }

    private void CancelEdit()
    {
        _editingId = null;
        _editConflict = null;
    }

    /// <summary>
    /// Saves on the revision the editor started from. If someone changed the question meanwhile the
    /// store refuses: nothing is overwritten, the other version is shown, the typed text stays, and
    /// the editor moves to the revision now shown, so a second Save knowingly replaces it.
    /// </summary>
    private async Task SaveEditAsync(Question q)
    {
        var conflicted = false;
        await ActAsync(async actor =>
        {
            try
            {
                Apply(await Questions.EditTextAsync(Code, q.Id, _editText, actor, CancellationToken.None, _editRevision));
            }
            catch (LiveSessionException refusal) when (refusal.Code == ErrorCodes.Conflict)
            {
                conflicted = true;
                var current = await Questions.GetAsync(Code, q.Id, CancellationToken.None);
                Apply(current);
                _editRevision = current.Revision;
                _editConflict = new EditConflict(current.Text, await LastActorAsync(q.Id));
            }
        });
        if (Message is null && !conflicted)
        {
            _editingId = null;
            _editConflict = null;
        }
    }

    /// <summary>Who last changed the question, from the audit log (newest first), to name them in the conflict.</summary>
    private async Task<string?> LastActorAsync(string questionId) =>
        (await Audit.ListAsync(Code, 100, CancellationToken.None)).FirstOrDefault(entry => entry.QuestionId == questionId)?.Actor;

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

        await ActAsync(async actor =>
        {
            Apply(await Questions.MergeAsync(Code, q.Id, _mergeTargetId, actor, CancellationToken.None));
            Apply(await Questions.GetAsync(Code, q.Id, CancellationToken.None));
        });
        _mergingId = null;
    }

    private void OnEditorKey(KeyboardEventArgs key)
    {
        if (key.Key == "Escape")
        {
            _editingId = null;
            _editConflict = null;
            _mergingId = null;
            _resettingId = null;
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

    private static string ViewName(QueueView view) => view.ToString().ToLowerInvariant();

    private static string ViewLabel(QueueView view) => view switch
    {
        QueueView.Incoming => "Incoming",
        QueueView.Published => "Published",
        QueueView.Done => "Done",
        _ => "All",
    };

    private sealed record EditConflict(string TheirText, string? By);

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..79] + "…";

    protected override void Dispose(bool disposing) => _ageTicker?.Dispose();
}
