using LiveSession.Server.Access;
using LiveSession.Server.Components;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Web;

namespace LiveSession.Server.ModeratorConsole;

/// <summary>The moderator console: Blazor Server components behind a cookie login, next to the bearer-key API.</summary>
public static class ModeratorConsoleRegistration
{
    public static WebApplicationBuilder AddModeratorConsole(this WebApplicationBuilder builder)
    {
        // Blazor's own script comes from the static web assets manifest; outside Development an
        // unpublished build (tests, a plain `dotnet run -c Release`) would otherwise serve it empty.
        // A published app has no such manifest, and this does nothing there.
        builder.WebHost.UseStaticWebAssets();

        var services = builder.Services;
        services.AddOptions<ConsoleOptions>().BindConfiguration(ConsoleOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddOptions<Microsoft.AspNetCore.Components.Server.CircuitOptions>()
            .Configure<Microsoft.Extensions.Options.IOptions<ConsoleOptions>>((circuits, console) =>
            {
                circuits.DisconnectedCircuitRetentionPeriod = console.Value.DisconnectedCircuitRetention;
                circuits.DisconnectedCircuitMaxRetained = console.Value.DisconnectedCircuitsRetained;
            });
        services.AddScoped<AuthenticationStateProvider, ConsoleKeyRevalidation>();
        services.AddSingleton<ConsoleSessions>();
        services.AddCascadingAuthenticationState();
        services.AddAuthentication().AddCookie(ConsoleAccess.Scheme, ConsoleAccess.Configure);
        services.AddOptions<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(ConsoleAccess.Scheme)
            .Configure<Microsoft.Extensions.Options.IOptions<ConsoleOptions>, IHostEnvironment>(
                (cookie, console, environment) => ConsoleAccess.ConfigureSecurePolicy(cookie, console.Value, environment));
        services.AddAuthorizationBuilder()
            .AddPolicy(ConsoleAccess.Policy, policy => policy
                .AddAuthenticationSchemes(ConsoleAccess.Scheme)
                .RequireAuthenticatedUser()
                .AddRequirements(new EventModeratorRequirement()))
            .AddPolicy(ConsoleAccess.CircuitPolicy, policy => policy
                .AddAuthenticationSchemes(ConsoleAccess.Scheme)
                .RequireAuthenticatedUser());
        return builder;
    }

    public static WebApplication MapModeratorConsole(this WebApplication app)
    {
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapConsoleEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode()
            .Add(endpoint =>
            {
                // The circuit endpoints (/_blazor, its negotiate, disconnect and initializers) are the ones
                // Blazor marks with the server render mode. They carry no event code: they want any console
                // login, and the circuit's user is the one this policy authenticates from the cookie.
                if (endpoint.Metadata.OfType<InteractiveServerRenderMode>().Any())
                {
                    endpoint.Metadata.Add(new AuthorizeAttribute(ConsoleAccess.CircuitPolicy));
                }
            });
        return app;
    }
}
