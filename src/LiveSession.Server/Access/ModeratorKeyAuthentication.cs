using System.Security.Claims;
using System.Text.Encodings.Web;
using LiveSession.Domain.Errors;
using LiveSession.Server.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace LiveSession.Server.Access;

/// <summary>
/// "Authorization: Bearer &lt;key&gt;" for the moderator API: the organiser key opens every event,
/// a moderator key only its own. It runs before the body is read, so an unauthorised caller
/// learns nothing from validation errors. Missing or unknown key: 401; another event's key: 403.
/// The key is checked before the throttle: an unknown key past its client's failures is 429
/// <c>rate_limited</c>, a correct one always passes.
/// </summary>
public sealed class ModeratorKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    OrganiserKey organiserKey,
    ModeratorKeys moderatorKeys,
    KeyCheckThrottle throttle) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ModeratorKey";
    public const string EventClaim = "livesession:event";
    public const string OrganiserRole = "organiser";
    private const string RateLimitedItem = "livesession:key-rate-limited";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        if (!header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var key = header[bearer.Length..].Trim();
        if (organiserKey.Matches(key))
        {
            return Success([new Claim(ClaimTypes.Name, Actor.Organiser.Label), new Claim(ClaimTypes.Role, OrganiserRole)]);
        }

        var found = await moderatorKeys.FindAsync(key, Context.RequestAborted);
        if (found is not null)
        {
            return Success([new Claim(ClaimTypes.Name, found.Label), new Claim(EventClaim, found.EventCode)]);
        }

        // Authenticate runs once per request per scheme (the result is cached), so one wrong key is one failure.
        if (throttle.Failed(KeySurface.Api, Context.Connection.RemoteIpAddress) is { } retryAfter)
        {
            Context.Items[RateLimitedItem] = retryAfter;
        }

        return AuthenticateResult.Fail("unknown key");
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[RateLimitedItem] is TimeSpan retryAfter)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            Context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Problems.WriteAsync(Context, new LiveSessionException(ErrorCodes.RateLimited,
                $"Too many wrong keys from this address; try again in {seconds} s. A correct key is always accepted."));
        }

        return Problems.WriteAsync(Context, new LiveSessionException(ErrorCodes.Unauthorized,
            "Send the event's moderator key or the organiser key as \"Authorization: Bearer <key>\"."));
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.WriteAsync(Context, new LiveSessionException(ErrorCodes.Forbidden, "This key does not open this event or this action."));

    private AuthenticateResult Success(Claim[] claims) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
}

/// <summary>The route's event must be the key's event, unless the key is the organiser's.</summary>
public sealed class EventModeratorRequirement : AuthorizationHandler<EventModeratorRequirement>, IAuthorizationRequirement
{
    public const string Policy = "EventModerator";
    public const string OrganiserPolicy = "Organiser";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, EventModeratorRequirement requirement)
    {
        var eventCode = (context.Resource as HttpContext)?.GetRouteValue("code") as string;
        if (context.User.IsInRole(ModeratorKeyAuthenticationHandler.OrganiserRole)
            || (eventCode is not null && context.User.HasClaim(ModeratorKeyAuthenticationHandler.EventClaim, eventCode)))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
