using LiveSession.Server.Access;
using LiveSession.Server.Configuration;
using LiveSession.Server.Live;
using Microsoft.Extensions.Options;

namespace LiveSession.Server.Storage.Sqlite;

/// <summary>
/// One node on its own: SQLite in the data folder, the live feed and the dirty tallies in memory,
/// SignalR's in-process lifetime manager (its default) and the key ring in the data folder.
/// </summary>
public static class EmbeddedNode
{
    public static WebApplicationBuilder AddEmbeddedNode(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<ILiveStore>(provider => new SqliteLiveStore(
            provider.GetRequiredService<DataFolder>().DatabasePath,
            provider.GetRequiredService<IOptions<LiveSessionOptions>>().Value.SqliteSynchronousFull,
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ILiveFeed, InProcessLiveFeed>();
        services.AddSingleton<ITallySource, InMemoryTallySource>();
        builder.AddEncryptedKeyRing(keyRingInRedis: false).KeepKeyRingInDataFolder();
        return builder;
    }
}
