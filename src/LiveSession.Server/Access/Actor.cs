namespace LiveSession.Server.Access;

/// <summary>Who performs a moderation action, for the audit log: the key's label ("organiser" for the organiser key).</summary>
public sealed record Actor(string Label)
{
    public static readonly Actor Organiser = new("organiser");

    /// <summary>
    /// Lets an API handler take <c>Actor actor</c>: minimal APIs call this once per request, so the
    /// rule "the authenticated key's label, else unknown" lives here and not in every route.
    /// </summary>
    public static ValueTask<Actor?> BindAsync(HttpContext context) =>
        ValueTask.FromResult<Actor?>(new(context.User.Identity?.Name ?? "unknown"));
}
