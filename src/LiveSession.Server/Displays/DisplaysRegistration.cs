namespace LiveSession.Server.Displays;

public static class DisplaysRegistration
{
    /// <summary>Room screens and overlays: their keys, their connections, and the check that closes them when a key rotates.</summary>
    public static IServiceCollection AddDisplays(this IServiceCollection services) => services
        .AddSingleton<DisplayConnections>()
        .AddSingleton<DisplayKeys>()
        .AddHostedService<DisplayKeyRevalidation>();
}
