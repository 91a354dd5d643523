using LiveSession.Domain.Errors;
using LiveSession.Domain.Questions;

namespace LiveSession.Domain.Tests;

public class TextInputTests
{
    private static readonly QuestionLimits Limits = new();

    [Theory]
    [InlineData("Cafe\u0301", "Caf\u00e9")]
    [InlineData("e\u200B\u0301", "\u00e9")]
    [InlineData("a\u0000b\u0007c\u007Fd\u0085e", "abcd e")]
    [InlineData("\u001B[31mred", "[31mred")]
    [InlineData("zero\u200Bwidth\uFEFF", "zerowidth")]
    [InlineData("\uFEFFbom", "bom")]
    [InlineData("evil\u202Etxt.exe", "eviltxt.exe")]
    [InlineData("\u2066isolated\u2069 \u200Fmark", "isolated mark")]
    [InlineData("soft\u00ADhyphen and \u2060joiner", "softhyphen and joiner")]
    [InlineData("  a \t\t b\u00A0\u00A0c\u3000d   ", "a b c d")]
    [InlineData("a \u200B b", "a b")]
    [InlineData("<script>alert('x')</script> &amp; <b>bold</b>", "<script>alert('x')</script> &amp; <b>bold</b>")]
    public void Clean_normalises_and_removes_invisible_characters(string raw, string expected)
    {
        Assert.Equal(expected, TextInput.Clean(raw, allowLineBreaks: false));
        Assert.Equal(expected, TextInput.Clean(raw, allowLineBreaks: true));
    }

    [Fact]
    public void A_lone_surrogate_becomes_a_replacement_character_instead_of_failing()
    {
        Assert.Equal("a\uFFFDb", TextInput.Clean("a\uD800b", allowLineBreaks: false));
        Assert.Equal("a\uFFFDb?", TextInput.CleanQuestion("a\uDC00b?", Limits));
    }

    [Theory]
    [InlineData("first\r\nsecond", "first\nsecond")]
    [InlineData("first  \n  second", "first\nsecond")]
    [InlineData("first\n\n\n\n\nsecond", "first\n\nsecond")]
    [InlineData("first\n \n\t\n second", "first\n\nsecond")]
    [InlineData("\n\n  first\nsecond \n\n", "first\nsecond")]
    public void Questions_keep_line_breaks_with_at_most_one_blank_line(string raw, string expected) =>
        Assert.Equal(expected, TextInput.Clean(raw, allowLineBreaks: true));

    [Theory]
    [InlineData("Ana\nMaria", "Ana Maria")]
    [InlineData("Ana\r\n\r\nMaria\n", "Ana Maria")]
    public void Names_fold_line_breaks_into_spaces(string raw, string expected) =>
        Assert.Equal(expected, TextInput.CleanAuthorName(raw, Limits));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \n\t ")]
    [InlineData("\u200B\u202E")]
    public void A_name_that_cleans_to_nothing_is_anonymous(string? raw) => Assert.Null(TextInput.CleanAuthorName(raw, Limits));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ab")]
    [InlineData("  a\u200B\u200Bb  ")]
    [InlineData("\n\n\u202E\n")]
    public void Too_short_question_is_refused(string? raw) =>
        Assert.Equal(ErrorCodes.QuestionTooShort, Assert.Throws<LiveSessionException>(() => TextInput.CleanQuestion(raw, Limits)).Code);

    [Fact]
    public void Question_length_limits_are_inclusive()
    {
        Assert.Equal("abc", TextInput.CleanQuestion(" abc ", Limits));
        Assert.Equal(500, TextInput.CleanQuestion(new string('x', 500), Limits).Length);

        var error = Assert.Throws<LiveSessionException>(() => TextInput.CleanQuestion(new string('x', 501), Limits));
        Assert.Equal(ErrorCodes.QuestionTooLong, error.Code);
        Assert.Contains("501", error.Message);
    }

    [Fact]
    public void Length_counts_what_a_reader_sees()
    {
        const string thumbsUpMediumSkin = "\U0001F44D\U0001F3FD";
        const string flag = "\U0001F1EA\U0001F1FA";

        Assert.Equal(1, TextInput.Length(thumbsUpMediumSkin));
        Assert.Equal(1, TextInput.Length(flag));
        Assert.Equal(1, TextInput.Length("e\u0301"));
        Assert.Equal(500, TextInput.Length(TextInput.CleanQuestion(string.Concat(Enumerable.Repeat(thumbsUpMediumSkin, 500)), Limits)));
        Assert.Equal(ErrorCodes.QuestionTooLong,
            Assert.Throws<LiveSessionException>(() => TextInput.CleanQuestion(string.Concat(Enumerable.Repeat(thumbsUpMediumSkin, 501)), Limits)).Code);
        Assert.Equal(ErrorCodes.QuestionTooShort,
            Assert.Throws<LiveSessionException>(() => TextInput.CleanQuestion(thumbsUpMediumSkin + flag, Limits)).Code);
    }

