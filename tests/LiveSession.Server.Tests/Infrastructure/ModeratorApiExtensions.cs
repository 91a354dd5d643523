using System.Net.Http.Json;
using System.Text.Json;
using LiveSession.Server.Live;

namespace LiveSession.Server.Tests.Infrastructure;

/// <summary>Small helpers over the moderator HTTP API as a client sees it (JSON in, JSON out).</summary>
public static class ModeratorApiExtensions
{
    public static async Task<JsonElement> PostOkAsync(this HttpClient client, string path, object? body = null)
    {
        using var response = await client.PostAsJsonAsync(path, body ?? new { }).DefaultTimeout();
        var json = await response.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout();
        Assert.True(response.IsSuccessStatusCode, $"POST {path} → {(int)response.StatusCode}: {json}");
        return json;
    }

    public static async Task<JsonElement> PutOkAsync(this HttpClient client, string path, object body)
    {
        using var response = await client.PutAsJsonAsync(path, body).DefaultTimeout();
        var json = await response.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout();
        Assert.True(response.IsSuccessStatusCode, $"PUT {path} → {(int)response.StatusCode}: {json}");
        return json;
    }

    public static Task<JsonElement> ApproveAsync(this HttpClient client, string questionId, string eventCode = "bms22") =>
        client.PostOkAsync($"/api/events/{eventCode}/questions/{questionId}/approve");

    public static async Task<List<ModeratorQuestionDto>> ListQuestionsAsync(this HttpClient client, string eventCode = "bms22", string? status = null)
    {
        var path = $"/api/events/{eventCode}/questions" + (status is null ? "" : $"?status={status}");
        return (await client.GetFromJsonAsync<List<ModeratorQuestionDto>>(path).DefaultTimeout())!;
    }
}
