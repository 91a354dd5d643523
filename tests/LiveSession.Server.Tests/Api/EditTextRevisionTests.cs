using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveSession.Server.Tests.Infrastructure;

namespace LiveSession.Server.Tests.Api;

/// <summary><c>PUT …/questions/{id}/text</c> with the revision the edit was made on, on real Kestrel.</summary>
public sealed class EditTextRevisionTests : LiveServerTest
{
    [Fact]
    public async Task An_edit_on_a_stale_revision_is_refused_with_conflict_and_the_other_edit_stays()
    {
        await using var asker = await LiveClient.JoinAsync(Server);
        using var moderator = Server.CreateModeratorClient();
        var id = (await asker.AskAsync("Who keeps the face database?")).QuestionId;
        var seen = (await moderator.GetFromJsonAsync<JsonElement>($"/api/events/bms22/questions/{id}").DefaultTimeout()).GetProperty("revision").GetInt32();

        var first = await moderator.PutOkAsync($"/api/events/bms22/questions/{id}/text", new { text = "Who keeps the police's face database?", revision = seen });
        using var second = await moderator.PutAsJsonAsync($"/api/events/bms22/questions/{id}/text", new { text = "Who runs the face database?", revision = seen }).DefaultTimeout();

        Assert.Equal(seen + 1, first.GetProperty("revision").GetInt32());
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("conflict", (await second.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout()).GetProperty("code").GetString());
        var stored = await moderator.GetFromJsonAsync<JsonElement>($"/api/events/bms22/questions/{id}").DefaultTimeout();
        Assert.Equal("Who keeps the police's face database?", stored.GetProperty("text").GetString());
        var edits = (await moderator.GetFromJsonAsync<JsonElement>("/api/events/bms22/audit").DefaultTimeout())
            .EnumerateArray().Count(e => e.GetProperty("action").GetString() == "edit");
        Assert.Equal(1, edits);

        // On the current revision (or without one, as before) the edit goes through.
        var again = await moderator.PutOkAsync($"/api/events/bms22/questions/{id}/text", new { text = "Who runs the face database?", revision = seen + 1 });
        Assert.Equal("Who runs the face database?", again.GetProperty("text").GetString());
    }
}
