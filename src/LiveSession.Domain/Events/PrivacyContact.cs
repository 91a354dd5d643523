using System.Text.RegularExpressions;

namespace LiveSession.Domain.Events;

/// <summary>The two kinds of privacy contact an event file may give, told apart by their shape.</summary>
public static partial class PrivacyContact
{
    public const string Email = "email";
    public const string Url = "url";

    /// <summary><see cref="Email"/>, <see cref="Url"/>, or null when <paramref name="contact"/> is neither.</summary>
    public static string? KindOf(string? contact)
    {
        if (string.IsNullOrEmpty(contact))
        {
            return null;
        }

        if (EmailPattern().IsMatch(contact))
        {
            return Email;
        }

        // No user info ("https://trusted@evil"): a link that misleads about where it goes is no contact.
        return Uri.TryCreate(contact, UriKind.Absolute, out var uri)
            && uri.Scheme is "http" or "https"
            && uri.Host.Length > 0
            && uri.UserInfo.Length == 0
            && !contact.Any(char.IsWhiteSpace)
            ? Url
            : null;
    }

    /// <summary>One @, a dotted domain, nothing that could break out of a mailto: link (spaces, quotes, angle brackets, ?, #, /, :).</summary>
    [GeneratedRegex(@"^[^\s@""<>()\[\]\\,;:?#/]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+\z", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();
}
