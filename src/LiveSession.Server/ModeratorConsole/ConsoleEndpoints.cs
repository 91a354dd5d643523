using LiveSession.Domain.Errors;
using LiveSession.Server.Access;
using LiveSession.Server.Events;
using LiveSession.Server.Export;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace LiveSession.Server.ModeratorConsole;

/// <summary>
/// The console's plain HTTP side: login and logout (forms with antiforgery) and the export download
/// (the API's export wants a bearer key; the console has its cookie).
/// </summary>
public static class ConsoleEndpoints
{
    public static IEndpointRouteBuilder MapConsoleEndpoints(this IEndpointRouteBuilder app)
    {
        // Distinct from the pages' paths: Razor component endpoints take POSTs for their own forms.
        var console = app.MapGroup("/e/{code}/moderate");
        console.MapPost(ConsoleAccess.LoginFormAction, LoginAsync);
        console.MapPost(ConsoleAccess.LogoutFormAction, async (string code, HttpContext http) =>
        {
            await http.SignOutAsync(ConsoleAccess.Scheme);
            return Results.Redirect(ConsoleAccess.LoginPath(Uri.EscapeDataString(code)) + "?out=1");
        }).RequireAuthorization(ConsoleAccess.Policy);
        console.MapGet("/export", async (string code, string? format, QaExporter exporter, CancellationToken ct) =>
        {
            var export = await exporter.ExportAsync(code, format ?? "md", ct);
            return Results.File(export.Content, export.ContentType, export.FileName);
        }).RequireAuthorization(ConsoleAccess.Policy);
        return app;
    }

    private static async Task<IResult> LoginAsync(
        string code, [FromForm] string? key, HttpContext http, EventCatalog events, OrganiserKey organiserKey,
        ModeratorKeys moderatorKeys, LoginThrottle throttle, ILoggerFactory loggers, CancellationToken ct)
    {
        var loginPath = ConsoleAccess.LoginPath(Uri.EscapeDataString(code));
        var client = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (throttle.IsBlocked(client))
        {
            return Results.Redirect(loginPath + "?error=" + ErrorCodes.RateLimited);
        }

        try
        {
            await events.GetDefinitionAsync(code, ct);
        }
        catch (LiveSessionException)
        {
            return Results.Redirect(loginPath + "?error=" + ErrorCodes.EventNotFound);
        }

        key = key?.Trim() ?? "";
        var principal = organiserKey.Matches(key)
            ? ConsoleAccess.ForOrganiser(key)
            : await moderatorKeys.FindAsync(key, ct) is { } found && found.EventCode == code
                ? ConsoleAccess.ForModerator(found)
                : null;
        if (principal is null)
        {
            throttle.RecordFailure(client);
            loggers.CreateLogger(typeof(ConsoleEndpoints)).LogInformation("Refused a console login for {EventCode}", code);
            return Results.Redirect(loginPath + "?error=" + ErrorCodes.Unauthorized);
        }

        await http.SignInAsync(ConsoleAccess.Scheme, principal);
        return Results.Redirect(ConsoleAccess.ConsolePath(Uri.EscapeDataString(code)));
    }
}
