using System.Text;
using LiveSession.Benchmarks.Measure;
using LiveSession.Benchmarks.Wire;

namespace LiveSession.Server.Tests.Benchmarks;

/// <summary>The load tool's own recording: lock-free, so it must still keep every sample and read every field.</summary>
public sealed class LatencySamplesTests
{
    [Fact]
    public async Task Samples_added_from_many_threads_across_chunks_are_all_summarised()
    {
        var samples = new LatencySamples();
        const int PerThread = 50_000; // 4 × 50,000 crosses three 65,536-sample chunks

        await Task.WhenAll(Enumerable.Range(0, 4).Select(thread => Task.Run(() =>
        {
            for (var i = 1; i <= PerThread; i++)
            {
                samples.Add(i);
            }
        })));

        var summary = samples.Summarise();
        Assert.Equal(4 * PerThread, summary.Count);
        Assert.Equal(PerThread, summary.Max);
        Assert.Equal((PerThread + 1) / 2.0, summary.Mean, precision: 6);
        Assert.Equal(PerThread / 2, summary.P50);
    }

    [Fact]
    public void An_update_read_twice_gives_the_same_id_instances_and_every_count()
    {
        var record = Encoding.UTF8.GetBytes(
            """{"type":1,"target":"Update","arguments":[{"eventCode":"bms22","seq":7,"type":"pollResults","serverTime":"2026-12-04T10:00:00+00:00","data":{"pollId":"p_1","results":{"total":3,"counts":{"c_a":2,"c_\u00e9":1},"words":[],"byOrigin":{}}}}]}""");

        var first = WireUpdate.TryRead(record)!;
        var second = WireUpdate.TryRead(record)!;

        Assert.Equal("pollResults", first.Type);
        Assert.Same(first.PollId, second.PollId);
        var results = second.Results!.Value;
        Assert.Equal(3, results.Total);
        Assert.Equal(2, results.Counts["c_a"]);
        Assert.Equal(1, results.Counts["c_é"]); // an escaped id is read, not interned
    }

    [Theory]
    [InlineData("""{"type":3,"invocationId":"12","result":{"pollId":"p_1","choiceIds":["c_a"]}}""", "12", null, "p_1")]
    [InlineData("""{"type":3,"invocationId":"13","error":"poll_closed: The poll is closed."}""", "13", "poll_closed: The poll is closed.", null)]
    [InlineData("""{"type":3,"invocationId":"14"}""", "14", null, null)]
    public void A_completion_is_routed_by_its_id_and_its_result_read_on_demand(string json, string id, string? error, string? pollId)
    {
        var record = Encoding.UTF8.GetBytes(json);

        var (invocationId, readError) = CompletionRecord.Read(record);
        var completion = readError is null ? Completion.Of(record) : Completion.Failed(readError);

        Assert.Equal(id, invocationId);
        Assert.Equal(error, completion.Error);
        Assert.Equal(error is null, completion.Succeeded);
        Assert.Equal(pollId, completion.Result?.GetProperty("pollId").GetString());
    }
}
