namespace LiveSession.Server.Events;

public static class EventsRegistration
{
    /// <summary>The events: their definitions, their links, and the agenda files loaded at start.</summary>
    public static IServiceCollection AddEvents(this IServiceCollection services) => services
        .AddSingleton<EventCatalog>()
        .AddSingleton<LinkBuilder>()
        .AddHostedService<EventBootstrapper>();
}
