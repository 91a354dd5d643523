using System.Text.RegularExpressions;

namespace LiveSession.Server.Pages;

/// <summary>
/// The headers that keep the attendee pages to this site alone: no script, style, image, font or
/// connection from elsewhere, no inline script, no referrer sent anywhere, no powerful features.
/// Only the overlay takes inline styles (a broadcast tool's Custom CSS).
/// </summary>
public static partial class SecurityHeaders
{
    private const string PermissionsPolicy =
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()";

    /// <param name="broadcastSource">
    /// The overlay, a broadcast tool's browser source: the tool may frame it, and it adds the operator's
    /// Custom CSS as an inline <c>&lt;style&gt;</c> (OBS does), so inline styles are allowed there. Scripts
    /// stay same-origin only, and nothing on that page is ever inserted as HTML.
    /// </param>
    public static void ApplyToPage(HttpContext http, bool broadcastSource)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy(http.Request, broadcastSource);
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Permissions-Policy"] = PermissionsPolicy;
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        if (!broadcastSource)
        {
            headers.XFrameOptions = "DENY";
        }
    }

    public static void ApplyToAsset(HttpResponse response)
    {
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }

    /// <summary>
    /// 'self' covers the WebSocket of the same host in current browsers (CSP 3); the explicit
    /// ws:/wss: sources are for older ones. The host is only echoed when it is a plain host[:port].
    /// </summary>
    public static string ContentSecurityPolicy(HttpRequest request, bool broadcastSource)
    {
        var host = request.Host.Value;
        var sockets = host is not null && PlainHost().IsMatch(host) ? $" ws://{host} wss://{host}" : "";
        return "default-src 'self'; script-src 'self'; "
            + (broadcastSource ? "style-src 'self' 'unsafe-inline'; " : "style-src 'self'; ")
            + "img-src 'self' data:; font-src 'self'; "
            + $"connect-src 'self'{sockets}; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + (broadcastSource ? "" : "frame-ancestors 'none'; ")
            + "manifest-src 'self'";
    }

    [GeneratedRegex("^[A-Za-z0-9.\\-\\[\\]:]{1,255}$")]
    private static partial Regex PlainHost();
}
