using LiveSession.Domain.Errors;
using LiveSession.Domain.Events;
using LiveSession.Server.Abuse;
using LiveSession.Server.Configuration;
using LiveSession.Server.Displays;
using LiveSession.Server.Events;
using Microsoft.Extensions.Options;

namespace LiveSession.Server.Pages;

/// <summary>
/// The pages for everyone who is not a moderator: the attendee page, the room screen, the
/// livestream overlay and the privacy pages (generic, and per event). Static HTML with small ES modules (wwwroot/), sent
/// with a Content-Security-Policy that allows only this site. No Blazor circuit per attendee.
/// </summary>
public static class AttendeePages
{
    private const string PagesFolder = "pages";

    /// <summary>
    /// Static files (scripts, styles, translations, the SignalR client) with nosniff and no-referrer;
    /// HTML reached directly under /pages/ gets the full page policy too. The headers are set when
    /// the response starts, so they hold whichever component serves the file (static files here,
    /// or the static-asset endpoints the moderator console maps for the same wwwroot).
    /// </summary>
    public static IApplicationBuilder UseAttendeePageAssets(this IApplicationBuilder app)
    {
        app.Use(RedirectToLowercaseEventCode);
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                SecurityHeaders.ApplyToAsset(context.Response);
                var path = context.Request.Path;
                if (path.StartsWithSegments($"/{PagesFolder}") && path.Value!.EndsWith(".html", StringComparison.OrdinalIgnoreCase))
                {
                    SecurityHeaders.ApplyToPage(context, broadcastSource: false);
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
        return app.UseStaticFiles();
    }

    public static IEndpointRouteBuilder MapAttendeePages(this IEndpointRouteBuilder app)
    {
        // The README's address and where a code typed from the room screen goes. Events are not listed: a code is the way in.
        app.MapGet("/", (HttpContext http) => ServePageAsync(http, "landing.html", StatusCodes.Status200OK, broadcastSource: false));
        app.MapGet("/join", JoinByCodeAsync);
        app.MapGet("/e/{code}", (string code, HttpContext http, EventCatalog events) =>
            ServeEventPageAsync(http, events, code, "attendee.html", broadcastSource: false));
        app.MapGet("/e/{code}/screen", (string code, HttpContext http, EventCatalog events) =>
            ServeEventPageAsync(http, events, code, "screen.html", broadcastSource: false));
        // OBS and vMix load the overlay as a browser source, sometimes inside a frame of their own UI,
        // and add the operator's Custom CSS to it.
        app.MapGet("/e/{code}/overlay", (string code, HttpContext http, EventCatalog events) =>
            ServeEventPageAsync(http, events, code, "overlay.html", broadcastSource: true));
        app.MapGet("/e/{code}/qr.svg", ServeQrCodeAsync);
        app.MapGet("/e/{code}/page.json", async (string code, EventCatalog events, LinkBuilder links, IOptions<LiveSessionOptions> options, CancellationToken ct) =>
        {
            var definition = await events.GetDefinitionAsync(code, ct);
            var limits = options.Value.Limits;
            return new PageSettings(
                limits.MinQuestionLength, limits.MaxQuestionLength, limits.MaxAuthorNameLength,
                links.Attendee(definition.Code), links.Room(definition.Code));
        });
        app.MapAgendaCalendar();
        app.MapGet("/e/{code}/privacy", (string code, HttpContext http, EventCatalog events) =>
            ServeEventPageAsync(http, events, code, "event-privacy.html", broadcastSource: false));
        app.MapGet("/e/{code}/privacy.json", async (string code, EventCatalog events, IOptions<LiveSessionOptions> options, CancellationToken ct) =>
            PrivacyNotice.From(await events.GetDefinitionAsync(code, ct), options.Value));
        // The generic page stays for links that know no event (the not-found page, bookmarks); each event's page has the specifics.
        app.MapGet("/privacy", (HttpContext http) => ServePageAsync(http, "privacy.html", StatusCodes.Status200OK, broadcastSource: false));
        return app;
    }

    private static async Task ServeEventPageAsync(HttpContext http, EventCatalog events, string code, string page, bool broadcastSource)
    {
        var found = await FindEventAsync(events, code, http.RequestAborted) is not null;
        await ServePageAsync(http, found ? page : "not-found.html", found ? StatusCodes.Status200OK : StatusCodes.Status404NotFound, broadcastSource);
    }

    /// <summary>
    /// The room screen's QR code. With the display key (<c>?display=</c>, as the screen has it) its link
    /// carries the current room pass; without it, the plain room link (the pass is for those who see the screen).
    /// </summary>
    private static async Task ServeQrCodeAsync(string code, string? display, HttpContext http, EventCatalog events, LinkBuilder links, DisplayKeys displays, RoomPass roomPass)
    {
        if (await FindEventAsync(events, code, http.RequestAborted) is not { } definition)
        {
            await ServePageAsync(http, "not-found.html", StatusCodes.Status404NotFound, broadcastSource: false);
            return;
        }

        http.Response.ContentType = "image/svg+xml";
        http.Response.Headers.CacheControl = "no-cache";
        SecurityHeaders.ApplyToAsset(http.Response);
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
        var link = links.Room(definition.Code);
        if (!string.IsNullOrEmpty(display) && await displays.IsCurrentAsync(definition.Code, display, http.RequestAborted)
            && await roomPass.CurrentAsync(definition.Code, http.RequestAborted) is { } pass)
        {
            link += "&pass=" + Uri.EscapeDataString(pass);
        }

        await http.Response.WriteAsync(RoomQrCode.Svg(link), http.RequestAborted);
    }

    /// <summary>
    /// Codes are lowercase (<see cref="EventDefinition.IsValidCode"/>); one typed as shown on a
    /// screen, <c>/e/BMS22</c>, is sent to its lowercase address with the rest of the path and query.
    /// </summary>
    private static Task RedirectToLowercaseEventCode(HttpContext context, Func<Task> next)
    {
        var request = context.Request;
        if ((HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            && request.Path.StartsWithSegments("/e", out var rest)
            && rest.Value is ['/', .. var afterSlash])
        {
            var end = afterSlash.IndexOf('/');
            var code = end < 0 ? afterSlash : afterSlash[..end];
            var lower = code.ToLowerInvariant();
            if (lower != code && EventDefinition.IsValidCode(lower))
            {
                var remainder = end < 0 ? "" : afterSlash[end..];
                context.Response.Redirect($"/e/{lower}{remainder}{request.QueryString}");
                return Task.CompletedTask;
            }
        }

        return next();
    }

    /// <summary>
    /// The landing page's form. Takes a code as people type it: any case, spaces around it, or the
    /// whole link (<c>live.example.org/e/bms22</c>). Unknown codes go back to the page, which says so.
    /// </summary>
    private static async Task<IResult> JoinByCodeAsync(string? code, EventCatalog events, CancellationToken ct)
    {
        var typed = (code ?? "").Trim();
        var candidate = typed.Split('?', '#')[0].TrimEnd('/');
        var marker = candidate.LastIndexOf("/e/", StringComparison.OrdinalIgnoreCase);
        candidate = (marker >= 0 ? candidate[(marker + 3)..].Split('/')[0] : candidate).ToLowerInvariant();
        if (EventDefinition.IsValidCode(candidate) && await FindEventAsync(events, candidate, ct) is not null)
        {
            return Results.Redirect($"/e/{candidate}");
        }

        return Results.Redirect("/?unknown=" + Uri.EscapeDataString(typed.Length > 64 ? typed[..64] : typed));
    }

    private static async Task<EventDefinition?> FindEventAsync(EventCatalog events, string code, CancellationToken cancellationToken)
    {
        try
        {
            return await events.GetDefinitionAsync(code, cancellationToken);
        }
        catch (LiveSessionException refused) when (refused.Code == ErrorCodes.EventNotFound)
        {
            return null;
        }
    }

    private static async Task ServePageAsync(HttpContext http, string page, int status, bool broadcastSource)
    {
        var environment = http.RequestServices.GetRequiredService<IWebHostEnvironment>();
        var file = environment.WebRootFileProvider.GetFileInfo($"{PagesFolder}/{page}");
        if (!file.Exists)
        {
            throw new FileNotFoundException($"The page {page} is missing from wwwroot/{PagesFolder}.");
        }

        http.Response.StatusCode = status;
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.CacheControl = "no-cache";
        SecurityHeaders.ApplyToPage(http, broadcastSource);
        await http.Response.SendFileAsync(file, http.RequestAborted);
    }
}

/// <summary>What the static pages cannot know by themselves: the limits the server enforces and the event's public links.</summary>
public sealed record PageSettings(
    int MinQuestionLength, int MaxQuestionLength, int MaxAuthorNameLength, string AttendeeLink, string RoomLink);
