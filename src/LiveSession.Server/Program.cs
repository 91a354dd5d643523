using LiveSession.Server;
using LiveSession.Server.Api;
using LiveSession.Server.ModeratorConsole;
using LiveSession.Server.Health;

var builder = WebApplication.CreateBuilder(args);
builder.AddLiveSessionOptions()
    .AddLiveStore()
    .AddLiveSessionCore()
    .AddLiveAccess()
    .AddLiveHub()
    .AddLiveProblemDetails()
    .AddModeratorConsole();
builder.Services.AddLiveHealth();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();

app.MapLiveHealth();
app.MapLiveHub();
app.MapModeratorApi();
app.MapEventsApi();
app.MapModeratorConsole();

app.Run();

/// <summary>Visible to the tests, which start the real host on Kestrel.</summary>
public partial class Program;
