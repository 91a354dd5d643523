using System.Net.Http.Json;
using System.Text.Json;
using LiveSession.Server.Live;
using LiveSession.Server.Polls;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveSession.Server.Tests.Polls;

/// <summary>Poll calls as clients make them: the moderator API over HTTP, <c>PollAnswer</c> over the hub.</summary>
internal static class PollClients
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static async Task<PollDto> CreatePollAsync(this HttpClient moderator, object body, string eventCode = "bms22")
    {
        using var response = await moderator.PostAsJsonAsync($"/api/events/{eventCode}/polls", body).DefaultTimeout();
        var text = await response.Content.ReadAsStringAsync().DefaultTimeout();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"POST polls → {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<PollDto>(text, Web)!;
    }

    public static async Task<PollDto> PollActionAsync(this HttpClient moderator, string pollId, string action, string eventCode = "bms22") =>
        (await moderator.PostOkAsync($"/api/events/{eventCode}/polls/{pollId}/{action}")).Deserialize<PollDto>(Web)!;

    public static async Task<PollDto> GetPollAsync(this HttpClient moderator, string pollId, string eventCode = "bms22") =>
        (await moderator.GetFromJsonAsync<PollDto>($"/api/events/{eventCode}/polls/{pollId}", Web).DefaultTimeout())!;

    public static Task<PollAnswerDto> AnswerAsync(this LiveClient client, string pollId, string[]? choiceIds = null, string[]? words = null) =>
        client.Connection.InvokeAsync<PollAnswerDto>("PollAnswer", pollId, new { choiceIds, words }).DefaultTimeout();

    /// <summary>The last results this client heard for the poll, from a <c>poll</c> or a <c>pollResults</c> update.</summary>
    public static PollResultsDto? LastResults(this LiveClient client, string pollId) =>
        client.Updates
            .Select(u => u.Type switch
            {
                UpdateTypes.PollResults when ((JsonElement)u.Data!).GetProperty("pollId").GetString() == pollId =>
                    ((JsonElement)u.Data!).GetProperty("results").Deserialize<PollResultsDto>(Web),
                UpdateTypes.Poll when ((JsonElement)u.Data!).GetProperty("id").GetString() == pollId =>
                    ((JsonElement)u.Data!).Deserialize<PollDto>(Web)!.Results,
                _ => null,
            })
            .LastOrDefault(r => r is not null);

    public static async Task<PollResultsDto> WaitForResultsAsync(this LiveClient client, string pollId, Func<PollResultsDto, bool> done)
    {
        await client.WaitForUpdateAsync(_ => client.LastResults(pollId) is { } results && done(results));
        return client.LastResults(pollId)!;
    }
}
