using System.Net.Http.Json;
using System.Text.Json;
using LiveSession.Browser.Tests.Infrastructure;
using LiveSession.Server.Tests;
using LiveSession.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace LiveSession.Browser.Tests.ModeratorConsole;

/// <summary>Two moderators, each with a name, editing one question in two Chromium consoles on the real server.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleEditConflictTests(BrowserFixture browser)
{
    private const string AnnasText = "Who keeps the police's face database, and who audits it?";
    private const string BensText = "Which authority runs the face database used by the police?";

    [Fact]
    public async Task The_second_save_is_told_of_the_first_nothing_is_overwritten_and_the_audit_names_both()
    {
        SetDefaultExpectTimeout(ConsoleBrowser.TimeoutMs);
        await using var server = LiveServer.Start();
        await using var asker = await LiveClient.JoinAsync(server);
        var id = (await asker.AskAsync("who keeps face database??")).QuestionId;
        var (annasContext, foreign) = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        await using var _ = annasContext;
        var (bensContext, _) = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        await using var __ = bensContext;
        var anna = await ConsoleBrowser.OpenConsoleAsync(annasContext, server, server.ModeratorKey, moderatorName: "Anna");
        var ben = await ConsoleBrowser.OpenConsoleAsync(bensContext, server, server.ModeratorKey, moderatorName: "Ben");
        await Expect(anna.Locator("[data-actor]")).ToHaveTextAsync("moderators (Anna)");
        await Expect(ben.Locator("[data-actor]")).ToHaveTextAsync("moderators (Ben)");

        // Both open the editor on the same revision and type their own wording.
        var annasRow = anna.Question(id);
        var bensRow = ben.Question(id);
        await annasRow.Locator("[data-action=edit]").ClickAsync();
        await bensRow.Locator("[data-action=edit]").ClickAsync();
        await annasRow.Locator("textarea").FillAsync(AnnasText);
        await bensRow.Locator("textarea").FillAsync(BensText);
        await annasRow.Locator("[data-action=save]").ClickAsync();
        await Expect(annasRow.Locator(".text-body")).ToHaveTextAsync(AnnasText);

        await bensRow.Locator("[data-action=save]").ClickAsync();

        var conflict = bensRow.Locator("[data-edit-conflict]");
        await Expect(conflict).ToContainTextAsync("moderators (Anna) changed this question while you were editing");
        await Expect(conflict.Locator("[data-their-text]")).ToHaveTextAsync(AnnasText);
        await Expect(bensRow.Locator("textarea")).ToHaveValueAsync(BensText);
        await ben.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "console-edit-conflict.png"), FullPage = true });
        using var api = server.CreateModeratorClient();
        Assert.Equal(AnnasText, (await QuestionAsync(api, id)).GetProperty("text").GetString());

        // Ben has now seen Anna's version: a second Save knowingly replaces it; Anna's stays in the audit.
        await bensRow.Locator("[data-action=save]").ClickAsync();
        await Expect(bensRow.Locator(".text-body")).ToHaveTextAsync(BensText);
        await Expect(annasRow.Locator(".text-body")).ToHaveTextAsync(BensText);

        var edits = (await api.GetFromJsonAsync<JsonElement>("/api/events/bms22/audit").DefaultTimeout()).EnumerateArray()
            .Where(e => e.GetProperty("action").GetString() == "edit")
            .Select(e => (Actor: e.GetProperty("actor").GetString(), After: e.GetProperty("after").GetString()!))
            .Reverse()
            .ToList();
        Assert.Equal(["moderators (Anna)", "moderators (Ben)"], edits.Select(e => e.Actor));
        Assert.Contains(JsonEncoded(AnnasText), edits[0].After);
        Assert.Contains(JsonEncoded(BensText), edits[1].After);
        await Expect(anna.Locator(".audit tr[data-action=edit] .actor")).ToHaveTextAsync(["moderators (Ben)", "moderators (Anna)"]);
        Assert.Empty(foreign);
    }

    private static async Task<JsonElement> QuestionAsync(HttpClient api, string id) =>
        await api.GetFromJsonAsync<JsonElement>($"/api/events/bms22/questions/{id}").DefaultTimeout();

    /// <summary>The text as the audit's JSON holds it (the apostrophe is escaped there).</summary>
    private static string JsonEncoded(string text) => JsonSerializer.Serialize(text, new JsonSerializerOptions(JsonSerializerDefaults.Web))[1..^1];
}
