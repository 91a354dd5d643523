namespace LiveSession.Server.Access;

/// <summary>Who performs a moderation action, for the audit log: the key's label ("organiser" for the organiser key).</summary>
public sealed record Actor(string Label)
{
    public static readonly Actor Organiser = new("organiser");
}
