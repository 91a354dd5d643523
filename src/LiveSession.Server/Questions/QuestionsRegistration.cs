namespace LiveSession.Server.Questions;

public static class QuestionsRegistration
{
    /// <summary>Questions and votes, the audit log of what moderators did, and the purge of attendee data after the event.</summary>
    public static IServiceCollection AddQuestions(this IServiceCollection services) => services
        .AddSingleton<QuestionService>()
        .AddSingleton<AuditLog>()
        .AddSingleton<AttendeeDataPurge>()
        .AddHostedService<RetentionService>();
}
