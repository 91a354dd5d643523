using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace LiveSession.Server.Access;

/// <summary>
/// Attendee tokens: a random pseudonymous attendee id for one event, signed and encrypted with
/// Data Protection so that it survives reconnects, restarts and (with shared keys) other nodes.
/// The token itself is never stored or logged; only the attendee id is, for votes and "my questions".
/// </summary>
public sealed class AttendeeTokens(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("LiveSession.AttendeeToken.v1");

    public AttendeeIdentity ValidateOrIssue(string eventCode, string? token) =>
        TryValidate(eventCode, token) is { } attendeeId
            ? new AttendeeIdentity(attendeeId, token!, IsNew: false)
            : Issue(eventCode);

    public string? TryValidate(string eventCode, string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 1024)
        {
            return null;
        }

        try
        {
            var parts = _protector.Unprotect(token).Split('|');
            return parts is [var code, var attendeeId] && code == eventCode ? attendeeId : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private AttendeeIdentity Issue(string eventCode)
    {
        var attendeeId = ModeratorKeys.Base64Url(RandomNumberGenerator.GetBytes(16));
        return new AttendeeIdentity(attendeeId, _protector.Protect($"{eventCode}|{attendeeId}"), IsNew: true);
    }
}

public sealed record AttendeeIdentity(string AttendeeId, string Token, bool IsNew);
