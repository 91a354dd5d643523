using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveSession.Server.Tests.Infrastructure;

namespace LiveSession.Server.Tests.Api;

/// <summary><c>POST /api/events/{code}/questions/{id}/reset-votes</c> on real Kestrel with real SignalR attendees.</summary>
public sealed class ResetVotesApiTests : LiveServerTest
{
    [Fact]
    public async Task Reset_votes_sets_the_count_to_zero_tells_the_room_audits_it_and_voters_may_vote_again()
    {
        await using var asker = await LiveClient.JoinAsync(Server);
        await using var watcher = await LiveClient.JoinAsync(Server);
        var voters = new List<LiveClient>();
        using var moderator = Server.CreateModeratorClient();
        var id = (await asker.AskAsync("Who counts the votes on biometric surveillance?")).QuestionId;
        await moderator.ApproveAsync(id);
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var voter = await LiveClient.JoinAsync(Server);
                voters.Add(voter);
                await voter.VoteAsync(id);
            }

            await watcher.WaitForUpdateAsync(_ => watcher.LastTally(id) == 3);

            var reset = await moderator.PostOkAsync($"/api/events/bms22/questions/{id}/reset-votes");

            Assert.Equal(0, reset.GetProperty("votes").GetInt32());
            Assert.Equal("approved", reset.GetProperty("status").GetString());
            await watcher.WaitForUpdateAsync(_ => watcher.LastTally(id) == 0, TimeSpan.FromSeconds(2));
            var stored = await moderator.GetFromJsonAsync<JsonElement>($"/api/events/bms22/questions/{id}").DefaultTimeout();
            Assert.Equal(0, stored.GetProperty("votes").GetInt32());
            Assert.Equal(reset.GetProperty("revision").GetInt32(), stored.GetProperty("revision").GetInt32());

            var audit = await moderator.GetFromJsonAsync<JsonElement>("/api/events/bms22/audit").DefaultTimeout();
            var entry = audit.EnumerateArray().First(e => e.GetProperty("action").GetString() == "reset-votes");
            Assert.Equal(id, entry.GetProperty("questionId").GetString());
            Assert.Contains("\"votes\":3", entry.GetProperty("before").GetString());
            Assert.Contains("\"votes\":0", entry.GetProperty("after").GetString());

            // The reset forgot who voted: the same attendee's vote counts again.
            var again = await voters[0].VoteAsync(id);
            Assert.Equal(1, again.GetProperty("votes").GetInt32());
        }
        finally
        {
            foreach (var voter in voters)
            {
                await voter.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Reset_votes_of_an_unknown_question_is_404_and_without_a_key_401_and_nothing_is_audited()
    {
        using var moderator = Server.CreateModeratorClient();
        using var anonymous = Server.CreateClient();

        using var unknown = await moderator.PostAsJsonAsync("/api/events/bms22/questions/ghost/reset-votes", new { }).DefaultTimeout();
        using var noKey = await anonymous.PostAsJsonAsync("/api/events/bms22/questions/ghost/reset-votes", new { }).DefaultTimeout();
        using var unknownEvent = await moderator.PostAsJsonAsync("/api/events/nope/questions/ghost/reset-votes", new { }).DefaultTimeout();

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("not_found", (await unknown.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.True(unknownEvent.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"{unknownEvent.StatusCode}");
        var audit = await moderator.GetFromJsonAsync<JsonElement>("/api/events/bms22/audit").DefaultTimeout();
        Assert.DoesNotContain(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "reset-votes");
    }
}
