using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace LiveSession.Server.Storage.Sqlite;

/// <summary>
/// Group commit on the store's single write connection. Writes queue in a channel; one loop takes
/// whatever has queued (up to <see cref="MaxBatch"/>) and runs it in one transaction, each write in
/// its own savepoint, then commits once. A commit (the WAL append and its lock) costs far more than
/// a vote's few statements, so under load one commit now carries hundreds of votes.
/// </summary>
internal sealed class SqliteGroupCommitWriter : IAsyncDisposable
{
    /// <summary>Bounds how long the first write of a batch waits for the last one's work.</summary>
    private const int MaxBatch = 256;

    // Prepared once on the writer's connection (two of them run around every write).
    private const string SaveSql = "SAVEPOINT write", ReleaseSql = "RELEASE write", RollbackSql = "ROLLBACK TO write";

    private readonly SqliteConnection _connection;
    private readonly Channel<WriteItem> _queue = Channel.CreateUnbounded<WriteItem>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    public SqliteGroupCommitWriter(SqliteConnection connection)
    {
        _connection = connection;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>
    /// Completes when <paramref name="write"/> has run and its transaction has committed; faults with
    /// the write's own exception (its changes rolled back, the rest of its batch unaffected) or with the
    /// commit's. A write cancelled while queued never runs; once started it runs to completion.
    /// </summary>
    public Task<T> WriteAsync<T>(
        Func<SqliteTransaction, CancellationToken, Task<T>> write, Func<Exception> closed, CancellationToken cancellationToken)
    {
        // Batched items always run inside the batch's transaction.
        var item = new WriteItem<T>((transaction, ct) => write(transaction!, ct), cancellationToken);
        return _queue.Writer.TryWrite(item) ? item.Result : Task.FromException<T>(closed());
    }

    /// <summary>
    /// Runs <paramref name="work"/> alone on the write connection, between batches and outside any
    /// transaction (a checkpoint or a VACUUM cannot run inside one); writes queued behind it wait.
    /// </summary>
    public Task<T> RunAloneAsync<T>(Func<SqliteConnection, Task<T>> work, Func<Exception> closed, CancellationToken cancellationToken)
    {
        var item = new WriteItem<T>((_, _) => work(_connection), cancellationToken) { Alone = true };
        return _queue.Writer.TryWrite(item) ? item.Result : Task.FromException<T>(closed());
    }

    /// <summary>Refuses new writes, runs and commits the ones already queued, then returns.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private async Task RunAsync()
    {
        var batch = new List<WriteItem>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            WriteItem? alone = null;
            while (alone is null && batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
            {
                if (!item.TryStart())
                {
                    continue;
                }

                if (item.Alone)
                {
                    alone = item;
                }
                else
                {
                    batch.Add(item);
                }
            }

            if (batch.Count > 0)
            {
                await RunBatchAsync(batch);
                batch.Clear();
            }

            if (alone is not null)
            {
                await RunAloneAsync(alone);
            }
        }
    }

    private static async Task RunAloneAsync(WriteItem item)
    {
        try
        {
            await item.RunAsync(transaction: null);
        }
        catch (Exception error)
        {
            item.Fail(error);
            return;
        }

        item.Succeed();
    }

    private async Task RunBatchAsync(List<WriteItem> batch)
    {
        try
        {
            await using var transaction = (SqliteTransaction)await _connection.BeginTransactionAsync();
            foreach (var item in batch)
            {
                transaction.Prepared(SaveSql).ExecuteNonQuery();
                try
                {
                    await item.RunAsync(transaction);
                }
                catch (Exception error)
                {
                    // Undo only this write; the others in the batch still commit.
                    transaction.Prepared(RollbackSql).ExecuteNonQuery();
                    item.Fail(error);
                }

                transaction.Prepared(ReleaseSql).ExecuteNonQuery();
            }

            await transaction.CommitAsync();
        }
        catch (Exception error)
        {
            // Nothing of this batch is stored (the transaction rolled back), so no caller may see success.
            foreach (var item in batch)
            {
                item.Fail(error);
            }

            return;
        }

        foreach (var item in batch)
        {
            item.Succeed();
        }
    }

    private abstract class WriteItem
    {
        private const int Queued = 0, Started = 1, Cancelled = 2;
        private int _state;

        /// <summary>Runs by itself, without a transaction (see <see cref="RunAloneAsync{T}"/>).</summary>
        public bool Alone { get; init; }

        /// <summary>Cancels the write while it is queued; dropped when it starts, so long-lived tokens do not collect them.</summary>
        protected CancellationTokenRegistration Registration { get; set; }

        /// <summary>False if the caller cancelled while the write was queued: it is then skipped.</summary>
        public bool TryStart()
        {
            Registration.Unregister();
            return Interlocked.CompareExchange(ref _state, Started, Queued) == Queued;
        }

        public abstract Task RunAsync(SqliteTransaction? transaction);

        /// <summary>Reports the result kept by <see cref="RunAsync"/>, unless the write already failed.</summary>
        public abstract void Succeed();

        public abstract void Fail(Exception error);

        protected bool TryCancel() => Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued;
    }

    private sealed class WriteItem<T> : WriteItem
    {
        private readonly Func<SqliteTransaction?, CancellationToken, Task<T>> _write;

        // The writer loop must not run callers' continuations inline.
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public WriteItem(Func<SqliteTransaction?, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
        {
            _write = write;
            Registration = cancellationToken.Register(() =>
            {
                if (TryCancel())
                {
                    _completion.TrySetCanceled(cancellationToken);
                }
            });
        }

        public Task<T> Result => _completion.Task;

        public override async Task RunAsync(SqliteTransaction? transaction) =>
            _result = await _write(transaction, CancellationToken.None);

        public override void Succeed() => _completion.TrySetResult(_result!);

        public override void Fail(Exception error) => _completion.TrySetException(error);
    }
}
