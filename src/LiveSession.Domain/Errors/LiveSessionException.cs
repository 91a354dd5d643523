namespace LiveSession.Domain.Errors;

/// <summary>
/// A refusal with a stable, documented code. Hubs turn it into a HubException
/// ("code: message"), the HTTP API into ProblemDetails with the same code.
/// </summary>
public sealed class LiveSessionException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;

    public static LiveSessionException NotFound(string what) => new(ErrorCodes.NotFound, $"{what} was not found.");

    public static LiveSessionException InvalidState(string message) => new(ErrorCodes.InvalidState, message);

    public static LiveSessionException Invalid(string message) => new(ErrorCodes.InvalidInput, message);
}
