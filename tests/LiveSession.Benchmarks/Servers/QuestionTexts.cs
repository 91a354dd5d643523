using System.Globalization;

namespace LiveSession.Benchmarks.Servers;

/// <summary>The benchmark's question wording: a realistic length (~110 characters), numbered so each is distinct.</summary>
public static class QuestionTexts
{
    public static string For(int index) => string.Create(CultureInfo.InvariantCulture,
        $"Question {index:D4}: how will the regulation protect people in public spaces from biometric mass surveillance?");
}
