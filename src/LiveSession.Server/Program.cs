using LiveSession.Server.Abuse;
using LiveSession.Server.Access;
using LiveSession.Server.Agenda;
using LiveSession.Server.Api;
using LiveSession.Server.Configuration;
using LiveSession.Server.Displays;
using LiveSession.Server.Events;
using LiveSession.Server.Export;
using LiveSession.Server.Health;
using LiveSession.Server.Hosting;
using LiveSession.Server.Hub;
using LiveSession.Server.Live;
using LiveSession.Server.ModeratorConsole;
using LiveSession.Server.Observability;
using LiveSession.Server.Pages;
using LiveSession.Server.Polls;
using LiveSession.Server.Questions;
using LiveSession.Server.Storage;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = PublishedContentRoot.Find() });
builder.AddLiveSessionOptions();
builder.AddServerLimits();
builder.AddLiveStorage();
builder.AddLiveAccess();
builder.AddAdmissionBudgets();
builder.AddLiveHub();
builder.Services.AddEvents();
builder.Services.AddQuestions();
builder.Services.AddAgenda();
builder.Services.AddPolls();
builder.Services.AddLiveUpdates();
builder.Services.AddDisplays();
builder.Services.AddExport();
builder.Services.AddLiveProblemDetails();
builder.Services.AddApiDocument();
builder.Services.AddLiveHealth();
builder.AddModeratorConsole();
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
