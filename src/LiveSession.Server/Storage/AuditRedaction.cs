using System.Text.Json.Nodes;

namespace LiveSession.Server.Storage;

/// <summary>
/// Redacts the audit entries of a purged question: who did what and when stay, what the attendee
/// typed and the name they gave become <see cref="Purged"/>. Shared by both stores.
/// </summary>
public static class AuditRedaction
{
    public const string Purged = "[purged]";

    private static readonly string[] TypedFields = ["text", "originalText", "authorName"];

    public static AuditEntry Redact(AuditEntry entry) =>
        entry with { Before = RedactJson(entry.Before), After = RedactJson(entry.After) };

    /// <summary>The JSON of a question with its typed fields replaced (null ones stay null).</summary>
    public static string? RedactJson(string? json)
    {
        if (json is null || JsonNode.Parse(json) is not JsonObject question)
        {
            return json;
        }

        foreach (var field in TypedFields)
        {
            if (question[field] is not null)
            {
                question[field] = Purged;
            }
        }

        return question.ToJsonString();
    }
}
