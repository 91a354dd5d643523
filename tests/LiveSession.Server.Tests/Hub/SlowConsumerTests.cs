using System.Diagnostics;
using LiveSession.Server.Live;
using LiveSession.Server.Observability;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LiveSession.Server.Tests.Hub;

/// <summary>
/// A crowd that is not polite: a client that never reads its socket and a client that asks for
/// stateful reconnect and never acknowledges, next to 50 ordinary attendees, on real Kestrel.
/// </summary>
public sealed class SlowConsumerTests() : LiveServerTest(Settings)
{
    private const int Attendees = 50;
    private static readonly TimeSpan MaxEditing = TimeSpan.FromSeconds(60);

    /// <summary>Far below what a moderator call takes when it waits for a stalled connection (the stall timeout).</summary>
    private static readonly TimeSpan NormalCallTime = TimeSpan.FromSeconds(2.5);

    private static readonly Dictionary<string, string?> Settings = new()
    {
        // Small buffers so that the stalled client fills its share in a few dozen updates.
        ["LiveSession:Limits:MaxBufferedBytesPerConnection"] = "4096",
        ["LiveSession:Limits:MaxQuestionLength"] = "5000",
        ["LiveSession:Limits:StalledSendTimeout"] = "00:00:05",
    };

    [Fact]
    public async Task A_client_that_never_reads_is_closed_and_nobody_waits_for_it()
    {
        var attendees = await Task.WhenAll(Enumerable.Range(0, Attendees).Select(_ => LiveClient.JoinAsync(Server)));
        using var http = Server.CreateClient();
        using var moderator = Server.CreateModeratorClient();
        try
        {
            var negotiated = await RawHubSocket.NegotiateAsync(http, statefulReconnect: true);
            Assert.False(negotiated.TryGetProperty("useStatefulReconnect", out var stateful) && stateful.GetBoolean(),
                "The hub offers no stateful reconnect: a client that never acknowledges has nothing to hold.");
            await using var neverAcks = await RawHubSocket.ConnectAsync(Server.BaseAddress, negotiated.GetProperty("connectionToken").GetString());
            await neverAcks.HandshakeAsync();
            var neverAcksJoined = await neverAcks.InvokeAsync("Join", "bms22", null, "remote");
            var neverAcksReads = neverAcks.ReadUntilClosedAsync(TimeSpan.FromMinutes(2));

            await using var neverReads = await RawHubSocket.ConnectAsync(Server.BaseAddress, receiveBufferBytes: 1024);
            await neverReads.HandshakeAsync();
            await neverReads.InvokeAsync("Join", "bms22", null, "remote");

            var asked = await attendees[0].AskAsync("Who audits the audit of the biometric systems?");
            await moderator.ApproveAsync(asked.QuestionId);
            var slowest = TimeSpan.Zero;
            var metrics = Server.Services.GetRequiredService<LiveMetrics>();
            var openBefore = metrics.OpenConnections;
            var stalledAfter = 0;
            var edits = 0;
            var editing = Stopwatch.StartNew();
            for (; editing.Elapsed < MaxEditing && stalledAfter < 20; edits++)
            {
                // Edits of a long question until the stalled client's buffers are full and it is closed, and a few more.
                stalledAfter += metrics.OpenConnections < openBefore ? 1 : 0;
                var started = Stopwatch.StartNew();
                await moderator.PutOkAsync($"/api/events/bms22/questions/{asked.QuestionId}/text", new { text = LongText(edits) });
                slowest = started.Elapsed > slowest ? started.Elapsed : slowest;
                await Task.Delay(10);
            }

            Assert.True(slowest < NormalCallTime, $"The slowest moderator call took {slowest.TotalMilliseconds:F0} ms.");
            await using var late = await LiveClient.JoinAsync(Server);
            var lastSeq = late.Snapshot!.Seq;
            foreach (var attendee in attendees)
            {
                await attendee.WaitForUpdateAsync(u => u.Seq == lastSeq && u.Type != UpdateTypes.Votes);
                AssertInOrderAndComplete(attendee.Snapshot!.Seq + 1, lastSeq, attendee.Updates.Where(u => u.Type != UpdateTypes.Votes).Select(u => u.Seq));
            }

            Assert.True(stalledAfter > 0, $"The stalled connection was not closed after {edits} updates.");
            Assert.True(await neverReads.ReadUntilClosedAsync(TimeSpan.FromSeconds(20)), "The stalled connection is still open.");
            Assert.False(neverAcksReads.IsCompleted, "The client that never acknowledges reads its socket: it stays.");
            var neverAcksFrom = neverAcksJoined.GetProperty("result").GetProperty("seq").GetInt64() + 1;
            AssertInOrderAndComplete(neverAcksFrom, lastSeq, neverAcks.UpdateSeqs(u => u.GetProperty("type").GetString() != "votes"));
        }
        finally
        {
            await Task.WhenAll(attendees.Select(a => a.DisposeAsync().AsTask()));
        }
    }

    private static string LongText(int i) =>
        $"Edit {i}: " + string.Join(' ', Enumerable.Repeat("which authority audits the biometric systems used in public spaces", 30));

    /// <summary>Every seq from <paramref name="from"/> to <paramref name="to"/>, none missing, none out of order (a change of two questions shares one).</summary>
    private static void AssertInOrderAndComplete(long from, long to, IEnumerable<long> received)
    {
        var seqs = received.Where(seq => seq >= from).ToList();
        Assert.Equal(seqs.Order(), seqs);
        Assert.Equal(Enumerable.Range(0, (int)(to - from + 1)).Select(i => from + i), seqs.Distinct());
    }
}
