using LiveSession.Domain.Errors;
using LiveSession.Server.Access;
using LiveSession.Server.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace LiveSession.Server.ModeratorConsole;

/// <summary>
/// A live panel of the console. It checks that the logged-in key may act on the event, loads its
/// state from the services, subscribes once to the live feed and refreshes on the notices it follows.
/// Notices are coalesced: the first one starts a short wait (<see cref="RefreshInterval"/>), the
/// ones that arrive meanwhile join it, and the panel refreshes and renders once for all of them.
/// Under a flood (100 questions a second) a console thus refreshes a few times a second, and a
/// moderator's click waits behind at most one refresh, never behind hundreds.
/// Actions go through <see cref="ActAsync"/>: a refusal (someone else was faster, a rule said no)
/// becomes a message in the panel, next to the fresh state.
/// </summary>
public abstract class ConsolePanel : ComponentBase, IDisposable
{
    /// <summary>Past this many notices in one wait the panel reloads everything instead of each change.</summary>
    private const int MaxNoticesPerRefresh = 256;

    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _disposed = new();
    private List<FeedNotice>? _pending = [];
    private bool _refreshScheduled;
    private IDisposable? _subscription;

    /// <summary>How long a panel gathers notices before it refreshes once for all of them.</summary>
    protected virtual TimeSpan RefreshInterval => TimeSpan.FromMilliseconds(300);

    [Parameter, EditorRequired]
    public string Code { get; set; } = "";

    [CascadingParameter]
    public Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>The console's words in the moderator's language (the board cascades it; English without).</summary>
    [CascadingParameter]
    public ConsoleText T { get; set; } = ConsoleText.English;

    [Inject]
    public required ILiveFeed Feed { get; init; }

    [Inject]
    public required ConsoleSessions Sessions { get; init; }

    protected ConsoleUser? User { get; private set; }

    protected bool Allowed => User?.MayModerate(Code) == true;

    /// <summary>The last refusal, in words for the moderator; null after a successful action.</summary>
    protected string? Message { get; private set; }

    protected override async Task OnInitializedAsync()
    {
        User = await CurrentUserAsync();
        if (!Allowed)
        {
            return;
        }

        await LoadAsync();
        _subscription = Feed.Subscribe(Code, OnNotice);
    }

    /// <summary>The login can end while the console is open (its key was replaced): the panel stops.</summary>
    protected override async Task OnParametersSetAsync()
    {
        if (_subscription is not null && (await CurrentUserAsync())?.MayModerate(Code) != true)
        {
            User = null;
            _subscription.Dispose();
            _subscription = null;
        }
    }

    private async Task<ConsoleUser?> CurrentUserAsync() =>
        AuthenticationState is null ? null : ConsoleUser.From((await AuthenticationState).User);

    /// <summary>Reads the panel's state from the services.</summary>
    protected abstract Task LoadAsync();

    /// <summary>Which notices change what the panel shows.</summary>
    protected virtual bool Follows(FeedNotice notice) => true;

    /// <summary>
    /// Brings the panel up to date after <paramref name="notices"/> (in arrival order; null when
    /// there were too many to go through one by one). By default the panel reloads everything.
    /// </summary>
    protected virtual Task RefreshAsync(IReadOnlyList<FeedNotice>? notices) => LoadAsync();

    /// <summary>What the panel shows after an action: by default it reloads; a panel that applied the result itself may skip it.</summary>
    protected virtual Task AfterActionAsync(bool refused) => LoadAsync();

    protected async Task ActAsync(Func<Actor, Task> action)
    {
        if (!Allowed)
        {
            return;
        }

        Message = null;
        // An open circuit makes no HTTP requests: the key (replaced?) and the session (logged out?) are checked at each action.
        if (AuthenticationState is null || !await Sessions.IsCurrentAsync((await AuthenticationState).User, CancellationToken.None))
        {
            User = null;
            _subscription?.Dispose();
            _subscription = null;
            Message = T["This console's key was replaced or its session ended: log in again. Nothing was changed."];
            return;
        }

        var refused = false;
        try
        {
            await action(User!.Actor);
        }
        catch (LiveSessionException refusal)
        {
            Message = Describe(refusal, T);
            refused = true;
        }

        await AfterActionAsync(refused);
    }

    public static string Describe(LiveSessionException refusal, ConsoleText? text = null)
    {
        var t = text ?? ConsoleText.English;
        return refusal.Code switch
        {
            ErrorCodes.Conflict => t["Another moderator changed this at the same moment; their change was kept. This is the current state."],
            ErrorCodes.InvalidState => t.Format("Not possible any more: {0} This is the current state.", refusal.Message),
            _ => refusal.Message,
        };
    }

    private Task OnNotice(FeedNotice notice)
    {
        if (!Follows(notice))
        {
            return Task.CompletedTask;
        }

        lock (_gate)
        {
            if (_pending is { Count: < MaxNoticesPerRefresh })
            {
                _pending.Add(notice);
            }
            else
            {
                _pending = null;
            }

            if (_refreshScheduled)
            {
                return Task.CompletedTask;
            }

            _refreshScheduled = true;
        }

        // Not awaited: whoever published the change must not wait for any console.
        _ = RefreshLaterAsync();
        return Task.CompletedTask;
    }

    /// <summary>One refresh per interval while notices keep coming; a refresh is never queued twice.</summary>
    private async Task RefreshLaterAsync()
    {
        try
        {
            while (true)
            {
                await Task.Delay(RefreshInterval, _disposed.Token);
                IReadOnlyList<FeedNotice>? notices;
                lock (_gate)
                {
                    notices = _pending;
                    _pending = [];
                }

                await InvokeAsync(async () =>
                {
                    try
                    {
                        if (User is not null)
                        {
                            await RefreshAsync(notices);
                            StateHasChanged();
                        }
                    }
                    catch (Exception ex)
                    {
                        await DispatchExceptionAsync(ex);
                    }
                });

                lock (_gate)
                {
                    if (_pending is { Count: 0 })
                    {
                        _refreshScheduled = false;
                        return;
                    }
                }
            }
        }
        catch (Exception) when (_disposed.IsCancellationRequested)
        {
            // The panel is gone (its renderer may be too): nothing to refresh.
        }
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        // Cancelled, not disposed: a refresh that is under way still reads the token.
        _disposed.Cancel();
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
