using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace LiveSession.Browser.Tests.Infrastructure;

/// <summary>axe-core as every page test uses it: no serious or critical violation, each one named in the failure.</summary>
internal static class AxeChecks
{
    public static async Task AssertNoSeriousViolationsAsync(this IPage page, string? what = null) =>
        AssertNoSeriousViolations(await page.RunAxe().WaitAsync(TimeSpan.FromSeconds(30)), what ?? page.Url);

    public static void AssertNoSeriousViolations(AxeResult result, string what)
    {
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} — {string.Join(", ", v.Nodes.Select(n => n.Html))}")
            .ToList();
        Assert.True(serious.Count == 0, $"{what}:\n{string.Join("\n", serious)}");
    }
}
