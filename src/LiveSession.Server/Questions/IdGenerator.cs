using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace LiveSession.Server.Questions;

/// <summary>Opaque, unguessable ids ("q_" + 12 characters of base32).</summary>
public static class IdGenerator
{
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    public static string NewQuestionId() => "q_" + RandomNumberGenerator.GetString(Alphabet, 12);

    public static string NewPollId() => "p_" + RandomNumberGenerator.GetString(Alphabet, 12);

    /// <summary>
    /// Whether a client's id could name a question or a poll (those of older versions included):
    /// anything else is not found without a store read.
    /// </summary>
    public static bool CanBeId([NotNullWhen(true)] string? id) => !string.IsNullOrEmpty(id) && id.Length <= 64;
}
