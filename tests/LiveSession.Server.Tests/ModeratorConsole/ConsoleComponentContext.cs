using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using LiveSession.Domain.Questions;
using LiveSession.Server.Access;
using LiveSession.Server.Live;
using LiveSession.Server.ModeratorConsole;
using LiveSession.Server.Questions;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LiveSession.Server.Tests.ModeratorConsole;

/// <summary>
/// bUnit over the real application: the components get the services of a real server (SQLite in a
/// temp folder, the real feed), and a logged-in moderator of the demo event.
/// </summary>
public abstract class ConsoleComponentContext : IAsyncLifetime
{
    protected const string Code = "bms22";

    protected ConsoleComponentContext()
    {
        Server = LiveServer.Start();
        Bunit.Services.AddFallbackServiceProvider(Server.Services);
        Auth = Bunit.AddAuthorization();
        LogInAs("moderators", Code);
    }

    protected LiveServer Server { get; }

    protected BunitContext Bunit { get; } = new();

    protected BunitAuthorizationContext Auth { get; }

    protected QuestionService Questions => Server.Services.GetRequiredService<QuestionService>();

    protected AuditLog Audit => Server.Services.GetRequiredService<AuditLog>();

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Logged in with the demo event's moderator key, as the login form would (key hash and session claims).</summary>
    protected void LogInAs(string label, string eventCode)
    {
        Auth.SetAuthorized(label);
        Auth.SetClaims(
            new Claim(ModeratorKeyAuthenticationHandler.EventClaim, eventCode),
            new Claim(ConsoleAccess.KeyHashClaim, ModeratorKeys.Hash(Server.ModeratorKey)),
            new Claim(ConsoleAccess.SessionClaim, Guid.NewGuid().ToString("N")));
    }

    /// <summary>Logged in with the organiser key.</summary>
    protected void LogInAsOrganiser()
    {
        Auth.SetAuthorized("organiser");
        Auth.SetRoles(ModeratorKeyAuthenticationHandler.OrganiserRole);
        Auth.SetClaims(
            new Claim(ConsoleAccess.KeyHashClaim, ModeratorKeys.Hash(LiveServer.OrganiserKey)),
            new Claim(ConsoleAccess.SessionClaim, Guid.NewGuid().ToString("N")));
    }

    protected Task<Question> AskAsync(string text, QuestionOrigin origin = QuestionOrigin.Remote, string? author = null, string? to = null, string asker = "attendee-1") =>
        Questions.AskAsync(Code, asker, origin, new AskRequest(text, author, to), CancellationToken.None).DefaultTimeout();

    public async Task DisposeAsync()
    {
        await Bunit.DisposeAsync();
        await Server.DisposeAsync();
    }
}
