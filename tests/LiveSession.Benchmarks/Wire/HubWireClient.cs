using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;

namespace LiveSession.Benchmarks.Wire;

/// <summary>
/// One hub connection over a raw <see cref="ClientWebSocket"/> with skip-negotiation: the
/// handshake, invocations with completions, pings, and <c>Update</c> pushes stamped with the
/// moment they were received. Much cheaper per connection than the full SignalR client, so the
/// load generator measures the server rather than itself.
/// </summary>
public sealed class HubWireClient : IAsyncDisposable
{
    private const int InitialBufferBytes = 4 * 1024;

    private readonly ClientWebSocket _socket;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<Completion>> _pending = new();
    private readonly TaskCompletionSource _handshake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private byte[] _buffer = new byte[InitialBufferBytes];
    private int _nextInvocationId;
    private Task _receiving = Task.CompletedTask;
    private readonly TaskCompletionSource _reading = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HubWireClient(ClientWebSocket socket, Uri hubUrl)
    {
        _socket = socket;
        HubUrl = hubUrl;
    }

    public Uri HubUrl { get; }

    /// <summary>Called on the receive loop for every <c>Update</c>, with the local receive time.</summary>
    public Action<WireUpdate, DateTimeOffset>? UpdateReceived { get; set; }

    /// <summary>Called once when the connection ends without <see cref="DisposeAsync"/> asking for it.</summary>
    public Action<HubWireClient, string>? Lost { get; set; }

    /// <summary>A stalled consumer: from now on nothing is read from the socket (the server's sends back up until it closes the connection).</summary>
    public void StopReading() => _reading.TrySetResult();

    public bool IsOpen => _socket.State == WebSocketState.Open && !_stopping.IsCancellationRequested;

