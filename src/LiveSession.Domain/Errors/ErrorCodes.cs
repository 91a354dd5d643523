namespace LiveSession.Domain.Errors;

/// <summary>The stable error codes of the public protocol (docs/protocol.md lists each with its HTTP status).</summary>
public static class ErrorCodes
{
    public const string InvalidInput = "invalid_input";
    public const string PayloadTooLarge = "payload_too_large";
    public const string QuestionTooShort = "question_too_short";
    public const string QuestionTooLong = "question_too_long";
    public const string NameTooLong = "name_too_long";
    public const string TooManyMarks = "too_many_marks";
    public const string InvalidOrigin = "invalid_origin";
    public const string UnknownSpeaker = "unknown_speaker";
    public const string NotJoined = "not_joined";
    public const string NotFound = "not_found";
    public const string EventNotFound = "event_not_found";
    public const string EventExists = "event_exists";
    public const string InvalidAgenda = "invalid_agenda";
    public const string NotVotable = "not_votable";
    public const string QaClosed = "qa_closed";
    public const string InvalidState = "invalid_state";
    public const string EndOfAgenda = "end_of_agenda";
    public const string Conflict = "conflict";
    public const string RateLimited = "rate_limited";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";

    /// <summary>The console's login came over plain HTTP from another machine, where its Secure cookie would be dropped.</summary>
    public const string HttpsRequired = "https_required";
    public const string Unavailable = "unavailable";

    /// <summary>The store did not confirm a write it may have received: it may or may not have happened.</summary>
    public const string OutcomeUnknown = "outcome_unknown";
    public const string TooManyConnections = "too_many_connections";
    public const string InvalidPoll = "invalid_poll";
    public const string PollClosed = "poll_closed";
    public const string InvalidAnswer = "invalid_answer";
    /// <summary>A room screen or overlay joins with <c>JoinDisplay(eventCode, displayKey)</c>, never as <c>Join(…, "screen")</c> without a key.</summary>
    public const string DisplayKeyRequired = "display_key_required";

    /// <summary>The display key is not the event's current one (wrong, or rotated).</summary>
    public const string DisplayKeyInvalid = "display_key_invalid";
    public const string Internal = "internal_error";
}
