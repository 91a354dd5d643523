using System.Text.RegularExpressions;
using LiveSession.Server.Tests.Infrastructure;

namespace LiveSession.Server.Tests.Ecosystem;

/// <summary><c>/metrics</c> carries the .NET runtime's and the process's series, what the shipped Grafana dashboard plots.</summary>
public sealed class RuntimeMetricsTests
{
    private static readonly string[] RuntimeSeries =
    [
        "dotnet_gc_collections_total",
        "dotnet_gc_pause_time_seconds_total",
        "dotnet_gc_last_collection_heap_size_bytes",
        "dotnet_process_memory_working_set_bytes",
        "dotnet_thread_pool_thread_count_total",
        "dotnet_thread_pool_queue_length_total",
        "process_memory_usage_bytes",
        "process_cpu_time_seconds_total",
        "process_unix_file_descriptor_count",
    ];

    [Fact]
    public async Task Metrics_with_the_organiser_key_have_the_runtime_and_process_series()
    {
        await using var server = LiveServer.Start();
        using var scraper = server.CreateClient(LiveServer.OrganiserKey);

        var text = await scraper.GetStringAsync("/metrics").DefaultTimeout();

        var missing = RuntimeSeries.Where(series => !Regex.IsMatch(text, $@"(?m)^{series}[{{ ]")).ToList();
        Assert.Empty(missing);
    }
}
