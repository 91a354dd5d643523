using System.Diagnostics.Metrics;
using LiveSession.Server.Storage.Sqlite;
using LiveSession.Server.Tests.Infrastructure;

namespace LiveSession.Server.Tests.Events;

/// <summary>
/// The agenda is parsed once per event and node (EventCatalog keeps it): joins and snapshots read
/// only the live state. Counted with the store's parse counter, for an event of this test's own.
/// </summary>
public sealed class DefinitionCacheTests
{
    private const int Joins = 5;

    [Fact]
    public async Task Joins_after_the_first_parse_no_agenda_with_sqlite()
    {
        await using var server = LiveServer.Start();

        await AssertJoinsParseNothingAsync(server);
    }

    [Fact]
    public async Task Joins_after_the_first_parse_no_agenda_with_redis()
    {
        await using var cluster = await LiveCluster.StartAsync(nodes: 1);

        await AssertJoinsParseNothingAsync(cluster.Nodes[0]);
    }

    private static async Task AssertJoinsParseNothingAsync(LiveServer server)
    {
        var code = "parse-" + Guid.NewGuid().ToString("N")[..8];
        using var parses = new ParseCounter(code);
        using var organiser = server.CreateClient(LiveServer.OrganiserKey);
        using var created = await organiser.PostAsync("/api/events",
            TestEvents.AsYaml(TestEvents.TownHall.Replace($"code: {TestEvents.TownHallCode}", $"code: {code}"))).DefaultTimeout();
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        await using (var first = await LiveClient.JoinAsync(server, code))
        {
            Assert.Equal(code, first.Snapshot!.EventCode);
        }

        var afterStart = parses.Count;
        for (var i = 0; i < Joins; i++)
        {
            await using var attendee = await LiveClient.JoinAsync(server, code);
            await attendee.ResyncAsync();
        }

        Assert.Equal(1, afterStart); // read once, by the creation or the first join
        Assert.Equal(afterStart, parses.Count);
    }

    /// <summary>Parses of one event's stored definition, in this process.</summary>
    private sealed class ParseCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _count;

        public ParseCounter(string eventCode)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == StoredJson.DefinitionsParsedInstrument)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag is { Key: "event", Value: string code } && code == eventCode)
                    {
                        Interlocked.Add(ref _count, value);
                    }
                }
            });
            _listener.Start();
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}
