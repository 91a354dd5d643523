using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveSession.Server.Live;
using LiveSession.Server.Tests.Infrastructure;

namespace LiveSession.Server.Tests.Agenda;

/// <summary>POST /agenda/end (DESIGN.md, "The end of an event"), over HTTP and as attendees receive it.</summary>
public sealed class EndOfEventTests : LiveServerTest
{
    [Fact]
    public async Task Ending_the_event_is_an_agenda_update_after_which_next_is_409_and_previous_slot_goes_back_to_the_last_slot()
    {
        await using var attendee = await LiveClient.JoinAsync(Server);
        var slots = attendee.Snapshot!.Agenda.Slots;
        await Moderator.PutOkAsync("/api/events/bms22/agenda/current", new { slotId = slots[1].Id });

        var ended = await Moderator.PostOkAsync("/api/events/bms22/agenda/end");

        Assert.True(ended.GetProperty("ended").GetBoolean());
        Assert.Equal(JsonValueKind.Null, ended.GetProperty("currentSlotId").ValueKind);
        var update = await attendee.WaitForUpdateAsync(u => u.Type == UpdateTypes.Agenda && ((JsonElement)u.Data!).GetProperty("ended").GetBoolean());
        Assert.True(update.Seq > attendee.Snapshot.Seq);
        var snapshot = await attendee.ResyncAsync();
        Assert.True(snapshot.Live.Ended);

        foreach (var path in new[] { "/api/events/bms22/agenda/next-slot", "/api/events/bms22/agenda/next-speaker" })
        {
            using var response = await Moderator.PostAsync(path, null).DefaultTimeout();
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Equal("end_of_agenda", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }

        var again = await Moderator.PostOkAsync("/api/events/bms22/agenda/end");
        Assert.Equal(ended.GetProperty("revision").GetInt32(), again.GetProperty("revision").GetInt32());

        var back = await Moderator.PostOkAsync("/api/events/bms22/agenda/previous-slot");
        Assert.False(back.GetProperty("ended").GetBoolean());
        Assert.Equal(slots[^1].Id, back.GetProperty("currentSlotId").GetString());

        var audit = await Moderator.GetFromJsonAsync<JsonElement>("/api/events/bms22/audit").DefaultTimeout();
        Assert.Contains(audit.EnumerateArray(), entry => entry.GetProperty("action").GetString() == "end");
    }

    [Fact]
    public async Task Ending_needs_the_moderator_key()
    {
        using var anonymous = Server.CreateClient();
        using var response = await anonymous.PostAsync("/api/events/bms22/agenda/end", null).DefaultTimeout();
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await using var attendee = await LiveClient.JoinAsync(Server);
        Assert.False(attendee.Snapshot!.Live.Ended);
    }
}
