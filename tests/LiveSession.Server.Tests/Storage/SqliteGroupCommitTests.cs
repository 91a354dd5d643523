using LiveSession.Domain.Errors;
using LiveSession.Domain.Live;
using LiveSession.Domain.Questions;
using LiveSession.Server.Storage;
using LiveSession.Server.Storage.Sqlite;

namespace LiveSession.Server.Tests.Storage;

/// <summary>
/// Writes that queue while a transaction runs share the next one (group commit). Bursts of
/// un-awaited writes put many of them in the same batch.
/// </summary>
public sealed class SqliteGroupCommitTests : IAsyncLifetime
{
    private const string Code = "spaak-6b1";
    private const int Voters = 1000;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "livesession-tests", Guid.NewGuid().ToString("N"));
    private readonly CancellationTokenSource _testTimeout = new(TimeSpan.FromSeconds(60));
    private SqliteLiveStore? _store;

    private SqliteLiveStore Store => _store ?? throw new InvalidOperationException("The store is opened in InitializeAsync.");

    private string DatabasePath => Path.Combine(_directory, "live.db");

    private CancellationToken Ct => _testTimeout.Token;

    public async Task InitializeAsync()
    {
        _store = await OpenAsync();
        var definition = StoreTestData.Event(Code);
        await Store.TryCreateEventAsync(definition, LiveState.Initial(definition), Ct).DefaultTimeout();
        foreach (var id in new[] { "q1", "q2" })
        {
            var question = StoreTestData.Ask(Code, id, "asker-1");
            await Store.AddQuestionAsync(question, Ct).DefaultTimeout();
            await Store.ReplaceQuestionAsync(question.Approve(StoreTestData.Start), question.Revision, Ct).DefaultTimeout();
        }
    }

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync().AsTask().DefaultTimeout();
        }

        _testTimeout.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Many_concurrent_votes_from_distinct_voters_are_all_acknowledged_and_counted_exactly()
    {
        var results = await Task.WhenAll(VoteBurst("q1", Voters)).DefaultTimeout();

        Assert.All(results, result => Assert.Equal(VoteOutcome.Added, result.Outcome));
        Assert.Equal(Enumerable.Range(1, Voters), results.Select(result => result.Votes).Order());
        Assert.Equal(Voters, (await Store.GetQuestionAsync(Code, "q1", Ct).DefaultTimeout())?.Votes);
    }

    [Fact]
    public async Task A_failing_write_in_a_burst_does_not_affect_the_writes_around_it()
    {
        var approved = (await Store.GetQuestionAsync(Code, "q2", Ct).DefaultTimeout())!;
        var before = VoteBurst("q1", Voters / 2);
        var stale = Store.ReplaceQuestionAsync(approved.Reject(StoreTestData.Start), approved.Revision - 1, Ct);
        var unknown = Store.ReplaceQuestionAsync(
            StoreTestData.Ask(Code, "ghost", "asker-2").Approve(StoreTestData.Start), 1, Ct);
        var after = VoteBurst("q2", Voters / 2);

        var conflict = await Assert.ThrowsAsync<LiveSessionException>(() => stale).DefaultTimeout();
        Assert.Equal(ErrorCodes.Conflict, conflict.Code);
        var notFound = await Assert.ThrowsAsync<LiveSessionException>(() => unknown).DefaultTimeout();
        Assert.Equal(ErrorCodes.NotFound, notFound.Code);
        var votes = await Task.WhenAll(before.Concat(after)).DefaultTimeout();
        Assert.All(votes, result => Assert.Equal(VoteOutcome.Added, result.Outcome));

        Assert.Equal(Voters / 2, (await Store.GetQuestionAsync(Code, "q1", Ct).DefaultTimeout())?.Votes);
        Assert.Equal(approved with { Votes = Voters / 2 }, await Store.GetQuestionAsync(Code, "q2", Ct).DefaultTimeout());
        Assert.Null(await Store.GetQuestionAsync(Code, "ghost", Ct).DefaultTimeout());
    }

    [Fact]
    public async Task Acknowledged_votes_survive_reopening_the_store()
    {
        await Task.WhenAll(VoteBurst("q1", Voters)).DefaultTimeout();

        await ReopenAsync();

        Assert.Equal(Voters, (await Store.GetQuestionAsync(Code, "q1", Ct).DefaultTimeout())?.Votes);
        var view = await Store.ReadAttendeeViewAsync(Code, "voter-7", Ct).DefaultTimeout();
        Assert.Equal(["q1"], view?.VotedQuestionIds ?? []);
    }

    [Fact]
    public async Task Writes_queued_when_the_store_is_disposed_are_committed_first()
    {
        var queued = VoteBurst("q1", Voters);

        await Store.DisposeAsync().AsTask().DefaultTimeout();

        Assert.All(await Task.WhenAll(queued).DefaultTimeout(), result => Assert.Equal(VoteOutcome.Added, result.Outcome));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Store.VoteAsync(Code, "q2", "late", Ct)).DefaultTimeout();
        _store = await OpenAsync();
        Assert.Equal(Voters, (await Store.GetQuestionAsync(Code, "q1", Ct).DefaultTimeout())?.Votes);
    }

    [Fact]
    public async Task A_write_cancelled_before_it_starts_is_not_stored()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Store.VoteAsync(Code, "q1", "voter-1", cancelled.Token)).DefaultTimeout();

        Assert.Equal(0, (await Store.GetQuestionAsync(Code, "q1", Ct).DefaultTimeout())?.Votes);
    }

    /// <summary>Queues the votes without awaiting any, so they pile up behind the running transaction.</summary>
    private Task<VoteResult>[] VoteBurst(string questionId, int voters) =>
        Enumerable.Range(0, voters).Select(i => Store.VoteAsync(Code, questionId, $"voter-{i}", Ct)).ToArray();

    private async Task ReopenAsync()
    {
        await Store.DisposeAsync().AsTask().DefaultTimeout();
        _store = await OpenAsync();
    }

    private async Task<SqliteLiveStore> OpenAsync()
    {
        var store = new SqliteLiveStore(DatabasePath, synchronousFull: false, TimeProvider.System);
        await store.InitializeAsync(Ct).DefaultTimeout();
        return store;
    }
}
