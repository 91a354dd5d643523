namespace LiveSession.Server.Abuse;

public static class AbuseRegistration
{
    /// <summary>The prices on new identities and queue places, counted per client address, and who may say what that address is.</summary>
    public static WebApplicationBuilder AddAdmissionBudgets(this WebApplicationBuilder builder)
    {
        builder.Services
            .AddSingleton<AdmissionBudgets>()
            .AddSingleton<NewIdentityRate>()
            .AddSingleton<RoomPass>();
        return builder.AddTrustedProxies();
    }
}
