using Microsoft.Data.Sqlite;

namespace LiveSession.Server.Storage.Sqlite;

/// <summary>
/// The schema as a list of migrations: migration <c>n</c> (1-based) takes the database from version
/// <c>n - 1</c> to <c>n</c>. Add a migration at the end; never edit one that has shipped.
/// </summary>
internal static class SqliteSchema
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE events (
            code          TEXT    NOT NULL PRIMARY KEY,
            definition    TEXT    NOT NULL,
            live          TEXT    NOT NULL,
            live_revision INTEGER NOT NULL,
            seq           INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE questions (
            event_code              TEXT    NOT NULL REFERENCES events (code) ON DELETE CASCADE,
            id                      TEXT    NOT NULL,
            text                    TEXT    NOT NULL,
            original_text           TEXT,
            author_name             TEXT,
            addressed_to_speaker_id TEXT,
            origin                  TEXT    NOT NULL,
            status                  TEXT    NOT NULL,
            revision                INTEGER NOT NULL,
            created_at              TEXT    NOT NULL,
            created_utc_ticks       INTEGER NOT NULL,
            updated_at              TEXT    NOT NULL,
            merged_into_id          TEXT,
            votes                   INTEGER NOT NULL,
            asker_id                TEXT,
            answered_at             TEXT,
            PRIMARY KEY (event_code, id)
        ) STRICT;

        CREATE INDEX questions_by_time ON questions (event_code, created_utc_ticks);
        CREATE INDEX questions_by_asker ON questions (event_code, asker_id) WHERE asker_id IS NOT NULL;

        CREATE TABLE votes (
            event_code  TEXT NOT NULL,
            question_id TEXT NOT NULL,
            voter_id    TEXT NOT NULL,
            PRIMARY KEY (event_code, question_id, voter_id),
            FOREIGN KEY (event_code, question_id) REFERENCES questions (event_code, id) ON DELETE CASCADE
        ) STRICT, WITHOUT ROWID;

        CREATE INDEX votes_by_voter ON votes (event_code, voter_id);

        CREATE TABLE moderator_keys (
            key_hash   TEXT NOT NULL PRIMARY KEY,
            event_code TEXT NOT NULL REFERENCES events (code) ON DELETE CASCADE,
            label      TEXT NOT NULL,
            created_at TEXT NOT NULL
        ) STRICT;

        CREATE INDEX moderator_keys_by_event ON moderator_keys (event_code);

        CREATE TABLE audit (
            id          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
            event_code  TEXT    NOT NULL REFERENCES events (code) ON DELETE CASCADE,
            at          TEXT    NOT NULL,
            actor       TEXT    NOT NULL,
            action      TEXT    NOT NULL,
            question_id TEXT,
            before      TEXT,
            after       TEXT
        ) STRICT;

        CREATE INDEX audit_by_event ON audit (event_code, id);
        """,
        """
        CREATE TABLE polls (
            event_code        TEXT    NOT NULL REFERENCES events (code) ON DELETE CASCADE,
            id                TEXT    NOT NULL,
            json              TEXT    NOT NULL,
            status            TEXT    NOT NULL,
            revision          INTEGER NOT NULL,
            created_utc_ticks INTEGER NOT NULL,
            PRIMARY KEY (event_code, id)
        ) STRICT;

        CREATE TABLE poll_answers (
            event_code  TEXT NOT NULL,
            poll_id     TEXT NOT NULL,
            attendee_id TEXT NOT NULL,
            origin      TEXT NOT NULL,
            answer      TEXT NOT NULL,
            PRIMARY KEY (event_code, poll_id, attendee_id),
            FOREIGN KEY (event_code, poll_id) REFERENCES polls (event_code, id) ON DELETE CASCADE
        ) STRICT, WITHOUT ROWID;

        CREATE INDEX poll_answers_by_attendee ON poll_answers (event_code, attendee_id);

        CREATE TABLE poll_counts (
            event_code TEXT    NOT NULL,
            poll_id    TEXT    NOT NULL,
            origin     TEXT    NOT NULL,
            field      TEXT    NOT NULL,
            text       TEXT,
            count      INTEGER NOT NULL,
            PRIMARY KEY (event_code, poll_id, origin, field),
            FOREIGN KEY (event_code, poll_id) REFERENCES polls (event_code, id) ON DELETE CASCADE
        ) STRICT, WITHOUT ROWID;
        """,
        // Ask's requestId: one question per asker and request id; a purge (asker_id NULL) drops it from the index.
        """
        ALTER TABLE questions ADD COLUMN request_id TEXT;
        CREATE UNIQUE INDEX questions_by_request ON questions (event_code, asker_id, request_id)
            WHERE asker_id IS NOT NULL AND request_id IS NOT NULL;
        """,
        // Retention is per row: when each vote and poll answer was given (UTC ticks). Rows from before
        // this migration have none and count as old: retention purges them at its first pass.
        """
        ALTER TABLE votes ADD COLUMN voted_utc_ticks INTEGER;
        ALTER TABLE poll_answers ADD COLUMN answered_utc_ticks INTEGER;
        """,
        // Each event's display key (room screens, overlays).
        """
        CREATE TABLE display_keys (
            event_code TEXT NOT NULL PRIMARY KEY REFERENCES events (code) ON DELETE CASCADE,
            key        TEXT NOT NULL
        ) STRICT;
        """,
        // Console sessions ended by a logout, until their cookie could have expired.
        """
        CREATE TABLE revoked_console_sessions (
            session_id           TEXT    NOT NULL PRIMARY KEY,
            keep_until_utc_ticks INTEGER NOT NULL
        ) STRICT;
        """,
    ];

    public static int CurrentVersion => Migrations.Length;

    /// <summary>Brings the database to <see cref="CurrentVersion"/> in one transaction.</summary>
    public static async Task MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);

        await using (var create = connection.CreateCommand())
        {
            create.Transaction = transaction;
            create.CommandText = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL) STRICT";
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        long version;
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = "SELECT coalesce(max(version), 0) FROM schema_version";
            version = (long)(await read.ExecuteScalarAsync(cancellationToken))!;
        }

        if (version > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The database has schema version {version}; this build knows up to {CurrentVersion}. Use a newer build.");
        }

        for (var next = (int)version + 1; next <= CurrentVersion; next++)
        {
            await using var migrate = connection.CreateCommand();
            migrate.Transaction = transaction;
            migrate.CommandText = Migrations[next - 1];
            await migrate.ExecuteNonQueryAsync(cancellationToken);

            await using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "DELETE FROM schema_version; INSERT INTO schema_version (version) VALUES ($version)";
            record.Parameters.AddWithValue("$version", next);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
