using System.Net;
using System.Net.Sockets;

namespace LiveSession.Benchmarks.Wire;

/// <summary>
/// Spreads connections over 127.0.0.1 … 127.0.0.N: one source address has ~28,000 ephemeral
/// ports, so large runs bind each socket to a loopback address of its own before connecting.
/// <see cref="System.Net.WebSockets.ClientWebSocket"/> cannot bind, so each address gets an
/// invoker whose <see cref="SocketsHttpHandler.ConnectCallback"/> does.
/// </summary>
public sealed class SourceAddresses : IDisposable
{
    private const int SolIp = 0;
    private const int IpBindAddressNoPort = 24;

    private readonly HttpMessageInvoker[] _invokers;

    public SourceAddresses(int count)
    {
        if (count is < 1 or > 250)
        {
            throw new ArgumentOutOfRangeException(nameof(count), "between 1 and 250 loopback source addresses");
        }

        _invokers = Enumerable.Range(1, count)
            .Select(n => new HttpMessageInvoker(BoundTo(new IPAddress([127, 0, 0, (byte)n]))))
            .ToArray();
    }

    public int Count => _invokers.Length;

    /// <summary>The invoker for the <paramref name="index"/>-th connection (round robin over the addresses).</summary>
    public HttpMessageInvoker For(int index) => _invokers[index % _invokers.Length];

    public void Dispose()
    {
        foreach (var invoker in _invokers)
        {
            invoker.Dispose();
        }
    }

    private static SocketsHttpHandler BoundTo(IPAddress source) => new()
    {
        UseProxy = false,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                if (OperatingSystem.IsLinux())
                {
                    // Let connect() pick the port for the whole 4-tuple: a bare bind() would skip every port still in
                    // TIME_WAIT from the previous run and run out after ~28,000 connections a minute.
                    socket.SetRawSocketOption(SolIp, IpBindAddressNoPort, BitConverter.GetBytes(1));
                }

                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
