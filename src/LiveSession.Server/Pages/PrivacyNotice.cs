using LiveSession.Domain.Events;
using LiveSession.Server.Configuration;
using LiveSession.Server.Questions;

namespace LiveSession.Server.Pages;

/// <summary>
/// What <c>/e/{code}/privacy</c> shows, from the event file and this node's configuration: who runs the
/// event, how to reach them, and the concrete moments retention and the Q&amp;A closing act on.
/// </summary>
/// <param name="PrivacyContactKind"><see cref="PrivacyContact.Email"/>, <see cref="PrivacyContact.Url"/>, or null without a contact.</param>
/// <param name="PurgeFrom">
/// The event's end plus <see cref="LiveSessionOptions.RetentionAfterEvent"/>: from then on each piece of
/// attendee data is purged once it is that old (the retention pass runs every hour).
/// </param>
/// <param name="QaClosesAt">The event's end plus <see cref="LiveSessionOptions.QaClosesAfterEvent"/>.</param>
/// <param name="QaClosesBySelf">False for an event created after <paramref name="QaClosesAt"/> (a replayed demo): nothing closes it by itself.</param>
public sealed record PrivacyNotice(
    string Code,
    string Title,
    string TimeZone,
    DateTimeOffset EndsAt,
    string? Organiser,
    string? PrivacyContact,
    string? PrivacyContactKind,
    string? LegalBasis,
    long RetentionSeconds,
    DateTimeOffset PurgeFrom,
    long QaClosesAfterSeconds,
    DateTimeOffset QaClosesAt,
    bool QaClosesBySelf)
{
    public static PrivacyNotice From(EventDefinition definition, LiveSessionOptions options)
    {
        var end = definition.EndsAt;
        var qaClosesAt = end + options.QaClosesAfterEvent;
        return new PrivacyNotice(
            definition.Code, definition.Title, definition.TimeZone, end,
            definition.Organiser, definition.PrivacyContact, Domain.Events.PrivacyContact.KindOf(definition.PrivacyContact), definition.LegalBasis,
            (long)options.RetentionAfterEvent.TotalSeconds, end + options.RetentionAfterEvent,
            (long)options.QaClosesAfterEvent.TotalSeconds, qaClosesAt,
            QaClosesBySelf: definition.CreatedAt is not { } created || created < qaClosesAt);
    }
}
