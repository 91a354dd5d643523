namespace LiveSession.Server.Hosting;

/// <summary>
/// A published node keeps <c>appsettings.json</c> and <c>wwwroot/</c> beside its assembly. The host's
/// default content root is the working directory, so <c>dotnet /opt/livesession/LiveSession.Server.dll</c>
/// started from anywhere else would serve empty pages and ignore its settings; published output
/// therefore always uses its own folder. A build run from <c>bin/</c> (dotnet run, the tests) has no
/// <c>wwwroot/</c> there and keeps the default, which finds the project's files.
/// </summary>
public static class PublishedContentRoot
{
    public static string? Find() =>
        Directory.Exists(Path.Combine(AppContext.BaseDirectory, "wwwroot")) ? AppContext.BaseDirectory : null;
}
