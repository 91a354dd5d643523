namespace LiveSession.Server.Export;

/// <summary>
/// The one handler behind both export routes, the API's (bearer key) and the console's (cookie):
/// <c>?format=md|csv|json</c>, Markdown when absent. Only the authorization differs between them.
/// </summary>
public static class ExportDownload
{
    public static async Task<IResult> HandleAsync(string code, string? format, QaExporter exporter, CancellationToken ct)
    {
        var export = await exporter.ExportAsync(code, format ?? "md", ct);
        return Results.File(export.Content, export.ContentType, export.FileName);
    }
}
