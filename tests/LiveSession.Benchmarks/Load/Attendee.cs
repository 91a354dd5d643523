using System.Text.Json;
using LiveSession.Benchmarks.Wire;

namespace LiveSession.Benchmarks.Load;

/// <summary>
/// A simulated attendee (or room screen): one hub connection that has joined the event. When its
/// connection is lost it is marked so; the <see cref="Crowd"/> decides whether it reconnects.
/// </summary>
public sealed class Attendee(int index, string role)
{
    public int Index { get; } = index;

    /// <summary><c>attendee</c> or <c>screen</c>.</summary>
    public string Role { get; } = role;

    public HubWireClient? Connection { get; private set; }

    public string? Token { get; private set; }

    public long JoinedSeq { get; private set; }

    /// <summary>Which of the crowd's hub URLs this attendee uses now (changes when it fails over).</summary>
    public int UrlIndex { get; set; }

    public DateTimeOffset? LostAt { get; set; }

    public bool IsConnected => Connection is { IsOpen: true };

    public async Task JoinAsync(HubWireClient connection, string eventCode, string? displayKey = null)
    {
        Connection = connection;
        var joined = Role == "screen" && displayKey is not null
            ? await connection.InvokeAsync("JoinDisplay", eventCode, displayKey)
            : await connection.InvokeAsync("Join", eventCode, Token, Role == "screen" ? "screen" : "remote");
        if (!joined.Succeeded)
        {
            throw new InvalidOperationException($"Join refused: {joined.Error}");
        }

        if (joined.Result is { ValueKind: JsonValueKind.Object } snapshot)
        {
            Token = snapshot.TryGetProperty("attendeeToken", out var token) ? token.GetString() : Token;
            JoinedSeq = snapshot.TryGetProperty("seq", out var seq) ? seq.GetInt64() : 0;
        }
    }

    public Task<Completion> InvokeAsync(string target, params string?[] arguments) =>
        Connection?.InvokeAsync(target, arguments) ?? Task.FromResult(Completion.Failed("not connected"));

    public Task<Completion> InvokeWithObjectAsync(string target, object argument) =>
        Connection?.InvokeWithObjectAsync(target, argument) ?? Task.FromResult(Completion.Failed("not connected"));

    public Task<Completion> InvokeWithArgumentsAsync(string target, params object?[] arguments) =>
        Connection?.InvokeWithArgumentsAsync(target, arguments) ?? Task.FromResult(Completion.Failed("not connected"));
}
