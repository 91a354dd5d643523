using LiveSession.Server.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace LiveSession.Server.Access;

public static class AccessRegistration
{
    /// <summary>
    /// Keys: Data Protection (attendee tokens, cookies), the organiser key, moderator keys and their
    /// checks. Where the key ring is kept is the node mode's (<c>AddLiveStorage</c>).
    /// </summary>
    public static WebApplicationBuilder AddLiveAccess(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<IValidateOptions<LiveSessionOptions>, OrganiserKeyStrength>();
        services.AddDataProtection().SetApplicationName("LiveSession");
        services.AddSingleton<AttendeeTokens>();
        services.AddSingleton<OrganiserKey>();
        services.AddSingleton<ModeratorKeys>();
        services.AddSingleton<KeyCheckThrottle>();
        // The handler's own lines for a wrong key (not authenticated, challenged) are Information: a
        // guessing script would fill the log. KeyCheckThrottle logs each failure at Debug instead.
        builder.Logging.AddFilter(typeof(ModeratorKeyAuthenticationHandler).FullName, LogLevel.Warning);
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ModeratorKeyAuthenticationHandler>(ModeratorKeyAuthenticationHandler.SchemeName, _ => { });
        services.AddSingleton<IAuthorizationHandler, EventModeratorRequirement>();
        services.AddAuthorizationBuilder()
            .AddPolicy(EventModeratorRequirement.Policy, policy => policy
                .AddAuthenticationSchemes(ModeratorKeyAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .AddRequirements(new EventModeratorRequirement()))
            .AddPolicy(EventModeratorRequirement.OrganiserPolicy, policy => policy
                .AddAuthenticationSchemes(ModeratorKeyAuthenticationHandler.SchemeName)
                .RequireRole(ModeratorKeyAuthenticationHandler.OrganiserRole));
        return builder;
    }
}
