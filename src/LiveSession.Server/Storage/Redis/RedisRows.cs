using System.Globalization;
using LiveSession.Domain.Questions;
using LiveSession.Server.Storage.Sqlite;
using StackExchange.Redis;

namespace LiveSession.Server.Storage.Redis;

/// <summary>
/// How a question is kept in its Redis hash: what moderation may change is one JSON document
/// (<see cref="StoredQuestion"/>); what a script must see (status, revision, votes, asker) and what
/// never changes (created) are fields of their own.
/// </summary>
internal static class RedisRows
{
    public static string Json(Question question) => StoredJson.Serialize(new StoredQuestion(
        question.Text, question.OriginalText, question.AuthorName, question.AddressedToSpeakerId, question.Origin.ToWire(),
        question.Status.ToWire(), question.Revision, question.UpdatedAt, question.MergedIntoId, question.AnsweredAt));

    public static string FormatTime(DateTimeOffset value) => value.ToString("O", CultureInfo.InvariantCulture);

    public static Question ReadQuestion(string eventCode, string id, string json, string created, string? asker, int votes)
    {
        var stored = StoredJson.Deserialize<StoredQuestion>(json);
        return new Question(
            id,
            eventCode,
            stored.Text,
            stored.OriginalText,
            stored.AuthorName,
            stored.AddressedToSpeakerId,
            QuestionWorkflow.TryParseOrigin(stored.Origin, out var origin)
                ? origin
                : throw new InvalidDataException($"Unknown question origin '{stored.Origin}' in Redis."),
            QuestionWorkflow.TryParseStatus(stored.Status, out var status)
                ? status
                : throw new InvalidDataException($"Unknown question status '{stored.Status}' in Redis."),
            stored.Revision,
            DateTimeOffset.ParseExact(created, "O", CultureInfo.InvariantCulture, DateTimeStyles.None),
            stored.UpdatedAt,
            stored.MergedIntoId,
            votes,
            string.IsNullOrEmpty(asker) ? null : asker,
            stored.AnsweredAt);
    }

    /// <summary>Rows of the <see cref="RedisScripts.Read"/> script, oldest first (ties in the order they were added).</summary>
    public static List<Question> ReadQuestions(string eventCode, RedisResult[] flat)
    {
        const int Width = 6;
        var rows = new List<(Question Question, int Position)>(flat.Length / Width);
        for (var i = 0; i + Width <= flat.Length; i += Width)
        {
            var question = ReadQuestion(eventCode, (string)flat[i]!, (string)flat[i + 1]!, (string)flat[i + 2]!,
                (string?)flat[i + 3], (int)flat[i + 4]);
            rows.Add((question, (int)flat[i + 5]));
        }

        return rows.OrderBy(r => r.Question.CreatedAt.UtcTicks).ThenBy(r => r.Position).Select(r => r.Question).ToList();
    }

    private sealed record StoredQuestion(
        string Text,
        string? OriginalText,
        string? AuthorName,
        string? AddressedToSpeakerId,
        string Origin,
        string Status,
        int Revision,
        DateTimeOffset UpdatedAt,
        string? MergedIntoId,
        DateTimeOffset? AnsweredAt);
}
