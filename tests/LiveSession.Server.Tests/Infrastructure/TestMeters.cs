using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace LiveSession.Server.Tests.Infrastructure;

/// <summary>The meter factory for parts built without an app (a store and its circuit on their own).</summary>
public static class TestMeters
{
    public static IMeterFactory Factory { get; } =
        new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
}
