using System.Globalization;
using LiveSession.Domain.Questions;
using Microsoft.Data.Sqlite;

namespace LiveSession.Server.Storage.Sqlite;

/// <summary>Commands with parameters, and the mapping between rows and the model.</summary>
internal static class SqliteRows
{
    /// <summary>The question columns in the order <see cref="ReadQuestion"/> expects.</summary>
    public const string QuestionColumns =
        "event_code, id, text, original_text, author_name, addressed_to_speaker_id, origin, status, revision, " +
        "created_at, updated_at, merged_into_id, votes, asker_id, answered_at";

    public static SqliteCommand Command(
        this SqliteConnection connection, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    public static SqliteCommand Command(
        this SqliteTransaction transaction, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var connection = transaction.Connection
            ?? throw new InvalidOperationException("The transaction has already completed.");
        var command = connection.Command(sql, parameters);
        command.Transaction = transaction;
        return command;
    }

    /// <summary>ISO 8601 with ticks and offset ("O"): parses back to the same instant and offset.</summary>
    public static string FormatTime(DateTimeOffset value) => value.ToString("O", CultureInfo.InvariantCulture);

    public static string? FormatTime(DateTimeOffset? value) => value is { } time ? FormatTime(time) : null;

    public static DateTimeOffset ParseTime(string value) =>
        DateTimeOffset.ParseExact(value, "O", CultureInfo.InvariantCulture, DateTimeStyles.None);

    public static Question ReadQuestion(SqliteDataReader reader) => new(
        Id: reader.GetString(1),
        EventCode: reader.GetString(0),
        Text: reader.GetString(2),
        OriginalText: NullableString(reader, 3),
        AuthorName: NullableString(reader, 4),
        AddressedToSpeakerId: NullableString(reader, 5),
        Origin: QuestionWorkflow.TryParseOrigin(reader.GetString(6), out var origin)
            ? origin
            : throw new InvalidDataException($"Unknown question origin '{reader.GetString(6)}' in the database."),
        Status: QuestionWorkflow.TryParseStatus(reader.GetString(7), out var status)
            ? status
            : throw new InvalidDataException($"Unknown question status '{reader.GetString(7)}' in the database."),
        Revision: reader.GetInt32(8),
        CreatedAt: ParseTime(reader.GetString(9)),
        UpdatedAt: ParseTime(reader.GetString(10)),
        MergedIntoId: NullableString(reader, 11),
        Votes: reader.GetInt32(12),
        AskerId: NullableString(reader, 13),
        AnsweredAt: NullableString(reader, 14) is { } answeredAt ? ParseTime(answeredAt) : null);

    public static async Task<List<Question>> ReadQuestionsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var questions = new List<Question>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            questions.Add(ReadQuestion(reader));
        }

        return questions;
    }

    public static string? NullableString(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