    [Fact]
    public void Name_length_limit_is_inclusive()
    {
        Assert.Equal(new string('n', 60), TextInput.CleanAuthorName(new string('n', 60), Limits));
        Assert.Equal(ErrorCodes.NameTooLong,
            Assert.Throws<LiveSessionException>(() => TextInput.CleanAuthorName(new string('n', 61), Limits)).Code);
    }

    [Fact]
    public void Limits_are_configurable()
    {
        var strict = new QuestionLimits(MinQuestionLength: 10, MaxQuestionLength: 20, MaxAuthorNameLength: 3);

        Assert.Equal(ErrorCodes.QuestionTooShort, Assert.Throws<LiveSessionException>(() => TextInput.CleanQuestion("short one", strict)).Code);
        Assert.Equal(ErrorCodes.QuestionTooLong, Assert.Throws<LiveSessionException>(() => TextInput.CleanQuestion(new string('x', 21), strict)).Code);
        Assert.Equal(ErrorCodes.NameTooLong, Assert.Throws<LiveSessionException>(() => TextInput.CleanAuthorName("Anna", strict)).Code);
    }

    [Fact]
    public void Html_is_kept_as_literal_text_in_questions()
    {
        const string html = "Is <img src=x onerror=alert(1)> & \"quotes\" a <b>problem</b>?";

        Assert.Equal(html, TextInput.CleanQuestion(html, Limits));
    }
}

public class TextInputHygieneTests
{
    private static readonly QuestionLimits Limits = new();

    private static string Code(Action action) => Assert.Throws<LiveSessionException>(action).Code;

    [Fact]
    public void A_three_character_question_of_24_KB_of_combining_marks_is_refused()
    {
        var zalgo = string.Concat(Enumerable.Repeat("a" + new string('\u0336', 8000), 3));

        Assert.Equal(3, TextInput.Length(TextInput.Clean(zalgo, allowLineBreaks: true)));
        Assert.Equal(ErrorCodes.TooManyMarks, Code(() => TextInput.CleanQuestion(zalgo, Limits)));
    }

    [Fact]
    public void A_one_character_name_of_8001_code_points_is_refused()
    {
        var name = "n" + new string('\u0301', 8000);

        Assert.Equal(ErrorCodes.TooManyMarks, Code(() => TextInput.CleanAuthorName(name, Limits)));
    }

    [Fact]
    public void Four_marks_on_one_character_are_kept_and_five_refused()
    {
        var four = "Why a" + new string('\u0332', 4) + "?";
        var five = "Why a" + new string('\u0332', 5) + "?";

        Assert.Equal(four, TextInput.CleanQuestion(four, Limits));
        Assert.Equal(four, TextInput.CleanAuthorName(four, Limits));
        Assert.Equal(ErrorCodes.TooManyMarks, Code(() => TextInput.CleanQuestion(five, Limits)));
        Assert.Equal(ErrorCodes.TooManyMarks, Code(() => TextInput.CleanAuthorName(five, Limits)));
    }

    [Theory]
    [InlineData("\u2800\u2800\u2800")]
    [InlineData("\u3164\u3164\u3164\u3164")]
    [InlineData("\u115F\u1160\uFFA0\u115F")]
    [InlineData("ab\u2800\u2800\u2800")]
    [InlineData("\u200D\u200D\u200D\u200C\u200C")]
    [InlineData("\u2800\u200D\u2800\u200D\u2800")]
    [InlineData("\u034F\u034F\u034F\u2062\u2063")]
    public void A_question_that_is_blank_once_rendered_is_too_short(string raw) =>
        Assert.Equal(ErrorCodes.QuestionTooShort, Code(() => TextInput.CleanQuestion(raw, Limits)));

    [Theory]
    [InlineData("\u3164")]
    [InlineData("\u2800\u2800")]
    [InlineData("\u200D")]
    public void A_name_that_is_blank_once_rendered_is_anonymous(string raw) => Assert.Null(TextInput.CleanAuthorName(raw, Limits));

    [Fact]
    public void Blank_characters_between_words_are_spaces() =>
        Assert.Equal("Is this a question?", TextInput.CleanQuestion("Is\u2800this\u3164\u3164a question?\u2800", Limits));

