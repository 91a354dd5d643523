using LiveSession.Domain.Errors;
using LiveSession.Server.Access;
using LiveSession.Server.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace LiveSession.Server.ModeratorConsole;

/// <summary>
/// A live panel of the console. It checks that the logged-in key may act on the event, loads its
/// state from the services, subscribes once to the live feed and reloads on each notice it follows.
/// Actions go through <see cref="ActAsync"/>: a refusal (someone else was faster, a rule said no)
/// becomes a message in the panel, next to the fresh state.
/// </summary>
public abstract class ConsolePanel : ComponentBase, IDisposable
{
    private IDisposable? _subscription;
    private int _reloadScheduled;
    private volatile bool _disposed;

    [Parameter, EditorRequired]
    public string Code { get; set; } = "";

    [CascadingParameter]
    public Task<AuthenticationState>? AuthenticationState { get; set; }

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
            Message = "This console's key was replaced or its session ended: log in again. Nothing was changed.";
            return;
        }

        try
        {
            await action(User!.Actor);
        }
        catch (LiveSessionException refusal)
        {
            Message = Describe(refusal);
        }

        await LoadAsync();
    }

    public static string Describe(LiveSessionException refusal) => refusal.Code switch
    {
        ErrorCodes.Conflict => "Another moderator changed this at the same moment; their change was kept. This is the current state.",
        ErrorCodes.InvalidState => $"Not possible any more: {refusal.Message} This is the current state.",
        _ => refusal.Message,
    };

    /// <summary>
    /// Zero: one reload per notice. Above zero: notices within this window share one reload (a flood
    /// of answers or votes must not re-render the panel for each of them).
    /// </summary>
    protected virtual TimeSpan ReloadCoalescing => TimeSpan.Zero;

    private Task OnNotice(FeedNotice notice)
    {
        if (!Follows(notice))
        {
            return Task.CompletedTask;
        }

        if (ReloadCoalescing <= TimeSpan.Zero)
        {
            // Not awaited: whoever published the change must not wait for every console to re-read.
            _ = ReloadAsync();
        }
        else if (Interlocked.Exchange(ref _reloadScheduled, 1) == 0)
        {
            _ = Task.Run(async () =>
            {
                await Task.Delay(ReloadCoalescing);
                // Cleared before reading: a notice during the read schedules the next reload, none is lost.
                Volatile.Write(ref _reloadScheduled, 0);
                await ReloadAsync();
            });
        }

        return Task.CompletedTask;
    }

    private Task ReloadAsync()
    {
        if (_disposed)
        {
            return Task.CompletedTask;
        }

        return InvokeAsync(async () =>
        {
            try
            {
                await LoadAsync();
                StateHasChanged();
            }
            catch (Exception ex)
            {
                await DispatchExceptionAsync(ex);
            }
        });
    }

    public void Dispose()
    {
        _disposed = true;
        _subscription?.Dispose();
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
