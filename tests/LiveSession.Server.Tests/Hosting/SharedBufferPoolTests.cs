using LiveSession.Server.Hosting;
using LiveSession.Server.Tests.Infrastructure;

namespace LiveSession.Server.Tests.Hosting;

public sealed class SharedBufferPoolTests
{
    [Fact]
    public async Task The_node_enlarges_the_shared_buffer_pool_unless_the_operator_set_it()
    {
        var before = Environment.GetEnvironmentVariable(SharedBufferPool.ArraysPerCoreVariable);

        await using var server = LiveServer.Start();

        Assert.Equal(
            string.IsNullOrEmpty(before) ? SharedBufferPool.ArraysPerCore.ToString(System.Globalization.CultureInfo.InvariantCulture) : before,
            Environment.GetEnvironmentVariable(SharedBufferPool.ArraysPerCoreVariable));
    }
}
