using LiveSession.Server;
using LiveSession.Server.Api;
using LiveSession.Server.Health;
using LiveSession.Server.Observability;
using LiveSession.Server.Storage.Redis;

var builder = WebApplication.CreateBuilder(args);
builder.AddLiveSessionOptions()
    .AddLiveStore()
    .AddLiveSessionCore()
    .AddLiveAccess()
    .AddLiveHub()
    .AddRedisScaleOut()
    .AddLiveProblemDetails();
builder.Services.AddLiveHealth();
builder.AddLiveTelemetry();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();

app.MapLiveHealth();
app.MapLiveMetrics();
app.MapLiveHub();
app.MapModeratorApi();
app.MapEventsApi();

app.Run();

/// <summary>Visible to the tests, which start the real host on Kestrel.</summary>
public partial class Program;
