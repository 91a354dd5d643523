using System.Globalization;
using System.Text;
using LiveSession.Domain.Errors;

namespace LiveSession.Domain.Questions;

/// <summary>Length limits for what attendees type, counted in user-perceived characters.</summary>
public sealed record QuestionLimits(int MinQuestionLength = 3, int MaxQuestionLength = 500, int MaxAuthorNameLength = 60);

/// <summary>
/// Cleans what attendees type before anything looks at it: no control characters, no bidi controls
/// or invisible formatting, characters that render as blank treated as spaces, runs of spaces
/// folded, trimmed, NFC. Joiners stay where they join something (emoji sequences, Persian and Indic
/// spelling). Then the checks: a length in text elements and a raw bound in UTF-16 units, and no
/// character stacked with more marks than any script needs.
/// </summary>
public static class TextInput
{
    /// <summary>Combining marks one text element may carry: enough for Vietnamese, pointed Hebrew and Indic conjuncts; "Zalgo" has dozens.</summary>
    public const int MaxMarksPerCharacter = 4;

    /// <summary>A text may take this many UTF-16 units per allowed text element (an emoji family is 11 units, one text element).</summary>
    public const int RawUnitsPerCharacter = 4;

    private const int ZeroWidthNonJoiner = 0x200C;
    private const int ZeroWidthJoiner = 0x200D;
    private const int WavingBlackFlag = 0x1F3F4;

    public static string Clean(string? raw, bool allowLineBreaks)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(raw.Length);
        var pendingSpace = false;
        var pendingBreaks = 0;
        Rune? pendingJoiner = null;
        var last = default(Rune);
        foreach (var rune in raw.EnumerateRunes())
        {
            if (allowLineBreaks && rune.Value == '\n')
            {
                pendingBreaks++;
                pendingSpace = false;
                pendingJoiner = null;
                continue;
            }

            if (Rune.IsWhiteSpace(rune) || rune.Value is '\r' or '\t' || RendersBlank(rune))
            {
                pendingSpace = true;
                pendingJoiner = null;
                continue;
            }

            if (rune.Value is ZeroWidthJoiner or ZeroWidthNonJoiner)
            {
                // Kept only between two visible characters, so a joiner cannot pad or hide anything.
                pendingJoiner = builder.Length > 0 && !pendingSpace && pendingBreaks == 0 ? rune : null;
                continue;
            }

            if (IsTag(rune) && (last.Value == WavingBlackFlag || IsTag(last)) && !pendingSpace && pendingBreaks == 0)
            {
                // Subdivision flags (England, Scotland, Wales): the black flag followed by tag characters.
                builder.Append(rune.ToString());
                last = rune;
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
                else if (pendingJoiner is { } joiner)
                {
                    builder.Append(joiner.ToString());
                }
            }

            pendingSpace = false;
            pendingBreaks = 0;
            pendingJoiner = null;
            builder.Append(rune.ToString());
            last = rune;
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

        RefuseStackedMarks(text);
        if (text.Length > RawUnitsPerCharacter * limits.MaxQuestionLength)
        {
            throw new LiveSessionException(ErrorCodes.QuestionTooLong,
                $"This question is too long to keep: its {length} characters are built of {text.Length} code units (at most {RawUnitsPerCharacter * limits.MaxQuestionLength}).");
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

        RefuseStackedMarks(name);
        if (Length(name) > limits.MaxAuthorNameLength || name.Length > RawUnitsPerCharacter * limits.MaxAuthorNameLength)
        {
            throw new LiveSessionException(ErrorCodes.NameTooLong,
                $"A name may have at most {limits.MaxAuthorNameLength} characters.");
        }

        return name;
    }

    /// <summary>Refuses (rather than trims) a text with a character stacked under more than <see cref="MaxMarksPerCharacter"/> marks.</summary>
    private static void RefuseStackedMarks(string text)
    {
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            var marks = 0;
            foreach (var rune in elements.GetTextElement().EnumerateRunes())
            {
                if (IsCountedMark(rune) && ++marks > MaxMarksPerCharacter)
                {
                    throw new LiveSessionException(ErrorCodes.TooManyMarks,
                        $"A character may carry at most {MaxMarksPerCharacter} accents or marks; this text stacks more on one.");
                }
            }
        }
    }

    /// <summary>Accents and vowel signs; variation selectors (emoji presentation) are not marks a reader sees.</summary>
    private static bool IsCountedMark(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
        && rune.Value is not (>= 0xFE00 and <= 0xFE0F) and not (>= 0xE0100 and <= 0xE01EF);

    /// <summary>Characters that draw nothing though they are not formatting: a text of them looks empty.</summary>
    private static bool RendersBlank(Rune rune) =>
        rune.Value is 0x2800 // braille pattern blank
            or 0x115F or 0x1160 or 0x3164 or 0xFFA0 // Hangul fillers
            or 0x1D159; // musical symbol null notehead

    private static bool IsTag(Rune rune) => rune.Value is >= 0xE0020 and <= 0xE007F;

    /// <summary>Control characters, zero-width characters, bidi controls and other invisible formatting.</summary>
    private static bool IsInvisible(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
        || rune.Value is 0x034F or 0x17B4 or 0x17B5; // grapheme joiner, Khmer inherent vowels: invisible marks
}
