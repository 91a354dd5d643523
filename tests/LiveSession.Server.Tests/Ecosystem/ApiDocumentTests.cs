using System.Net;
using System.Text.Json;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace LiveSession.Server.Tests.Ecosystem;

/// <summary><c>/openapi/v1.json</c> against the routes the app really maps, read back by OpenAPI.NET's reader.</summary>
public sealed class ApiDocumentTests
{
    [Fact]
    public async Task Every_api_route_is_in_the_document_and_nothing_else_is()
    {
        await using var server = LiveServer.Start();
        using var anonymous = server.CreateClient();
        var text = await anonymous.GetStringAsync("/openapi/v1.json").DefaultTimeout();
        var paths = JsonDocument.Parse(text).RootElement.GetProperty("paths");

        var routes = server.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => (Path: e.RoutePattern.RawText!.TrimEnd('/'), Method: m.ToLowerInvariant())))
            .ToList();
        Assert.True(routes.Count > 30, $"only {routes.Count} API routes found");
        var missing = routes.Where(r => !paths.TryGetProperty(r.Path, out var item) || !item.TryGetProperty(r.Method, out _)).ToList();
        Assert.True(missing.Count == 0, "not in the document: " + string.Join(", ", missing));
        var documented = paths.EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(o => (p.Name, o.Name))).Count();
        Assert.Equal(routes.Count, documented);
        Assert.All(paths.EnumerateObject(), p => Assert.StartsWith("/api/", p.Name));
    }

    [Fact]
    public async Task The_document_validates_with_the_bearer_scheme_problem_details_201s_and_the_agenda_body()
    {
        await using var server = LiveServer.Start();
        using var anonymous = server.CreateClient();
        using var response = await anonymous.GetAsync("/openapi/v1.json").DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync().DefaultTimeout();

        var read = OpenApiDocument.Parse(text, OpenApiConstants.Json, new OpenApiReaderSettings());
        Assert.True(read.Diagnostic!.Errors.Count == 0, string.Join("; ", read.Diagnostic.Errors.Select(e => $"{e.Pointer}: {e.Message}")));
        var document = read.Document!;
        var errors = document.Validate(ValidationRuleSet.GetDefaultRuleSet())!.ToList();
        Assert.True(errors.Count == 0, string.Join("; ", errors.Select(e => $"{e.Pointer}: {e.Message}")));

        var scheme = document.Components!.SecuritySchemes!["bearer"];
        Assert.Equal(SecuritySchemeType.Http, scheme.Type);
        Assert.Equal("bearer", scheme.Scheme);
        var createEvent = document.Paths["/api/events"].Operations![HttpMethod.Post];
        Assert.NotEmpty(createEvent.Security!);
        Assert.Contains("application/yaml", createEvent.RequestBody!.Content!.Keys);
        Assert.Contains("201", createEvent.Responses!.Keys);
        Assert.Contains("201", document.Paths["/api/events/{code}/polls"].Operations![HttpMethod.Post].Responses!.Keys);
        var approve = document.Paths["/api/events/{code}/questions/{id}/approve"].Operations![HttpMethod.Post];
        foreach (var status in new[] { "401", "403", "404", "409" })
        {
            Assert.Contains("application/problem+json", approve.Responses![status].Content!.Keys);
        }

        Assert.Contains("ProblemDetails", document.Components.Schemas!.Keys);
        Assert.DoesNotContain(document.Paths.Keys, p => p.StartsWith("/e/", StringComparison.Ordinal) || p.StartsWith("/hubs", StringComparison.Ordinal));
    }
}
