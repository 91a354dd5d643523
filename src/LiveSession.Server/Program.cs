using LiveSession.Server;
using LiveSession.Server.Api;
using LiveSession.Server.Health;
using LiveSession.Server.Pages;

var builder = WebApplication.CreateBuilder(args);
builder.AddLiveSessionOptions()
    .AddLiveStore()
    .AddLiveSessionCore()
    .AddLiveAccess()
    .AddLiveHub()
    .AddLiveProblemDetails();
builder.Services.AddLiveHealth();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAttendeePageAssets();
app.UseAuthentication();
app.UseAuthorization();

app.MapLiveHealth();
app.MapLiveHub();
app.MapModeratorApi();
app.MapEventsApi();
app.MapAttendeePages();

app.Run();

/// <summary>Visible to the tests, which start the real host on Kestrel.</summary>
public partial class Program;
