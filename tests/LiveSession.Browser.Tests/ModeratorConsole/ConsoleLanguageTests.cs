using Deque.AxeCore.Playwright;
using LiveSession.Browser.Tests.Infrastructure;
using LiveSession.Server.Tests;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveSession.Browser.Tests.ModeratorConsole;

/// <summary>
/// The login page, the console and its reconnect dialog in the browser's language (Accept-Language from
/// Chromium's locale), each checked by axe; the switch changes the language and remembers it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleLanguageTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("en-GB", "en", "Moderator key or organiser key", "Approve", "Incoming", "Next speaker ▶", "Connection to the server lost. Reconnecting…")]
    [InlineData("fr-FR", "fr", "Clé de modération ou clé d’organisation", "Approuver", "Reçues", "Intervenant suivant ▶", "Connexion au serveur perdue. Reconnexion…")]
    [InlineData("de-DE", "de", "Moderations- oder Veranstalterschlüssel", "Freigeben", "Eingang", "Nächste Rede ▶", "Verbindung zum Server unterbrochen. Verbinde neu…")]
    public async Task The_login_page_console_and_reconnect_dialog_speak_the_browsers_language_and_pass_axe(
        string locale, string language, string keyLabel, string approve, string incoming, string nextSpeaker, string reconnecting)
    {
        SetDefaultExpectTimeout(ConsoleBrowser.TimeoutMs);
        await using var server = LiveServer.Start();
        await using var asker = await LiveClient.JoinAsync(server, origin: "room");
        var asked = await asker.AskAsync("Qui contrôle les caméras ? Wer kontrolliert die Kameras?", "Léa");
        var (context, foreign) = await browser.NewContextAsync(new() { Locale = locale, ViewportSize = new() { Width = 1280, Height = 900 } });
        await using var _ = context;

        var login = await ConsoleBrowser.NewPageAsync(context);
        await login.GotoAsync(ConsoleBrowser.Url(server, "/e/bms22/moderate/login"));
        await Expect(login.Locator("html")).ToHaveAttributeAsync("lang", language);
        await Expect(login.Locator("label[for=key]")).ToHaveTextAsync(keyLabel);
        await login.ScreenshotAsync(new() { Path = Shot($"console-login-{language}.png"), FullPage = true });
        AxeChecks.AssertNoSeriousViolations(await login.RunAxe(), "login page");

        var page = await ConsoleBrowser.OpenConsoleAsync(context, server, server.ModeratorKey, moderatorName: "Léa");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
        await Expect(page.Question(asked.QuestionId).Locator("[data-action=approve]")).ToHaveTextAsync(approve);
        await Expect(page.Locator("[data-view=incoming]")).ToContainTextAsync(incoming);
        await Expect(page.Locator("[data-action=next-speaker]")).ToHaveTextAsync(nextSpeaker);
        await Expect(page.Locator("[data-language=" + language + "]")).ToHaveAttributeAsync("aria-current", "true");
        await page.ScreenshotAsync(new() { Path = Shot($"console-{language}.png"), FullPage = true });
        AxeChecks.AssertNoSeriousViolations(await page.RunAxe(), "console");

        // The node goes away: Blazor shows our dialog, in the console's language.
        await server.StopAsync();
        var dialog = page.Locator("#components-reconnect-modal");
        await Expect(dialog).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("components-reconnect-(show|retrying|failed)"));
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.Locator(".reconnect-show-text")).ToHaveTextAsync(reconnecting);
        await page.ScreenshotAsync(new() { Path = Shot($"console-reconnect-{language}.png") });
        AxeChecks.AssertNoSeriousViolations(await page.RunAxe(), "reconnect dialog");
        Assert.Empty(foreign);
    }

    [Fact]
    public async Task The_language_switch_changes_the_console_and_is_remembered()
    {
        SetDefaultExpectTimeout(ConsoleBrowser.TimeoutMs);
        await using var server = LiveServer.Start();
        var (context, _) = await browser.NewContextAsync(new() { Locale = "en-GB" });
        await using var __ = context;
        var page = await ConsoleBrowser.OpenConsoleAsync(context, server, server.ModeratorKey);
        await Expect(page.Locator("[data-view=incoming]")).ToContainTextAsync("Incoming");

        var circuit = page.WaitForWebSocketAsync(new() { Predicate = ws => ws.Url.Contains("/_blazor"), Timeout = ConsoleBrowser.TimeoutMs });
        await page.ClickAsync("[data-language=de]");
        await circuit.WaitAsync(TaskTimeoutExtensions.Timeout);
        await Expect(page.Locator("[data-view=incoming]")).ToContainTextAsync("Eingang");

        await page.GotoAsync(ConsoleBrowser.Url(server, "/e/bms22/moderate/login"));
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "de");
    }

    private static string Shot(string name) => Path.Combine(BrowserFixture.ScreenshotDirectory, name);
}
