using LiveSession.Domain.Errors;
using LiveSession.Domain.Questions;
using LiveSession.Server.Access;
using LiveSession.Server.Agenda;
using LiveSession.Server.Displays;
using LiveSession.Server.Events;
using LiveSession.Server.Export;
using LiveSession.Server.Live;
using LiveSession.Server.Questions;
using LiveSession.Server.Storage;

namespace LiveSession.Server.Api;

/// <summary>
/// The moderator HTTP API (docs/protocol.md): the same services as the console, for control
/// surfaces (Stream Deck, Companion), scripts and tests. Success returns the changed object.
/// </summary>
public static class ModeratorApi
{
    public static IEndpointRouteBuilder MapModeratorApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/events/{code}")
            .RequireAuthorization(EventModeratorRequirement.Policy)
            .WithTags("Moderation");

        var questions = api.MapGroup("/questions");
        questions.MapGet("", ListQuestions);
        questions.MapGet("/{id}", async (string code, string id, QuestionService service, CancellationToken ct) =>
            ModeratorQuestionDto.From(await service.GetAsync(code, id, ct)));
        questions.MapPost("/{id}/approve", (string code, string id, Actor actor, QuestionService service, CancellationToken ct) =>
            Moderated(service.ApproveAsync(code, id, actor, ct)));
        questions.MapPost("/{id}/reject", (string code, string id, Actor actor, QuestionService service, CancellationToken ct) =>
            Moderated(service.RejectAsync(code, id, actor, ct)));
        questions.MapPost("/{id}/answered", (string code, string id, Actor actor, QuestionService service, CancellationToken ct) =>
            Moderated(service.MarkAnsweredAsync(code, id, actor, ct)));
        questions.MapPost("/{id}/restore", (string code, string id, Actor actor, QuestionService service, CancellationToken ct) =>
            Moderated(service.RestoreAsync(code, id, actor, ct)));
        questions.MapPost("/{id}/reset-votes", (string code, string id, Actor actor, QuestionService service, CancellationToken ct) =>
            Moderated(service.ResetVotesAsync(code, id, actor, ct)));
        questions.MapPut("/{id}/text", (string code, string id, TextBody body, Actor actor, QuestionService service, CancellationToken ct) =>
            Moderated(service.EditTextAsync(code, id, body.Text, actor, ct, body.Revision)));
        questions.MapPost("/{id}/merge", (string code, string id, MergeBody body, Actor actor, QuestionService service, CancellationToken ct) =>
            Moderated(service.MergeAsync(code, id, Required(body.IntoId, "intoId"), actor, ct)));

        api.MapPut("/screen", (string code, ScreenBody? body, Actor actor, LiveControlService live, CancellationToken ct) =>
            Live(body?.PollId is { Length: > 0 } pollId
                ? string.IsNullOrEmpty(body.QuestionId)
                    ? live.SetScreenPollAsync(code, pollId, actor, ct)
                    : throw LiveSessionException.Invalid("The screen shows a question or a poll: send \"questionId\" or \"pollId\", not both.")
                : live.SetScreenAsync(code, body?.QuestionId, actor, ct)));
        api.MapPut("/qa", (string code, QaBody body, Actor actor, LiveControlService live, CancellationToken ct) =>
            Live(live.SetQaOpenAsync(code, body.Open ?? throw Missing("open"), actor, ct)));
        api.MapGet("/live", LiveStatus);
        api.MapGet("/displays", (string code, DisplayKeys displays, CancellationToken ct) => displays.GetLinksAsync(code, ct));
        api.MapPost("/displays/rotate", (string code, Actor actor, DisplayKeys displays, CancellationToken ct) =>
            displays.RotateAsync(code, actor, ct));

        var agenda = api.MapGroup("/agenda");
        agenda.MapPost("/end", (string code, Actor actor, LiveControlService live, CancellationToken ct) =>
            Live(live.EndAsync(code, actor, ct)));
        agenda.MapPost("/next-slot", (string code, Actor actor, LiveControlService live, CancellationToken ct) =>
            Live(live.NextSlotAsync(code, actor, ct)));
        agenda.MapPost("/previous-slot", (string code, Actor actor, LiveControlService live, CancellationToken ct) =>
            Live(live.PreviousSlotAsync(code, actor, ct)));
        agenda.MapPost("/next-speaker", (string code, Actor actor, LiveControlService live, CancellationToken ct) =>
            Live(live.NextSpeakerAsync(code, actor, ct)));
        agenda.MapPut("/current", (string code, CurrentBody body, Actor actor, LiveControlService live, CancellationToken ct) =>
            Live(live.SetCurrentAsync(code, Required(body.SlotId, "slotId"), body.SpeakerId, actor, ct)));

