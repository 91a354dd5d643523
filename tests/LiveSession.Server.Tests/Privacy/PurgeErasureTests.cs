using System.Text;
using System.Text.Json;
using LiveSession.Server.Access;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LiveSession.Server.Tests.Privacy;

/// <summary>
/// A purge checked on disk, as an auditor would: after it, no byte of the data folder (SQLite file,
/// WAL, shared memory, keys) nor of Redis's append-only files holds what was purged.
/// </summary>
public sealed class PurgeErasureTests
{
    [Fact]
    public async Task After_a_purge_no_byte_of_the_sqlite_data_folder_holds_purged_data()
    {
        await using var server = LiveServer.Start();

        var purged = await AskRejectWithdrawAndVoteAsync(server);
        Assert.All(purged.Secrets, secret => Assert.NotEmpty(FilesContaining(server.DataDirectory, secret)));

        var result = await PurgeAsync(server);

        Assert.Equal("sqlite", result.GetProperty("erasure").GetProperty("store").GetString());
        Assert.True(result.GetProperty("erasure").GetProperty("completed").GetBoolean());
        Assert.All(purged.Secrets, secret => Assert.Empty(FilesContaining(server.DataDirectory, secret)));
        await AssertAuditAndExportHoldNoMarkerAsync(server, purged);
    }

    [Fact]
    public async Task After_a_purge_the_rewritten_append_only_file_holds_no_purged_data()
    {
        // Without the RDB preamble the rewritten file is plain commands, so no text hides in compressed strings.
        await using var redis = await RedisServer.StartNewAsync(appendOnly: true, "--aof-use-rdb-preamble", "no");
        await using var server = LiveServer.Start(new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = redis.ConnectionString });

        var purged = await AskRejectWithdrawAndVoteAsync(server);
        Assert.All(purged.Secrets, secret => Assert.NotEmpty(FilesContaining(redis.DataDirectory, secret)));

        var result = await PurgeAsync(server);

        var erasure = result.GetProperty("erasure");
        Assert.Equal("redis", erasure.GetProperty("store").GetString());
        Assert.True(erasure.GetProperty("completed").GetBoolean(), erasure.GetProperty("detail").GetString());
        Assert.All(purged.Secrets, secret => Assert.Empty(FilesContaining(redis.DataDirectory, secret)));
        Assert.All(purged.Secrets, secret => Assert.Empty(FilesContaining(server.DataDirectory, secret)));
        await AssertAuditAndExportHoldNoMarkerAsync(server, purged);
    }

    private sealed record Purged(IReadOnlyList<string> Markers, IReadOnlyList<string> AttendeeIds, string KeptText)
    {
        public IEnumerable<string> Secrets => Markers.Concat(AttendeeIds);
    }

    /// <summary>Four attendees: one asks what is approved, one what is rejected (after an edit), one withdraws, one votes.</summary>
    private static async Task<Purged> AskRejectWithdrawAndVoteAsync(LiveServer server)
    {
        using var moderator = server.CreateModeratorClient();
        await using var asker = await LiveClient.JoinAsync(server);
        await using var rejectedAsker = await LiveClient.JoinAsync(server);
        await using var withdrawer = await LiveClient.JoinAsync(server);
        await using var voter = await LiveClient.JoinAsync(server);
        var markers = new[] { "Zq7RejectedText", "Zq7RejectedEdit", "Zq7RejectedAuthor", "Zq7WithdrawnText", "Zq7WithdrawnAuthor" };

        const string keptText = "A question that is published and stays";
        var kept = await asker.AskAsync(keptText, "Published Author");
        await moderator.ApproveAsync(kept.QuestionId);
        var rejected = await rejectedAsker.AskAsync($"Would you say {markers[0]} out loud?", markers[2]);
        await moderator.PutOkAsync($"/api/events/bms22/questions/{rejected.QuestionId}/text", new { text = $"Would you say {markers[1]}?" });
        await moderator.PostOkAsync($"/api/events/bms22/questions/{rejected.QuestionId}/reject");
        var withdrawn = await withdrawer.AskAsync($"On second thought {markers[3]}", markers[4]);
        await withdrawer.WithdrawAsync(withdrawn.QuestionId);
        await voter.VoteAsync(kept.QuestionId);
        await rejectedAsker.VoteAsync(kept.QuestionId);

        var tokens = server.Services.GetRequiredService<AttendeeTokens>();
        var ids = new[] { asker, rejectedAsker, withdrawer, voter }
            .Select(client => tokens.TryValidate("bms22", client.Token) ?? throw new InvalidOperationException("No attendee id"))
            .ToList();
        return new Purged(markers, ids, keptText);
    }

    private static async Task<JsonElement> PurgeAsync(LiveServer server)
    {
        using var moderator = server.CreateModeratorClient();
        var result = await moderator.PostOkAsync("/api/events/bms22/purge");
        Assert.Equal(2, result.GetProperty("questionsDeleted").GetInt32());
        Assert.Equal(4, result.GetProperty("attendeesForgotten").GetInt32());
        return result;
    }

    private static async Task AssertAuditAndExportHoldNoMarkerAsync(LiveServer server, Purged purged)
    {
        using var moderator = server.CreateModeratorClient();
        var audit = await moderator.GetStringAsync("/api/events/bms22/audit").DefaultTimeout();
        var export = string.Concat(await Task.WhenAll(new[] { "md", "csv", "json" }
            .Select(format => moderator.GetStringAsync($"/api/events/bms22/export?format={format}").DefaultTimeout())));

        Assert.All(purged.Secrets, secret => Assert.DoesNotContain(secret, audit + export));
        Assert.Contains("[purged]", audit);
        Assert.Contains("\"action\":\"reject\"", audit);
        Assert.Contains(purged.KeptText, export);
    }

    /// <summary>The files under <paramref name="folder"/> (recursively) whose bytes contain <paramref name="secret"/> in UTF-8.</summary>
    private static List<string> FilesContaining(string folder, string secret)
    {
        var needle = Encoding.UTF8.GetBytes(secret);
        return Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(path => File.ReadAllBytes(path).AsSpan().IndexOf(needle) >= 0)
            .Select(Path.GetFileName)
            .Select(name => name!)
            .ToList();
    }
}
