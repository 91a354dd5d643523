using LiveSession.Server.Configuration;
using Microsoft.Extensions.Options;

namespace LiveSession.Server.Access;

/// <summary>
/// A configured organiser key opens every event, and guesses against it are cheap (a correct key is
/// never throttled): it must be long and not a pattern. Checked at start; a weak key stops the node.
/// A generated key (none configured) is 256 random bits and needs no check.
/// </summary>
public sealed class OrganiserKeyStrength : IValidateOptions<LiveSessionOptions>
{
    public const int MinLength = 32;
    public const int MinDistinctCharacters = 8;

    public ValidateOptionsResult Validate(string? name, LiveSessionOptions options)
    {
        var key = options.OrganiserKey?.Trim();
        if (string.IsNullOrEmpty(key) || IsStrong(key))
        {
            return ValidateOptionsResult.Success;
        }

        // The key itself is never part of the message: it ends up in logs.
        return ValidateOptionsResult.Fail(
            $"LiveSession:OrganiserKey (env LiveSession__OrganiserKey) is too weak: {key.Length} characters, {key.Distinct().Count()} different; "
            + $"it must have at least {MinLength} characters and {MinDistinctCharacters} different ones. "
            + "Make one with `openssl rand -base64 32`, or leave it unset and the node generates one (kept in secrets/organiser.key).");
    }

    public static bool IsStrong(string key) => key.Length >= MinLength && key.Distinct().Count() >= MinDistinctCharacters;
}
