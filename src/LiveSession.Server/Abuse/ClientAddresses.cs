using System.Net;
using System.Security.Cryptography;
using LiveSession.Server.Configuration;
using Microsoft.AspNetCore.HttpOverrides;

namespace LiveSession.Server.Abuse;

/// <summary>
/// Who a request comes from, for budgets only: the connection's address, or the one a trusted proxy
/// (<c>LiveSession:TrustedProxies</c>) forwards in <c>X-Forwarded-For</c>. An IPv6 address counts by its
/// /64 (one home or phone gets a whole /64). The budgets see a keyed hash of it, made with a key that
/// lives in this process only: nothing of it is stored, logged or comparable across restarts.
/// </summary>
public static class ClientAddresses
{
    private static readonly byte[] HashKey = RandomNumberGenerator.GetBytes(32);

    /// <summary>Believes the forwarded headers of the configured proxies only; without any, none.</summary>
    public static WebApplicationBuilder AddTrustedProxies(this WebApplicationBuilder builder)
    {
        var proxies = builder.Configuration.GetSection($"{LiveSessionOptions.Section}:{nameof(LiveSessionOptions.TrustedProxies)}").Get<string[]>() ?? [];
        var trusted = proxies.Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            // With empty lists the middleware believes every sender; with none configured it reads nothing.
            options.ForwardedHeaders = trusted.Count == 0 ? ForwardedHeaders.None : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The defaults trust loopback; here only what is configured counts.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in trusted)
            {
                if (proxy.Contains('/'))
                {
                    options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy.Trim()));
                }
                else
                {
                    options.KnownProxies.Add(IPAddress.Parse(proxy.Trim()));
                }
            }
        });
        return builder;
    }

    /// <summary>The budget key of an address: a keyed hash of the IPv4 address or of the IPv6 /64.</summary>
    public static string KeyOf(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            bytes = bytes[..8];
        }

        return Convert.ToHexString(HMACSHA256.HashData(HashKey, bytes), 0, 12);
    }
}
