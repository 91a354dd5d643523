using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LiveSession.Server.Configuration;

public static class ConfigurationRegistration
{
    /// <summary>The <c>LiveSession</c> options (validated at start), the clock and the data folder.</summary>
    public static WebApplicationBuilder AddLiveSessionOptions(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LiveSessionOptions>()
            .BindConfiguration(LiveSessionOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DataFolder>();
        return builder;
    }
}
