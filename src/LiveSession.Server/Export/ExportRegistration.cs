namespace LiveSession.Server.Export;

public static class ExportRegistration
{
    /// <summary>The Q&amp;A export (Markdown, CSV, JSON) the API and the console serve.</summary>
    public static IServiceCollection AddExport(this IServiceCollection services) => services.AddSingleton<QaExporter>();
}
