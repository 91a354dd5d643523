using LiveSession.Domain.Errors;
using LiveSession.Domain.Questions;

namespace LiveSession.Domain.Polls;

/// <summary>Limits for polls; the defaults are the documented contract.</summary>
public sealed record PollLimits(
    int MinQuestionLength = 3,
    int MaxQuestionLength = 300,
    int MinChoices = 2,
    int MaxChoices = 10,
    int MaxChoiceLength = 120,
    int MaxWordsPerAnswer = 3,
    int MaxWordLength = 40);

/// <summary>What a moderator writes: the question, the kind and the choices, validated and cleaned.</summary>
public sealed record PollDefinition(string Question, PollKind Kind, IReadOnlyList<PollChoice> Choices, int MaxChoices)
{
    /// <summary>
    /// Validates a moderator's input (refusals are <c>invalid_poll</c>). Choices get the ids c1…cN in
    /// order. <paramref name="maxChoices"/>: single polls take 1; multiple polls 1..N (default N);
    /// word clouds 1..3 words per answer (default 3).
    /// </summary>
    public static PollDefinition Create(string? question, string? kind, IReadOnlyList<string?>? choices, int? maxChoices, PollLimits limits)
    {
        var text = TextInput.Clean(question, allowLineBreaks: false);
        var length = TextInput.Length(text);
        if (length < limits.MinQuestionLength || length > limits.MaxQuestionLength || question!.Length > 4 * limits.MaxQuestionLength)
        {
            throw Invalid($"A poll question needs {limits.MinQuestionLength}–{limits.MaxQuestionLength} characters.");
        }

        if (!PollWire.TryParseKind(kind, out var parsedKind))
        {
            throw Invalid("kind must be \"single\", \"multiple\" or \"words\".");
        }

        if (parsedKind == PollKind.Words)
        {
            if (choices is { Count: > 0 })
            {
                throw Invalid("A word cloud has no choices: attendees type their words.");
            }

            var words = maxChoices ?? limits.MaxWordsPerAnswer;
            return words < 1 || words > limits.MaxWordsPerAnswer
                ? throw Invalid($"maxChoices of a word cloud is the number of words per answer, 1–{limits.MaxWordsPerAnswer}.")
                : new PollDefinition(text, parsedKind, [], words);
        }

        if (choices is null || choices.Count < limits.MinChoices || choices.Count > limits.MaxChoices)
        {
            throw Invalid($"A poll needs {limits.MinChoices}–{limits.MaxChoices} choices.");
        }

        var cleaned = new List<PollChoice>(choices.Count);
        foreach (var choice in choices)
        {
            var choiceText = TextInput.Clean(choice, allowLineBreaks: false);
            var choiceLength = TextInput.Length(choiceText);
            if (choiceLength < 1 || choiceLength > limits.MaxChoiceLength || choice!.Length > 4 * limits.MaxChoiceLength)
            {
                throw Invalid($"Each choice needs 1–{limits.MaxChoiceLength} characters.");
            }

            if (cleaned.Any(c => WordForm.Normal(c.Text) == WordForm.Normal(choiceText)))
            {
                throw Invalid($"The choice \"{choiceText}\" is there twice.");
            }

            cleaned.Add(new PollChoice($"c{cleaned.Count + 1}", choiceText));
        }

        var max = parsedKind == PollKind.Single ? 1 : maxChoices ?? cleaned.Count;
        if (max < 1 || max > cleaned.Count || (parsedKind == PollKind.Single && maxChoices is not null and not 1))
        {
            throw Invalid(parsedKind == PollKind.Single
                ? "A single-choice poll takes exactly one choice (maxChoices 1)."
                : $"maxChoices must be 1–{cleaned.Count} (the number of choices).");
        }

        return new PollDefinition(text, parsedKind, cleaned, max);
    }

    private static LiveSessionException Invalid(string message) => new(ErrorCodes.InvalidPoll, message);
}
