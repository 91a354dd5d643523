using System.Security.Claims;
using LiveSession.Server.Access;
using LiveSession.Server.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace LiveSession.Server.ModeratorConsole;

/// <summary>
/// The console's cookie: issued by the login form for one event's moderator key (or the organiser
/// key), it carries the event code, the key's label and the key's hash. The hash lets every request
/// check that the key was not replaced since: an organiser who issues a new key logs the old one out.
/// </summary>
public static class ConsoleAccess
{
    public const string Scheme = "ModeratorConsole";
    public const string Policy = "ModeratorConsole";
    public const string CircuitPolicy = "ModeratorConsoleCircuit";
    public const string KeyHashClaim = "livesession:key";

    /// <summary>The name a moderator gave at login (optional): several people share one event key, the audit tells them apart.</summary>
    public const string ModeratorNameClaim = "livesession:moderator";

    /// <summary>A random id per login: a logout revokes it in the store, so a copied cookie dies on every node.</summary>
    public const string SessionClaim = "livesession:session";

    /// <summary>How long a cookie lives without use (sliding); a revocation is kept that long.</summary>
    public static readonly TimeSpan CookieLifetime = TimeSpan.FromHours(12);

    /// <summary>Where the login and logout forms post, under the console's path.</summary>
    public const string LoginFormAction = "/auth/login";
    public const string LogoutFormAction = "/auth/logout";

    public static string ConsolePath(string code) => $"/e/{code}/moderate";

    public static string LoginPath(string code) => $"/e/{code}/moderate/login";

    public static ClaimsPrincipal ForOrganiser(string organiserKey, string? moderatorName = null) =>
        Principal(Actor.Organiser.Label, ModeratorKeys.Hash(organiserKey), moderatorName,
            new Claim(ClaimTypes.Role, ModeratorKeyAuthenticationHandler.OrganiserRole));

    public static ClaimsPrincipal ForModerator(ModeratorKey key, string? moderatorName = null) =>
        Principal(key.Label, key.KeyHash, moderatorName, new Claim(ModeratorKeyAuthenticationHandler.EventClaim, key.EventCode));

    private static ClaimsPrincipal Principal(string label, string keyHash, string? moderatorName, Claim access)
    {
        List<Claim> claims =
        [
            new Claim(ClaimTypes.Name, label),
            new Claim(KeyHashClaim, keyHash),
            new Claim(SessionClaim, ModeratorKeys.Base64Url(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16))),
            access,
        ];
        if (moderatorName is not null)
        {
            claims.Add(new Claim(ModeratorNameClaim, moderatorName));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme));
    }

    public static void Configure(CookieAuthenticationOptions cookie)
    {
        cookie.Cookie.Name = "livesession-console";
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Strict;
        // Secure outside Development (ConfigureSecurePolicy); over HTTPS this includes a TLS proxy listed in LiveSession:TrustedProxies.
        cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        cookie.Cookie.Path = "/";
        cookie.ExpireTimeSpan = CookieLifetime;
        cookie.SlidingExpiration = true;
        cookie.Events = new CookieAuthenticationEvents
        {
            // The login page belongs to the event in the path, so the redirect is built per request.
            OnRedirectToLogin = context => RedirectToEventLogin(context.HttpContext, context.Response),
            OnRedirectToAccessDenied = context => RedirectToEventLogin(context.HttpContext, context.Response),
            OnValidatePrincipal = ValidateKeyStillCurrentAsync,
        };
    }

    /// <summary>Secure always, unless in Development or <see cref="ConsoleOptions.CookieOverPlainHttp"/>: then Secure on HTTPS requests only.</summary>
    public static void ConfigureSecurePolicy(CookieAuthenticationOptions cookie, ConsoleOptions console, IHostEnvironment environment) =>
        cookie.Cookie.SecurePolicy = environment.IsDevelopment() || console.CookieOverPlainHttp
            ? CookieSecurePolicy.SameAsRequest
            : CookieSecurePolicy.Always;

    /// <summary>
    /// Whether a login over this request would set a cookie the browser drops: a Secure cookie over
    /// plain HTTP. Browsers keep Secure cookies of localhost and 127.0.0.1 (trustworthy origins), so
    /// only another machine's plain-HTTP address is refused.
    /// </summary>
    public static bool NeedsHttps(HttpContext http)
    {
        if (http.Request.IsHttps)
        {
            return false;
        }

        var cookie = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<CookieAuthenticationOptions>>().Get(Scheme);
        return cookie.Cookie.SecurePolicy == CookieSecurePolicy.Always && !Events.LinkBuilder.IsLoopbackHost(http.Request.Host.Host);
    }

    private static Task RedirectToEventLogin(HttpContext http, HttpResponse response)
    {
        var code = http.GetRouteValue("code") as string;
        if (code is null || http.Request.Path.StartsWithSegments("/api"))
        {
            response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        }

        response.Redirect(LoginPath(Uri.EscapeDataString(code)));
        return Task.CompletedTask;
    }

    /// <summary>Whether the key the principal logged in with still opens the console and its session was not logged out.</summary>
    public static Task<bool> KeyIsCurrentAsync(ClaimsPrincipal principal, IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<ConsoleSessions>().IsCurrentAsync(principal, cancellationToken);

    private static async Task ValidateKeyStillCurrentAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal is null
            || !await KeyIsCurrentAsync(context.Principal, context.HttpContext.RequestServices, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
        }
    }
}

/// <summary>Who is logged in to a console, read from the cookie's principal.</summary>
public sealed record ConsoleUser(string Label, string? EventCode, bool IsOrganiser, string? ModeratorName = null)
{
    /// <summary>The key's label, and the moderator's name when one was given: "moderators (Anna)".</summary>
    public Actor Actor => new(ModeratorName is null ? Label : $"{Label} ({ModeratorName})");

    public bool MayModerate(string? eventCode) => eventCode is not null && (IsOrganiser || EventCode == eventCode);

    public static ConsoleUser? From(ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true, Name: { } label }
            ? new ConsoleUser(label, user.FindFirstValue(ModeratorKeyAuthenticationHandler.EventClaim),
                user.IsInRole(ModeratorKeyAuthenticationHandler.OrganiserRole), user.FindFirstValue(ConsoleAccess.ModeratorNameClaim))
            : null;
}
