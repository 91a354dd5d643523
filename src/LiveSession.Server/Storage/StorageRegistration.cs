using LiveSession.Server.Storage.Redis;
using LiveSession.Server.Storage.Sqlite;

namespace LiveSession.Server.Storage;

public static class StorageRegistration
{
    /// <summary>
    /// The one place the node's mode is decided: a cluster node when <c>ConnectionStrings:Redis</c> is
    /// set, else an embedded one. Each side registers its store, its moderators' live feed, its source
    /// of dirty tallies, its SignalR lifetime manager and its key ring together.
    /// </summary>
    public static WebApplicationBuilder AddLiveStorage(this WebApplicationBuilder builder)
    {
        // Both stores keep polls, display keys and console sessions beside the rest of the event.
        builder.Services.AddSingleton(provider => (IPollStore)provider.GetRequiredService<ILiveStore>());
        builder.Services.AddSingleton(provider => (IDisplayKeyStore)provider.GetRequiredService<ILiveStore>());
        builder.Services.AddSingleton(provider => (IConsoleSessionStore)provider.GetRequiredService<ILiveStore>());

        var redis = builder.Configuration.GetConnectionString("Redis");
        return string.IsNullOrWhiteSpace(redis) ? builder.AddEmbeddedNode() : builder.AddClusterNode(redis);
    }
}