    [Theory]
    [InlineData("Family \U0001F468\u200D\U0001F469\u200D\U0001F467 here?")]
    [InlineData("\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466\U0001F469\u200D\U0001F469\u200D\U0001F466 ok")]
    [InlineData("\U0001F9D1\U0001F3FD\u200D\U0001F91D\u200D\U0001F9D1\U0001F3FF together")]
    [InlineData("\U0001F469\u200D\u2764\uFE0F\u200D\U0001F48B\u200D\U0001F468 kiss")]
    [InlineData("\U0001F3F3\uFE0F\u200D\U0001F308 pride flag")]
    [InlineData("\U0001F1EB\U0001F1F7 \U0001F1E9\U0001F1EA \U0001F1FA\U0001F1E6 flags")]
    [InlineData("England \U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F wins?")]
    [InlineData("Keycap 1\uFE0F\u20E3 and \u2764\uFE0F")]
    [InlineData("\u0645\u0627 \u0647\u0648 \u0627\u0644\u0633\u0624\u0627\u0644\u061F")] // Arabic: ما هو السؤال؟
    [InlineData("\u0643\u064E\u062A\u064E\u0628\u064E \u0627\u0644\u0652\u0648\u064E\u0644\u064E\u062F\u064F")] // Arabic with harakat
    [InlineData("\u05DE\u05D4 \u05D4\u05E9\u05D0\u05DC\u05D4?")] // Hebrew: מה השאלה?
    [InlineData("\u05E9\u05B8\u05C1\u05DC\u05D5\u05B9\u05DD \u05D1\u05BC\u05B0\u05E8\u05B5\u05D0\u05E9\u05B4\u05C1\u0596\u05D9\u05EA")] // pointed and cantillated Hebrew
    [InlineData("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645 \u0628\u067E\u0631\u0633\u0645")] // Persian: می‌خواهم بپرسم (ZWNJ)
    [InlineData("\u0646\u0627\u0645\u0647\u200C\u0647\u0627 \u0631\u0633\u06CC\u062F\u0646\u062F")] // Persian: نامه‌ها
    [InlineData("\u0915\u094D\u092F\u093E \u092F\u0939 \u0938\u0939\u0940 \u0939\u0948?")] // Hindi: क्या यह सही है?
    [InlineData("\u0915\u094D\u200D\u0937 \u0914\u0930 \u0915\u094D\u200C\u0937 \u0938\u094D\u0924\u094D\u0930\u0940")] // Devanagari half forms with ZWJ/ZWNJ, स्त्री
    [InlineData("Vi\u1EC7t Nam c\u00F3 kh\u00F4ng?")] // Vietnamese, NFC
    public void Scripts_and_emoji_sequences_are_kept_exactly(string text)
    {
        // Exactly, up to NFC (which puts the Hebrew points in their canonical order).
        var nfc = text.Normalize(System.Text.NormalizationForm.FormC);
        Assert.Equal(nfc, TextInput.CleanQuestion(text, Limits));
        Assert.Equal(nfc, TextInput.CleanAuthorName(text, Limits));
    }

    [Fact]
    public void An_emoji_family_is_one_character()
    {
        Assert.Equal(1, TextInput.Length(TextInput.Clean("\U0001F468\u200D\U0001F469\u200D\U0001F467", allowLineBreaks: false)));
        Assert.Equal(1, TextInput.Length(TextInput.Clean("\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F", allowLineBreaks: false)));
    }

    [Theory]
    [InlineData("\u200Dabc\u200C", "abc")]
    [InlineData("a \u200D b", "a b")]
    [InlineData("a\u200D\u200D\u200Db", "a\u200Db")]
    [InlineData("a\u200D\nb", "a\nb")]
    [InlineData("x\u202E\u200Dy", "x\u200Dy")]
    [InlineData("tag \U000E0067\U000E0062 alone", "tag alone")]
    public void Joiners_and_tags_that_join_nothing_are_removed(string raw, string expected) =>
        Assert.Equal(expected, TextInput.Clean(raw, allowLineBreaks: true));

    [Theory]
    [InlineData("\u202Bright to left\u202C")]
    [InlineData("\u2067isolate\u2069")]
    [InlineData("\u200Fmark\u200E")]
    public void Bidi_controls_are_still_removed(string raw) =>
        Assert.DoesNotMatch("[\u200E\u200F\u202A-\u202E\u2066-\u2069]", TextInput.CleanQuestion(raw, Limits));

    [Fact]
    public void The_raw_bound_is_four_code_units_per_allowed_character()
    {
        const string family = "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466"; // 11 UTF-16 units, one text element
        var fits = string.Concat(Enumerable.Repeat(family, 181)); // 1,991 units
        var over = string.Concat(Enumerable.Repeat(family, 182)); // 2,002 units, still only 182 characters

        Assert.Equal(fits, TextInput.CleanQuestion(fits, Limits));
        var error = Assert.Throws<LiveSessionException>(() => TextInput.CleanQuestion(over, Limits));
        Assert.Equal(ErrorCodes.QuestionTooLong, error.Code);
        Assert.Contains("2000", error.Message);

        Assert.Equal(string.Concat(Enumerable.Repeat(family, 21)), TextInput.CleanAuthorName(string.Concat(Enumerable.Repeat(family, 21)), Limits));
        Assert.Equal(ErrorCodes.NameTooLong, Code(() => TextInput.CleanAuthorName(string.Concat(Enumerable.Repeat(family, 22)), Limits)));
    }
}