    public static async Task<HubWireClient> ConnectAsync(Uri hubUrl, HttpMessageInvoker? invoker, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero; // the hub protocol's own pings keep the connection alive
        var client = new HubWireClient(socket, hubUrl);
        try
        {
            await socket.ConnectAsync(hubUrl, invoker, cancellationToken);
            await socket.SendAsync(HubRecords.Handshake, WebSocketMessageType.Text, true, cancellationToken);
            client._receiving = Task.Run(client.ReceiveLoopAsync, CancellationToken.None);
            await client._handshake.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Invokes a hub method; the task ends with the server's completion (result or error).</summary>
    public async Task<Completion> InvokeAsync(string target, params string?[] arguments)
    {
        var id = Interlocked.Increment(ref _nextInvocationId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await SendInvocationAsync(id, HubRecords.InvocationRecord(id, target, arguments));
    }

    public async Task<Completion> InvokeWithObjectAsync(string target, object argument)
    {
        var id = Interlocked.Increment(ref _nextInvocationId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await SendInvocationAsync(id, HubRecords.InvocationRecord(id, target, argument));
    }

    /// <summary>Invokes a hub method whose arguments are not all strings (each serialised as camelCase JSON).</summary>
    public async Task<Completion> InvokeWithArgumentsAsync(string target, params object?[] arguments)
    {
        var id = Interlocked.Increment(ref _nextInvocationId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await SendInvocationAsync(id, HubRecords.InvocationRecordOf(id, target, arguments));
    }

    public Task PingAsync() => SendAsync(HubRecords.PingRecord);

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync();
        }

        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Closing a connection the server already dropped: nothing left to do.
        }

        _socket.Abort();
        await _receiving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Dispose();
        _sendLock.Dispose();
        _stopping.Dispose();
        FailPending("disposed");
    }

    private async Task<Completion> SendInvocationAsync(string id, byte[] record)
    {
        var completion = new TaskCompletionSource<Completion>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = completion;
        try
        {
            await SendAsync(record);
        }
        catch (Exception ex)
        {
            _pending.TryRemove(id, out _);
            return Completion.Failed($"send failed: {ex.GetType().Name}");
        }

        return await completion.Task;
    }

    private async Task SendAsync(byte[] record)
    {
        await _sendLock.WaitAsync(_stopping.Token);
        try
        {
            await _socket.SendAsync(record, WebSocketMessageType.Text, true, _stopping.Token);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var filled = 0;
        var reason = "closed by the server";
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                if (filled == _buffer.Length)
                {
                    Array.Resize(ref _buffer, _buffer.Length * 2);
                }

                if (_reading.Task.IsCompleted)
                {
                    await Task.Delay(Timeout.Infinite, _stopping.Token);
                }

                var read = await _socket.ReceiveAsync(_buffer.AsMemory(filled), _stopping.Token);
                var receivedAt = DateTimeOffset.UtcNow;
                if (read.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                filled += read.Count;
                filled = HandleRecords(filled, receivedAt);
                if (filled == 0 && _buffer.Length > InitialBufferBytes * 4)
                {
                    _buffer = new byte[InitialBufferBytes]; // a large snapshot grew it once; idle connections stay small
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            reason = $"{ex.GetType().Name}: {ex.Message}";
        }

        _handshake.TrySetException(new WebSocketException($"connection ended before the handshake: {reason}"));
        FailPending(reason);
        if (!_stopping.IsCancellationRequested)
        {
            Lost?.Invoke(this, reason);
        }
    }

    /// <summary>Handles every complete record in the buffer; moves a partial one to the front and returns its length.</summary>
    private int HandleRecords(int filled, DateTimeOffset receivedAt)
    {
        var start = 0;
        while (true)
        {
            var end = Array.IndexOf(_buffer, HubRecords.Separator, start, filled - start);
            if (end < 0)
            {
                break;
            }

            HandleRecord(_buffer.AsSpan(start, end - start), receivedAt);
            start = end + 1;
        }

        if (start > 0 && start < filled)
        {
            Buffer.BlockCopy(_buffer, start, _buffer, 0, filled - start);
        }

        return filled - start;
    }

    private void HandleRecord(ReadOnlySpan<byte> record, DateTimeOffset receivedAt)
    {
        if (!_handshake.Task.IsCompleted)
        {
            using var response = JsonDocument.Parse(record.ToArray());
            if (response.RootElement.TryGetProperty("error", out var error))
            {
                _handshake.TrySetException(new WebSocketException($"handshake refused: {error}"));
            }
            else
            {
                _handshake.TrySetResult();
            }

            return;
        }

        switch (HubRecords.TypeOf(record))
        {
            case HubRecords.Invocation:
                if (UpdateReceived is { } handler && WireUpdate.TryRead(record) is { } update)
                {
                    handler(update, receivedAt);
                }

                break;
            case HubRecords.Completion:
                Complete(record);
                break;
            case HubRecords.Close:
                _stopping.Token.ThrowIfCancellationRequested();
                throw new WebSocketException($"server closed the connection: {System.Text.Encoding.UTF8.GetString(record)}");
        }
    }

    /// <summary>
    /// Reads only the invocation id and the error with a forward-only reader; the result is parsed
    /// when a caller asks for it (most acks are only counted), so an ack costs the tool little.
    /// </summary>
    private void Complete(ReadOnlySpan<byte> record)
    {
        var (id, error) = CompletionRecord.Read(record);
        if (id is null || !_pending.TryRemove(id, out var completion))
        {
            return;
        }

        completion.TrySetResult(error is not null ? Completion.Failed(error) : Completion.Of(record.ToArray()));
    }

    private void FailPending(string reason)
    {
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var completion))
            {
                completion.TrySetResult(Completion.Failed($"connection lost: {reason}"));
            }
        }
    }
}

/// <summary>The server's answer to an invocation: a result, or the hub error's message (<c>code: message</c>).</summary>
public sealed class Completion
{
    private readonly byte[]? _record;
    private JsonElement? _result;
    private bool _resultRead;

    private Completion(byte[]? record, string? error)
    {
        _record = record;
        Error = error;
    }

    public string? Error { get; }

    public bool Succeeded => Error is null;

    /// <summary>The completion's <c>result</c>, read from the record on first use.</summary>
    public JsonElement? Result
    {
        get
        {
            // Read at most once per caller; a second read on another thread only repeats the same parse.
            if (!_resultRead)
            {
                _result = ReadResult();
                _resultRead = true;
            }

            return _result;
        }
    }

    public static Completion Failed(string error) => new(null, error);

    public static Completion Of(byte[] record) => new(record, null);

    private JsonElement? ReadResult()
    {
        if (_record is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(_record);
        return document.RootElement.TryGetProperty("result", out var result) ? result.Clone() : null;
    }
}

/// <summary>The parts of a completion record the client routes by: its invocation id, and its error if any.</summary>
public static class CompletionRecord
{
    public static (string? InvocationId, string? Error) Read(ReadOnlySpan<byte> record)
    {
        var reader = new Utf8JsonReader(record);
        string? id = null, error = null;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return (null, null);
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("invocationId"u8))
            {
                reader.Read();
                id = reader.GetString();
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                error = reader.GetString() ?? "error";
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return (id, error);
    }
}
