using System.Globalization;
using LiveSession.Domain.Errors;
using LiveSession.Domain.Questions;

namespace LiveSession.Domain.Polls;

/// <summary>
/// One attendee's answer to one poll, validated against the poll: choice ids in the poll's order,
/// or words cleaned like question text (each counted once per answer, by its normal form).
/// </summary>
public sealed record PollAnswer(IReadOnlyList<string> ChoiceIds, IReadOnlyList<string> Words)
{
    /// <summary>
    /// Checks the answer against <paramref name="poll"/>; refusals are <c>invalid_answer</c>. The poll's
    /// status is the store's to check, atomically with the write.
    /// </summary>
    public static PollAnswer Validate(Poll poll, IReadOnlyList<string?>? choiceIds, IReadOnlyList<string?>? words, PollLimits limits)
    {
        if (poll.Kind == PollKind.Words)
        {
            if (choiceIds is { Count: > 0 })
            {
                throw Invalid("This poll asks for words, not choices.");
            }

            if (words is null || words.Count < 1 || words.Count > poll.MaxChoices)
            {
                throw Invalid($"Send 1–{poll.MaxChoices} words.");
            }

            var cleaned = new List<string>(words.Count);
            foreach (var word in words)
            {
                var text = TextInput.Clean(word, allowLineBreaks: false);
                var length = TextInput.Length(text);
                if (length < 1 || length > limits.MaxWordLength || word!.Length > 4 * limits.MaxWordLength)
                {
                    throw Invalid($"Each word needs 1–{limits.MaxWordLength} characters.");
                }

                if (!cleaned.Any(w => WordForm.Normal(w) == WordForm.Normal(text)))
                {
                    cleaned.Add(text);
                }
            }

            return new PollAnswer([], cleaned);
        }

        if (words is { Count: > 0 })
        {
            throw Invalid("This poll asks for choices, not words.");
        }

        var max = poll.Kind == PollKind.Single ? 1 : poll.MaxChoices;
        if (choiceIds is null || choiceIds.Count < 1 || choiceIds.Count > max)
        {
            throw Invalid(max == 1 ? "Pick exactly one choice." : $"Pick 1–{max} choices.");
        }

        if (choiceIds.Distinct().Count() != choiceIds.Count || choiceIds.Any(id => poll.Choices.All(c => c.Id != id)))
        {
            throw Invalid("Pick each choice once, from this poll's choices.");
        }

        return new PollAnswer(poll.Choices.Select(c => c.Id).Where(choiceIds.Contains).ToList(), []);
    }

    private static LiveSessionException Invalid(string message) => new(ErrorCodes.InvalidAnswer, message);
}

/// <summary>Word variants count as one word: "Privacy", "privacy " and "PRIVACY" share a normal form.</summary>
public static class WordForm
{
    /// <summary>NFC, case-folded (invariant culture), trimmed, inner spaces folded by <see cref="TextInput.Clean"/>.</summary>
    public static string Normal(string word) =>
        TextInput.Clean(word, allowLineBreaks: false).ToLower(CultureInfo.InvariantCulture).Normalize(System.Text.NormalizationForm.FormC);
}
