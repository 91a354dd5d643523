using System.Globalization;
using System.Text;
using LiveSession.Domain.Errors;

namespace LiveSession.Domain.Questions;

/// <summary>Length limits for what attendees type, counted in user-perceived characters.</summary>
public sealed record QuestionLimits(int MinQuestionLength = 3, int MaxQuestionLength = 500, int MaxAuthorNameLength = 60);

/// <summary>
/// Cleans what attendees type before anything looks at it: no control characters, no zero-width
/// or bidi-override characters, runs of spaces folded, trimmed, NFC.
/// </summary>
public static class TextInput
{
    public static string Clean(string? raw, bool allowLineBreaks)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(raw.Length);
        var pendingSpace = false;
        var pendingBreaks = 0;
        foreach (var rune in raw.EnumerateRunes())
        {
            if (allowLineBreaks && rune.Value == '\n')
            {
                pendingBreaks++;
                pendingSpace = false;
                continue;
            }

            if (Rune.IsWhiteSpace(rune) || rune.Value is '\r' or '\t')
            {
                pendingSpace = true;
                continue;
            }

            if (IsInvisible(rune))
            {
                continue;
            }

            if (builder.Length > 0)
            {
                if (pendingBreaks > 0)
                {
                    builder.Append(pendingBreaks > 1 ? "\n\n" : "\n");
                }
                else if (pendingSpace)
                {
                    builder.Append(' ');
                }
            }

            pendingSpace = false;
            pendingBreaks = 0;
            builder.Append(rune.ToString());
        }

        // Normalised last: removing a character can bring a letter and its combining mark together,
        // and the runes are valid by now (a lone surrogate became U+FFFD), which Normalize requires.
        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    public static int Length(string text) => new StringInfo(text).LengthInTextElements;

    public static string CleanQuestion(string? raw, QuestionLimits limits)
    {
        var text = Clean(raw, allowLineBreaks: true);
        var length = Length(text);
        if (length < limits.MinQuestionLength)
        {
            throw new LiveSessionException(ErrorCodes.QuestionTooShort,
                $"A question needs at least {limits.MinQuestionLength} characters.");
        }

        if (length > limits.MaxQuestionLength)
        {
            throw new LiveSessionException(ErrorCodes.QuestionTooLong,
                $"A question may have at most {limits.MaxQuestionLength} characters (this one has {length}).");
        }

        return text;
    }

    /// <summary>An optional name: empty after cleaning means anonymous.</summary>
    public static string? CleanAuthorName(string? raw, QuestionLimits limits)
    {
        var name = Clean(raw, allowLineBreaks: false);
        if (name.Length == 0)
        {
            return null;
        }

        return Length(name) <= limits.MaxAuthorNameLength
            ? name
            : throw new LiveSessionException(ErrorCodes.NameTooLong,
                $"A name may have at most {limits.MaxAuthorNameLength} characters.");
    }

    /// <summary>Control characters, zero-width characters, bidi controls and other invisible formatting.</summary>
    private static bool IsInvisible(Rune rune)
    {
        var category = Rune.GetUnicodeCategory(rune);
        return category is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
            || rune.Value is 0x034F or 0x115F or 0x1160 or 0x3164 or 0xFFA0; // joiner and Hangul fillers: invisible too
    }
}
