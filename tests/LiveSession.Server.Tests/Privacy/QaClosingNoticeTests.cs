using System.Net.Http.Json;
using LiveSession.Server.Tests.Infrastructure;

namespace LiveSession.Server.Tests.Privacy;

/// <summary>The privacy page says that Q&amp;A closes by itself after the event, in every language it is served in.</summary>
public sealed class QaClosingNoticeTests
{
    [Fact]
    public async Task The_privacy_page_says_in_en_fr_and_de_that_questions_close_two_hours_after_the_event()
    {
        await using var server = LiveServer.Start();
        using var client = server.CreateClient();

        var page = await client.GetStringAsync("/privacy").DefaultTimeout();
        Assert.Contains("data-i18n=\"privacy.qaCloses\"", page);
        foreach (var (language, hours) in new[] { ("en", "2 hours"), ("fr", "2 heures"), ("de", "2 Stunden") })
        {
            var texts = await client.GetFromJsonAsync<Dictionary<string, string>>($"/i18n/{language}.json").DefaultTimeout();
            Assert.Contains(hours, texts!["privacy.qaCloses"]);
        }
    }
}
