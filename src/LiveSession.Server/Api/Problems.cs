using LiveSession.Domain.Errors;
using Microsoft.AspNetCore.Mvc;

namespace LiveSession.Server.Api;

/// <summary>Error codes to HTTP statuses, and the ProblemDetails body every refusal gets.</summary>
public static class Problems
{
    public static int StatusFor(string code) => code switch
    {
        ErrorCodes.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorCodes.Forbidden or ErrorCodes.DisplayKeyRequired or ErrorCodes.DisplayKeyInvalid => StatusCodes.Status403Forbidden,
        ErrorCodes.NotFound or ErrorCodes.EventNotFound => StatusCodes.Status404NotFound,
        ErrorCodes.InvalidState or ErrorCodes.EndOfAgenda or ErrorCodes.Conflict or ErrorCodes.EventExists
            or ErrorCodes.QaClosed or ErrorCodes.NotVotable or ErrorCodes.PollClosed => StatusCodes.Status409Conflict,
        ErrorCodes.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorCodes.RateLimited => StatusCodes.Status429TooManyRequests,
        ErrorCodes.Unavailable or ErrorCodes.OutcomeUnknown or ErrorCodes.TooManyConnections => StatusCodes.Status503ServiceUnavailable,
        ErrorCodes.Internal => StatusCodes.Status500InternalServerError,
        _ => StatusCodes.Status400BadRequest,
    };

    public static ProblemDetails For(LiveSessionException exception) => new()
    {
        Status = StatusFor(exception.Code),
        Title = exception.Code,
        Detail = exception.Message,
        Type = $"https://livesession.invalid/errors/{exception.Code}",
        Extensions = { ["code"] = exception.Code },
    };

    public static async Task WriteAsync(HttpContext context, LiveSessionException exception, IDictionary<string, object?>? extensions = null)
    {
        var problem = For(exception);
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }

        context.Response.StatusCode = problem.Status!.Value;
        var service = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await service.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}
