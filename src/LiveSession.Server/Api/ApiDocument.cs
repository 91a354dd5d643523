using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace LiveSession.Server.Api;

/// <summary>
/// <c>GET /openapi/v1.json</c>: the OpenAPI document of the HTTP API under <c>/api</c> (pages, hub and
/// console are not in it), with the bearer scheme every route needs and the ProblemDetails every
/// refusal gets (docs/protocol.md has the codes).
/// </summary>
public static class ApiDocument
{
    public const string DocumentPath = "/openapi/v1.json";
    private const string Bearer = "bearer";
    private const string Problem = "ProblemDetails";

    /// <summary>What any route may answer besides success; the stable <c>code</c> says which refusal it is.</summary>
    private static readonly (int Status, string Description)[] Refusals =
    [
        (StatusCodes.Status400BadRequest, "invalid input (invalid_input, invalid_agenda with file, line and field, …)"),
        (StatusCodes.Status401Unauthorized, "missing or wrong key (unauthorized)"),
        (StatusCodes.Status403Forbidden, "a key for another event (forbidden)"),
        (StatusCodes.Status404NotFound, "unknown event or id (event_not_found, not_found)"),
        (StatusCodes.Status409Conflict, "a transition the state machine refuses (invalid_state, end_of_agenda, conflict, event_exists, …)"),
        (StatusCodes.Status503ServiceUnavailable, "the store is unreachable: nothing was changed (unavailable)"),
    ];

    public static IServiceCollection AddApiDocument(this IServiceCollection services) => services.AddOpenApi(options =>
    {
        options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "LiveSession HTTP API",
                Version = "v1",
                Description = "Moderator and organiser routes (docs/protocol.md). Every refusal is application/problem+json with a stable `code`.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "The event's moderator key (one event) or the organiser key (every event, and the organiser routes).",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var document = context.Document!;
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, document)] = [] });
            document.Components ??= new OpenApiComponents();
            document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
            if (!document.Components.Schemas.ContainsKey(Problem))
            {
                document.Components.Schemas[Problem] = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), cancellationToken: cancellationToken);
            }

            operation.Responses ??= new OpenApiResponses();
            foreach (var (status, description) in Refusals)
            {
                operation.Responses.TryAdd(status.ToString(System.Globalization.CultureInfo.InvariantCulture), new OpenApiResponse
                {
                    Description = description,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(Problem, document) },
                    },
                });
            }
        });
    });

    public static IEndpointRouteBuilder MapApiDocument(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(DocumentPath);
        return app;
    }
}
