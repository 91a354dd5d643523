namespace LiveSession.Server.Api;

public static class ProblemDetailsRegistration
{
    /// <summary>ProblemDetails for every refusal, with the same stable codes as the hub.</summary>
    public static IServiceCollection AddLiveProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return services;
    }
}
