using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace LiveSession.Server.Storage.Sqlite;

/// <summary>
/// Commands kept prepared for the lifetime of their connection, so that SQLite parses the hot
/// statements (a vote's five) once instead of on every write. Only for the writer's connection,
/// which one loop uses at a time. Callers must not dispose the commands; closing the connection
/// finalises their statements.
/// </summary>
internal static class PreparedCommands
{
    private static readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, SqliteCommand>> Cache = [];

    public static SqliteCommand Prepared(
        this SqliteTransaction transaction, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var connection = transaction.Connection
            ?? throw new InvalidOperationException("The transaction has already completed.");
        var commands = Cache.GetValue(connection, _ => new Dictionary<string, SqliteCommand>(StringComparer.Ordinal));
        if (!commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, _) in parameters)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            commands[sql] = command;
        }

        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters[name].Value = value ?? DBNull.Value;
        }

        return command;
    }
}
