using LiveSession.Server.Export;

namespace LiveSession.Server.Tests.Export;

/// <summary>The Markdown export keeps attendee text as text without burying it in backslashes.</summary>
public sealed class MarkdownEscapeTests
{
    [Theory]
    [InlineData("What's the plan (in 2025)? A vote-by-vote account, please.", "What's the plan (in 2025)? A vote-by-vote account, please.")]
    [InlineData("**bold** _it_ `code` [link](x) <b>", "\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\[link\\](x) \\<b\\>")]
    [InlineData("# not a heading", "\\# not a heading")]
    [InlineData("- not a list", "\\- not a list")]
    [InlineData("  + not a list either", "  \\+ not a list either")]
    [InlineData("1. not numbered", "1\\. not numbered")]
    [InlineData("2025) a year", "2025\\) a year")]
    [InlineData("a | b ~~c~~", "a \\| b \\~\\~c\\~\\~")]
    [InlineData("AT&T and &amp; and &#60;", "AT&T and \\&amp; and \\&#60;")]
    [InlineData("first line\n# second", "first line\n\\# second")]
    [InlineData("back\\slash", "back\\\\slash")]
    public void Only_what_could_start_markup_is_escaped(string text, string expected) =>
        Assert.Equal(expected, QaExporter.Escape(text));

    [Theory]
    [InlineData(0, "0 votes")]
    [InlineData(1, "1 vote")]
    [InlineData(2, "2 votes")]
    public void Counts_agree_with_their_noun(int count, string expected) =>
        Assert.Equal(expected, QaExporter.Plural(count, "vote", "votes"));
}
