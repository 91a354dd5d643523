using LiveSession.Server.Access;

namespace LiveSession.Server.Polls;

/// <summary>The moderators' poll routes (docs/protocol.md, "Polls"): the same service as the console.</summary>
public static class PollsApi
{
    public static IServiceCollection AddPolls(this IServiceCollection services) => services.AddSingleton<PollService>().AddSingleton<PublicPolls>();

    public static IEndpointRouteBuilder MapPollsApi(this IEndpointRouteBuilder app)
    {
        var polls = app.MapGroup("/api/events/{code}/polls")
            .RequireAuthorization(EventModeratorRequirement.Policy)
            .WithTags("Polls");

        polls.MapPost("", async (string code, PollBody body, Actor actor, PollService service, CancellationToken ct) =>
        {
            var poll = await service.CreateAsync(code, body, actor, ct);
            return Results.Created($"/api/events/{code}/polls/{poll.Id}", poll);
        }).Produces<PollDto>(StatusCodes.Status201Created);
        polls.MapGet("", (string code, PollService service, CancellationToken ct) => service.ListAsync(code, ct));
        polls.MapGet("/{id}", (string code, string id, PollService service, CancellationToken ct) => service.GetAsync(code, id, ct));
        polls.MapPut("/{id}", (string code, string id, PollBody body, Actor actor, PollService service, CancellationToken ct) =>
            service.UpdateAsync(code, id, body, actor, ct));
        polls.MapDelete("/{id}", (string code, string id, Actor actor, PollService service, CancellationToken ct) =>
            service.DeleteAsync(code, id, actor, ct));
        polls.MapPost("/{id}/open", (string code, string id, Actor actor, PollService service, CancellationToken ct) =>
            service.OpenAsync(code, id, actor, ct));
        polls.MapPost("/{id}/close", (string code, string id, Actor actor, PollService service, CancellationToken ct) =>
            service.CloseAsync(code, id, actor, ct));
        polls.MapPost("/{id}/show-results", (string code, string id, Actor actor, PollService service, CancellationToken ct) =>
            service.SetResultsVisibleAsync(code, id, visible: true, actor, ct));
        polls.MapPost("/{id}/hide-results", (string code, string id, Actor actor, PollService service, CancellationToken ct) =>
            service.SetResultsVisibleAsync(code, id, visible: false, actor, ct));
        polls.MapPost("/{id}/duplicate", async (string code, string id, Actor actor, PollService service, CancellationToken ct) =>
        {
            var poll = await service.DuplicateAsync(code, id, actor, ct);
            return Results.Created($"/api/events/{code}/polls/{poll.Id}", poll);
        }).Produces<PollDto>(StatusCodes.Status201Created);
        return app;
    }
}
