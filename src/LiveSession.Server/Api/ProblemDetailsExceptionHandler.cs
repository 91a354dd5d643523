using System.Text.Json;
using LiveSession.Domain.Errors;
using LiveSession.Domain.Events;
using Microsoft.AspNetCore.Diagnostics;

namespace LiveSession.Server.Api;

/// <summary>Maps every known refusal to ProblemDetails with its stable code; the rest is a logged 500.</summary>
public sealed class ProblemDetailsExceptionHandler(ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case LiveSessionException refused:
                await Problems.WriteAsync(httpContext, refused);
                return true;
            case AgendaFileException agenda:
                await Problems.WriteAsync(httpContext, new LiveSessionException(ErrorCodes.InvalidAgenda, agenda.Message),
                    new Dictionary<string, object?> { ["file"] = agenda.SourceName, ["line"] = agenda.Line, ["field"] = agenda.Field });
                return true;
            case BadHttpRequestException badRequest:
                await Problems.WriteAsync(httpContext, badRequest.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? new LiveSessionException(ErrorCodes.PayloadTooLarge, "The body is too large.")
                    : new LiveSessionException(ErrorCodes.InvalidInput, Describe(badRequest)));
                return true;
            case JsonException:
                await Problems.WriteAsync(httpContext, new LiveSessionException(ErrorCodes.InvalidInput, "The body is not valid JSON."));
                return true;
            default:
                logger.LogError(exception, "Request {Method} {Path} failed", httpContext.Request.Method, httpContext.Request.Path);
                await Problems.WriteAsync(httpContext, new LiveSessionException(ErrorCodes.Internal, "Something went wrong on the server."));
                return true;
        }
    }

    private static string Describe(BadHttpRequestException exception) =>
        exception.InnerException is JsonException
            ? "The body is not valid JSON of the expected shape."
            : "The request is malformed: " + exception.Message;
}
