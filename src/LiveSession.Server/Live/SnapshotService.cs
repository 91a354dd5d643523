using LiveSession.Domain.Errors;
using LiveSession.Domain.Events;
using LiveSession.Domain.Questions;
using LiveSession.Server.Events;
using LiveSession.Server.Polls;
using LiveSession.Server.Storage;

namespace LiveSession.Server.Live;

/// <summary>
/// The full state a client starts from, or resyncs to: the definition from the catalog (parsed once),
/// the rest one consistent read of the store.
/// </summary>
public sealed class SnapshotService(EventCatalog events, ILiveStore store, PollService polls, TimeProvider time)
{
    public async Task<SnapshotDto> ForAttendeeAsync(
        string eventCode, string? attendeeId, string? attendeeToken, QuestionOrigin? origin, CancellationToken cancellationToken)
    {
        var definition = await events.GetDefinitionAsync(eventCode, cancellationToken);
        var view = await store.ReadAttendeeViewAsync(definition.Code, attendeeId, cancellationToken)
            ?? throw new LiveSessionException(ErrorCodes.EventNotFound, "There is no such event.");
        // Read after the view: a poll change racing this read is newer than the snapshot's seq, and
        // its update (applied by revision) then changes nothing.
        var (pollList, pollAnswers) = await polls.ForAttendeeAsync(definition.Code, attendeeId, cancellationToken);
        var mine = attendeeId is null
            ? []
            : view.Questions.Where(q => q.AskerId == attendeeId).Select(q => q.Id).ToList();
        return new SnapshotDto(
            definition.Code,
            view.Event.Seq,
            time.GetUtcNow(),
            EventDto.From(definition),
            AgendaDto.From(definition),
            LiveDto.From(view.Event.Live),
            view.Questions.Select(QuestionDto.From).ToList(),
            attendeeToken,
            new MineDto(mine, view.VotedQuestionIds, origin?.ToWire(), pollAnswers),
            pollList);
    }
}
