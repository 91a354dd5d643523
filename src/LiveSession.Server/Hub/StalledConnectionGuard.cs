using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace LiveSession.Server.Hub;

/// <summary>
/// Bounds what the node holds for one hub connection. SignalR writes to a connection's transport
/// pipe, which stops taking bytes past <c>TransportMaxBufferSize</c>; from then on its sends wait.
/// A send that waits longer than the timeout means the client does not read (a stalled socket, a
/// frozen tab): the connection is closed, its waiting sends fall through, and the client
/// reconnects and resyncs like any other. Nobody else waits for it meanwhile: the fan-out does not
/// await a shard's send (see <see cref="Live.EventOutbox"/>).
/// </summary>
public static class StalledConnectionGuard
{
    /// <summary>Connection middleware, before the hub: every transport's output goes through the guard.</summary>
    public static IConnectionBuilder UseStalledConnectionGuard(this IConnectionBuilder connections, TimeSpan timeout, TimeProvider time) =>
        connections.Use(next => connection =>
        {
            connection.Transport = new GuardedTransport(connection.Transport, new GuardedWriter(connection.Transport.Output, connection, timeout, time));
            return next(connection);
        });

    private sealed class GuardedTransport(IDuplexPipe inner, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => inner.Input;

        public PipeWriter Output => output;
    }

    /// <summary>Passes everything through; only a flush that does not complete at once is timed.</summary>
    private sealed class GuardedWriter(PipeWriter inner, ConnectionContext connection, TimeSpan timeout, TimeProvider time) : PipeWriter
    {
        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes;

        public override void Advance(int bytes) => inner.Advance(bytes);

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) =>
            Guard(inner.FlushAsync(cancellationToken));

        public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default) =>
            Guard(inner.WriteAsync(source, cancellationToken));

        private ValueTask<FlushResult> Guard(ValueTask<FlushResult> flush) =>
            flush.IsCompleted ? flush : new ValueTask<FlushResult>(WaitOrCloseAsync(flush));

        private async Task<FlushResult> WaitOrCloseAsync(ValueTask<FlushResult> flush)
        {
            await using var closer = time.CreateTimer(_ => Close(), null, timeout, Timeout.InfiniteTimeSpan);
            return await flush;
        }

        private void Close()
        {
            // The pending flush returns (cancelled) and the connection goes; the writes queued behind it see a closed connection.
            inner.CancelPendingFlush();
            connection.Abort(new ConnectionAbortedException("The client did not take its updates in time."));
        }
    }
}
