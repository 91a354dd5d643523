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
