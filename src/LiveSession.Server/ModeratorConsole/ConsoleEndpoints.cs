using LiveSession.Domain.Errors;
using LiveSession.Domain.Questions;
using LiveSession.Server.Access;
using LiveSession.Server.Configuration;
using LiveSession.Server.Events;
using LiveSession.Server.Export;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

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
            await http.RequestServices.GetRequiredService<ConsoleSessions>().RevokeAsync(http.User);
            await http.SignOutAsync(ConsoleAccess.Scheme);
            return Results.Redirect(ConsoleAccess.LoginPath(Uri.EscapeDataString(code)) + "?out=1");
        }).RequireAuthorization(ConsoleAccess.Policy);
        console.MapGet("/export", ExportDownload.HandleAsync).RequireAuthorization(ConsoleAccess.Policy);
        return app;
    }

    /// <summary>The key is checked first: a correct key always logs in; only wrong ones meet the throttle.</summary>
    private static async Task<IResult> LoginAsync(
        string code, [FromForm] string? key, [FromForm] string? name, HttpContext http, EventCatalog events, OrganiserKey organiserKey,
        ModeratorKeys moderatorKeys, KeyCheckThrottle throttle, IOptionsMonitor<LiveSessionOptions> options, CancellationToken ct)
    {
        var loginPath = ConsoleAccess.LoginPath(Uri.EscapeDataString(code));
        if (ConsoleAccess.NeedsHttps(http))
        {
            return Results.Redirect(loginPath + "?error=" + ErrorCodes.HttpsRequired);
        }

        try
        {
            await events.GetDefinitionAsync(code, ct);
        }
        catch (LiveSessionException)
        {
            return Results.Redirect(loginPath + "?error=" + ErrorCodes.EventNotFound);
        }

        // The optional name is cleaned like an attendee's (same limit, no controls): it ends up in the audit log.
        string? moderatorName;
        try
        {
            moderatorName = TextInput.CleanAuthorName(name, options.CurrentValue.Limits.ToQuestionLimits());
        }
        catch (LiveSessionException refused)
        {
            return Results.Redirect(loginPath + "?error=" + refused.Code);
        }

        key = key?.Trim() ?? "";
        var principal = organiserKey.Matches(key)
            ? ConsoleAccess.ForOrganiser(key, moderatorName)
            : await moderatorKeys.FindAsync(key, ct) is { } found && found.EventCode == code
                ? ConsoleAccess.ForModerator(found, moderatorName)
                : null;
        if (principal is null)
        {
            var error = throttle.Failed(KeySurface.Console, http.Connection.RemoteIpAddress) is null ? ErrorCodes.Unauthorized : ErrorCodes.RateLimited;
            return Results.Redirect(loginPath + "?error=" + error);
        }

        await http.SignInAsync(ConsoleAccess.Scheme, principal);
        return Results.Redirect(ConsoleAccess.ConsolePath(Uri.EscapeDataString(code)));
    }
}
