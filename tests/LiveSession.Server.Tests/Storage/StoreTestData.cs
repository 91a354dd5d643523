using LiveSession.Domain.Events;
using LiveSession.Domain.Questions;

namespace LiveSession.Server.Tests.Storage;

/// <summary>A small event and its questions for the store tests.</summary>
internal static class StoreTestData
{
    /// <summary>An instant with sub-millisecond ticks and a non-UTC offset: a store must keep both.</summary>
    public static readonly DateTimeOffset Start =
        new DateTimeOffset(2022, 11, 8, 17, 15, 0, TimeSpan.FromHours(1)).AddTicks(1_234_567);

    public static EventDefinition Event(string code) => new(
        code,
        "Biometric mass surveillance: what the AI Act must ban",
        "European Parliament, Brussels",
        "SPAAK 6B1",
        "Europe/Brussels",
        Start,
        "A hybrid event with MEPs and civil society.",
        "hybrid",
        [
            new AgendaSlot("opening", "Opening", "talk", Start, Start.AddMinutes(10),
                [new Speaker("chair", "Ana Chair", "Group of the Greens/EFA")]),
            new AgendaSlot("panel", "Panel", "panel", Start.AddMinutes(10), Start.AddMinutes(50),
                [new Speaker("ngo", "Ben Speaker", "EDRi"), new Speaker("mep", "Cleo Member", null)],
                SpeakingSeconds: 420, Note: "Seven minutes each"),
            new AgendaSlot("qa", "Questions from the room and online", "qa", Start.AddMinutes(50), Start.AddMinutes(75), []),
        ],
        CreatedAt: Start.AddDays(-7).AddTicks(89),
        Organiser: "Digital Rights Coalition & co-hosting MEPs",
        PrivacyContact: "https://example.org/privacy?lang=en",
        LegalBasis: "Consent (GDPR Art. 6(1)(a)).\nWithdraw any time.");

    public static Question Ask(string eventCode, string id, string askerId, int minute = 0) =>
        Question.Ask(id, eventCode, $"What about question {id}?", "Dana", null, QuestionOrigin.Remote, askerId,
            Start.AddMinutes(minute));
}
