using LiveSession.Server;
using LiveSession.Server.Abuse;
using LiveSession.Server.Api;
using LiveSession.Server.Health;
using LiveSession.Server.Hosting;
using LiveSession.Server.Hub;
using LiveSession.Server.ModeratorConsole;
using LiveSession.Server.Observability;
using LiveSession.Server.Pages;
using LiveSession.Server.Polls;
using LiveSession.Server.Storage.Redis;

SharedBufferPool.Enlarge();
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = PublishedContentRoot.Find() });
builder.AddLiveSessionOptions()
    .AddLiveStore()
    .AddLiveSessionCore()
    .AddLiveAccess()
    .AddLiveHub()
    .AddRedisScaleOut()
    .AddLiveProblemDetails()
    .AddModeratorConsole()
    .AddTrustedProxies();
builder.Services.AddLiveHealth();
builder.Services.AddApiDocument();
builder.AddLiveTelemetry();

var app = builder.Build();
app.UseForwardedHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAttendeePageAssets();
app.UseHubConnectionSlots();
app.UseAuthentication();
app.UseAuthorization();

app.MapLiveHealth();
app.MapLiveMetrics();
app.MapLiveHub();
app.MapModeratorApi();
app.MapPollsApi();
app.MapEventsApi();
app.MapApiDocument();
app.MapAttendeePages();
app.MapModeratorConsole();

app.Run();

/// <summary>Visible to the tests, which start the real host on Kestrel.</summary>
public partial class Program;
