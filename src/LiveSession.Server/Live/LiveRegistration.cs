namespace LiveSession.Server.Live;

public static class LiveRegistration
{
    /// <summary>
    /// The fan-out: snapshots, the one broadcaster and the tally flusher. The feed and the source of
    /// dirty tallies belong to the node's mode (<c>AddLiveStorage</c>).
    /// </summary>
    public static IServiceCollection AddLiveUpdates(this IServiceCollection services) => services
        .AddSingleton<SnapshotService>()
        .AddSingleton<LiveBroadcaster>()
        .AddSingleton<TallyPacing>()
        .AddHostedService<TallyFlusher>();
}
