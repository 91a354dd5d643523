namespace LiveSession.Server.Agenda;

public static class AgendaRegistration
{
    /// <summary>What moderators steer live (current slot, screen, Q&amp;A open or closed), and Q&amp;A closing after the event.</summary>
    public static IServiceCollection AddAgenda(this IServiceCollection services) => services
        .AddSingleton<LiveControlService>()
        .AddHostedService<QaClosingService>();
}
