using LiveSession.Domain.Errors;

namespace LiveSession.Domain.Questions;

public enum QuestionAction
{
    Approve,
    Reject,
    Answer,
    Restore,
    Withdraw,
    Merge,
    Edit,
    Screen,
}

/// <summary>The moderation state machine as one table: which action is allowed from which status.</summary>
public static class QuestionWorkflow
{
    private static readonly Dictionary<QuestionAction, QuestionStatus[]> AllowedFrom = new()
    {
        [QuestionAction.Approve] = [QuestionStatus.Pending, QuestionStatus.Rejected],
        [QuestionAction.Reject] = [QuestionStatus.Pending, QuestionStatus.Approved],
        [QuestionAction.Answer] = [QuestionStatus.Approved],
        [QuestionAction.Restore] = [QuestionStatus.Rejected, QuestionStatus.Answered],
        [QuestionAction.Withdraw] = [QuestionStatus.Pending],
        [QuestionAction.Merge] = [QuestionStatus.Pending, QuestionStatus.Approved],
        [QuestionAction.Edit] = [QuestionStatus.Pending, QuestionStatus.Approved, QuestionStatus.Answered],
        [QuestionAction.Screen] = [QuestionStatus.Approved, QuestionStatus.Answered],
    };

    public static bool IsAllowed(QuestionAction action, QuestionStatus from) => AllowedFrom[action].Contains(from);

    public static bool CanBeMergeTarget(QuestionStatus status) =>
        status is QuestionStatus.Pending or QuestionStatus.Approved or QuestionStatus.Answered;

    public static void EnsureAllowed(QuestionAction action, QuestionStatus from)
    {
        if (!IsAllowed(action, from))
        {
            throw LiveSessionException.InvalidState(
                $"Cannot {action.ToString().ToLowerInvariant()} a question that is {from.ToWire()}.");
        }
    }

    public static string ToWire(this QuestionStatus status) => status.ToString().ToLowerInvariant();

    public static string ToWire(this QuestionOrigin origin) => origin.ToString().ToLowerInvariant();

    public static bool TryParseStatus(string? value, out QuestionStatus status) =>
        Enum.TryParse(value, ignoreCase: true, out status) && Enum.IsDefined(status) && !int.TryParse(value, out _);

    public static bool TryParseOrigin(string? value, out QuestionOrigin origin) =>
        Enum.TryParse(value, ignoreCase: true, out origin) && Enum.IsDefined(origin) && !int.TryParse(value, out _);
}
