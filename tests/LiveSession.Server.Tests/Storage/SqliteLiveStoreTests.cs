using LiveSession.Server.Storage;
using LiveSession.Server.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace LiveSession.Server.Tests.Storage;

public sealed class SqliteLiveStoreTests : LiveStoreContract
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "livesession-tests", Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_directory, "data", "live.db");

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Database_file_is_created_in_a_missing_directory()
    {
        Assert.True(File.Exists(DatabasePath));
    }

    [Fact]
    public async Task Schema_version_is_the_current_one_and_the_journal_is_wal()
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(Ct).DefaultTimeout();

        Assert.Equal((long)SqliteSchema.CurrentVersion, await ScalarAsync(connection, "SELECT version FROM schema_version"));
        Assert.Equal(1L, await ScalarAsync(connection, "SELECT count(*) FROM schema_version"));
        Assert.Equal("wal", await ScalarAsync(connection, "PRAGMA journal_mode"));
    }

    [Fact]
    public async Task Store_is_not_reachable_once_disposed()
    {
        await ((SqliteLiveStore)Store).DisposeAsync().AsTask().DefaultTimeout();

        Assert.False(await Store.IsReachableAsync(Ct).DefaultTimeout());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Store.ListEventCodesAsync(Ct)).DefaultTimeout();
    }

    protected override Task<ILiveStore> CreateStoreAsync() =>
        Task.FromResult<ILiveStore>(new SqliteLiveStore(DatabasePath, synchronousFull: false, Clock));

    protected override async Task<ILiveStore> ReopenStoreAsync(ILiveStore previous)
    {
        await ((SqliteLiveStore)previous).DisposeAsync();
        return new SqliteLiveStore(DatabasePath, synchronousFull: false, Clock);
    }

    private async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(Ct).DefaultTimeout();
    }
}