        // The livestream overlay's lower third; bodiless POSTs so that a Stream Deck button can send them.
        var overlay = api.MapGroup("/overlay");
        overlay.MapPost("/hide", (string code, Actor actor, LiveControlService live, CancellationToken ct) =>
            Live(live.SetLowerThirdHiddenAsync(code, hidden: true, actor, ct)));
        overlay.MapPost("/show", (string code, Actor actor, LiveControlService live, CancellationToken ct) =>
            Live(live.SetLowerThirdHiddenAsync(code, hidden: false, actor, ct)));

        var timer = api.MapGroup("/timer");
        timer.MapPost("/start", (string code, Actor actor, LiveControlService live, CancellationToken ct) =>
            Live(live.StartTimerAsync(code, actor, ct)));
        timer.MapPost("/pause", (string code, Actor actor, LiveControlService live, CancellationToken ct) =>
            Live(live.PauseTimerAsync(code, actor, ct)));
        timer.MapPost("/reset", (string code, Actor actor, LiveControlService live, CancellationToken ct) =>
            Live(live.ResetTimerAsync(code, actor, ct)));
        timer.MapPost("/add", (string code, SecondsBody body, Actor actor, LiveControlService live, CancellationToken ct) =>
            Live(live.AddTimerSecondsAsync(code, body.Seconds ?? throw Missing("seconds"), actor, ct)));

        api.MapGet("/export", ExportDownload.HandleAsync).Produces(StatusCodes.Status200OK, typeof(string), "text/markdown", "text/csv", "application/json");
        api.MapGet("/audit", async (string code, int? limit, AuditLog audit, EventCatalog events, CancellationToken ct) =>
        {
            await events.GetDefinitionAsync(code, ct);
            return await audit.ListAsync(code, limit ?? 200, ct);
        });
        api.MapPost("/purge", async (string code, Actor actor, AttendeeDataPurge purge, CancellationToken ct) =>
            await purge.PurgeAsync(code, actor, changedBefore: null, ct));
        return app;
    }

    private static async Task<IReadOnlyList<ModeratorQuestionDto>> ListQuestions(
        string code, string? status, QuestionService service, CancellationToken ct)
    {
        QuestionStatus? filter = null;
        if (!string.IsNullOrEmpty(status))
        {
            filter = QuestionWorkflow.TryParseStatus(status, out var parsed)
                ? parsed
                : throw LiveSessionException.Invalid("status must be one of pending, approved, rejected, answered, withdrawn, merged.");
        }

        var list = await service.ListAsync(code, filter, ct);
        return list.Select(ModeratorQuestionDto.From).ToList();
    }

    private static async Task<LiveStatusDto> LiveStatus(
        string code, EventCatalog events, ILiveStore store, TimeProvider time, CancellationToken ct)
    {
        var stored = await events.GetAsync(code, ct);
        var screen = stored.Live.ScreenQuestionId is { } questionId ? await store.GetQuestionAsync(code, questionId, ct) : null;
        return LiveStatusDto.From(stored.Definition, stored.Live, screen, time.GetUtcNow());
    }

    private static async Task<ModeratorQuestionDto> Moderated(Task<Question> action) => ModeratorQuestionDto.From(await action);

    private static async Task<LiveDto> Live(Task<Domain.Live.LiveState> action) => LiveDto.From(await action);

    private static string Required(string? value, string name) => string.IsNullOrEmpty(value) ? throw Missing(name) : value;

    private static LiveSessionException Missing(string name) => LiveSessionException.Invalid($"The body needs \"{name}\".");
}

/// <param name="Revision">Optional: the revision the edit was made on; a question changed since answers 409 <c>conflict</c>.</param>
public sealed record TextBody(string? Text, int? Revision = null);

public sealed record MergeBody(string? IntoId);

public sealed record ScreenBody(string? QuestionId, string? PollId);

public sealed record QaBody(bool? Open);

public sealed record CurrentBody(string? SlotId, string? SpeakerId);

public sealed record SecondsBody(int? Seconds);
