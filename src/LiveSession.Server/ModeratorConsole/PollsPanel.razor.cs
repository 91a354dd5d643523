using LiveSession.Server.Live;
using LiveSession.Server.Polls;

namespace LiveSession.Server.ModeratorConsole;

/// <summary>
/// Prepares and runs the event's polls: drafts (create, edit, delete), open and close, results shown
/// or hidden to attendees, the room screen, and the live results with the room/remote split.
/// </summary>
public partial class PollsPanel
{
    private IReadOnlyList<PollDto> _polls = [];
    private string? _screenPollId;
    private PollForm _form = new();
    private string? _confirmingDeleteId;
    private bool _changedMeanwhile;

    // Answers arrive as coalesced pollResults notices (a few a second per poll); several polls, or a
    // poll change on top, still make one reload per window.
    protected override TimeSpan RefreshInterval => TimeSpan.FromMilliseconds(250);

    protected override async Task LoadAsync()
    {
        // Newest first: the poll being prepared or run is at the top.
        _polls = (await Polls.ListAsync(Code, CancellationToken.None)).OrderByDescending(p => p.CreatedAt).ToList();
        _screenPollId = (await Live.GetAsync(Code, CancellationToken.None)).ScreenPollId;
    }

    protected override bool Follows(FeedNotice notice) =>
        notice.Type is UpdateTypes.Poll or UpdateTypes.PollResults or UpdateTypes.Screen or UpdateTypes.Event;

    private async Task SaveAsync()
    {
        var form = _form;
        var saved = false;
        await ActAsync(async actor =>
        {
            if (form.EditingId is null)
            {
                await Polls.CreateAsync(Code, form.ToBody(), actor, CancellationToken.None);
            }
            else
            {
                await Polls.UpdateAsync(Code, form.EditingId, form.ToBody(), actor, CancellationToken.None, form.EditingRevision);
            }

            saved = true;
        });

        if (!ReferenceEquals(form, _form))
        {
            return;
        }

        // A refused form stays as typed, to be corrected; a saved one starts afresh.
        _changedMeanwhile = false;
        if (saved)
        {
            _form = new PollForm();
        }
        else if (form.EditingId is not null)
        {
            var current = _polls.FirstOrDefault(p => p.Id == form.EditingId);
            if (current is null)
            {
                form.Detach();
            }
            else if (current.Status == "draft" && current.Revision != form.EditingRevision)
            {
                form.Rebase(current.Revision);
                _changedMeanwhile = true;
            }
        }
    }

    private void StartEdit(PollDto poll)
    {
        _confirmingDeleteId = null;
        _changedMeanwhile = false;
        _form = PollForm.Edit(poll);
    }

    private void CancelEdit()
    {
        _changedMeanwhile = false;
        _form = new PollForm();
    }

    private Task OpenAsync(PollDto poll) => ActAsync(actor => Polls.OpenAsync(Code, poll.Id, actor, CancellationToken.None));

    private Task CloseAsync(PollDto poll) => ActAsync(actor => Polls.CloseAsync(Code, poll.Id, actor, CancellationToken.None));

    private Task ResultsAsync(PollDto poll, bool visible) =>
        ActAsync(actor => Polls.SetResultsVisibleAsync(Code, poll.Id, visible, actor, CancellationToken.None));

    private Task ScreenAsync(PollDto poll) => ActAsync(actor => Live.SetScreenPollAsync(Code, poll.Id, actor, CancellationToken.None));

    private Task ClearScreenAsync() => ActAsync(actor => Live.SetScreenAsync(Code, null, actor, CancellationToken.None));

    private Task DuplicateAsync(PollDto poll) => ActAsync(actor => Polls.DuplicateAsync(Code, poll.Id, actor, CancellationToken.None));

    private async Task DeleteAsync(PollDto poll)
    {
        _confirmingDeleteId = null;
        if (_form.EditingId == poll.Id)
        {
            _form = new PollForm();
        }

        await ActAsync(actor => Polls.DeleteAsync(Code, poll.Id, actor, CancellationToken.None));
    }

    private string StatusLabel(string status) => status switch
    {
        "draft" => T["Draft (attendees do not see it)"],
        "open" => T["Open: taking answers"],
        _ => T["Closed"],
    };

    private string KindLabel(PollDto poll) => poll.Kind switch
    {
        "single" => T["Single choice"],
        "multiple" => T.Format("Multiple choice (up to {0})", poll.MaxChoices),
        _ => poll.MaxChoices == 1 ? T["Word cloud (one word per answer)"] : T.Format("Word cloud (up to {0} words per answer)", poll.MaxChoices),
    };
}
