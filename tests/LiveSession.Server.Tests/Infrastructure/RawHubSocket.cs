using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace LiveSession.Server.Tests.Infrastructure;

/// <summary>
/// A hub client written by hand over a raw WebSocket, to behave as no SignalR client would: stop
/// reading its socket, never acknowledge, never join. Speaks the JSON hub protocol (records ended by 0x1E).
/// </summary>
public sealed class RawHubSocket : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';

    private readonly ClientWebSocket _socket;
    private readonly HttpMessageInvoker _invoker;
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
    private readonly StringBuilder _pending = new();
    private readonly List<JsonElement> _records = [];
    private int _nextInvocation;

    private RawHubSocket(ClientWebSocket socket, HttpMessageInvoker invoker)
    {
        _socket = socket;
        _invoker = invoker;
    }

    /// <summary>Every record received so far (handshake response, invocations, completions).</summary>
    public IReadOnlyList<JsonElement> Records
    {
        get
        {
            lock (_records)
            {
                return _records.ToList();
            }
        }
    }

    /// <summary>The sequence numbers of the <c>Update</c> invocations received, in arrival order.</summary>
    public IReadOnlyList<long> UpdateSeqs(Func<JsonElement, bool>? filter = null) =>
        Records.Where(r => r.TryGetProperty("target", out var target) && target.GetString() == "Update")
            .Select(r => r.GetProperty("arguments")[0])
            .Where(u => filter?.Invoke(u) ?? true)
            .Select(u => u.GetProperty("seq").GetInt64())
            .ToList();

    /// <summary>
    /// Opens the hub's WebSocket (after a negotiate when <paramref name="connectionToken"/> is given)
    /// with a small socket receive buffer, so that a client that stops reading is stalled after a few kilobytes.
    /// </summary>
    public static async Task<RawHubSocket> ConnectAsync(Uri baseAddress, string? connectionToken = null, int receiveBufferBytes = 4096)
    {
        var invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = receiveBufferBytes };
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        });
        var socket = new ClientWebSocket();
        var query = connectionToken is null ? "" : $"?id={Uri.EscapeDataString(connectionToken)}";
        var uri = new UriBuilder(baseAddress) { Scheme = "ws", Path = "/hubs/live", Query = query }.Uri;
        await socket.ConnectAsync(uri, invoker, CancellationToken.None).DefaultTimeout();
        return new RawHubSocket(socket, invoker);
    }

    /// <summary>POSTs the negotiate request as the JavaScript client does; returns its JSON answer.</summary>
    public static async Task<JsonElement> NegotiateAsync(HttpClient http, bool statefulReconnect)
    {
        var response = await http.PostAsync($"/hubs/live/negotiate?negotiateVersion=1&useStatefulReconnect={(statefulReconnect ? "true" : "false")}", null).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout();
    }

    public async Task HandshakeAsync()
    {
        await SendAsync("""{"protocol":"json","version":1}""");
        var answer = await ReadRecordAsync().DefaultTimeout();
        Assert.False(answer.TryGetProperty("error", out var error), $"Handshake refused: {error}");
    }

    /// <summary>Invokes a hub method and reads until its completion (keeping what arrives before it).</summary>
    public async Task<JsonElement> InvokeAsync(string target, params object?[] arguments)
    {
        var id = (++_nextInvocation).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await SendAsync(JsonSerializer.Serialize(new { type = 1, invocationId = id, target, arguments }));
        while (true)
        {
            var record = await ReadRecordAsync().DefaultTimeout();
            if (record.TryGetProperty("invocationId", out var invocation) && invocation.GetString() == id && record.GetProperty("type").GetInt32() == 3)
            {
                return record;
            }
        }
    }

    /// <summary>Reads records until the socket closes; false if it is still open after <paramref name="timeout"/>.</summary>
    public async Task<bool> ReadUntilClosedAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                await ReadRecordAsync(cancel.Token);
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception ex) when (ex is WebSocketException or EndOfStreamException or IOException)
        {
            return true;
        }
    }

    private async Task SendAsync(string json) =>
        await _socket.SendAsync(Encoding.UTF8.GetBytes(json + RecordSeparator), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None)
            .DefaultTimeout();

    private async Task<JsonElement> ReadRecordAsync(CancellationToken cancellationToken = default)
    {
        var buffer = new byte[16 * 1024];
        var chars = new char[buffer.Length];
        while (true)
        {
            var text = _pending.ToString();
            var end = text.IndexOf(RecordSeparator, StringComparison.Ordinal);
            if (end >= 0)
            {
                _pending.Remove(0, end + 1);
                var record = JsonDocument.Parse(text[..end]).RootElement.Clone();
                lock (_records)
                {
                    _records.Add(record);
                }

                return record;
            }

            var received = await _socket.ReceiveAsync(buffer, cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                throw new EndOfStreamException("The server closed the connection.");
            }

            var count = _decoder.GetChars(buffer, 0, received.Count, chars, 0);
            _pending.Append(chars, 0, count);
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        _invoker.Dispose();
        return ValueTask.CompletedTask;
    }
}
