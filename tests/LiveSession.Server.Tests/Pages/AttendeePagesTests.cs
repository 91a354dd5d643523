using System.Net;
using LiveSession.Server.Events;
using LiveSession.Server.Pages;
using LiveSession.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LiveSession.Server.Tests.Pages;

/// <summary>The public pages over plain HTTP: what is served, with which headers, and what an unknown event gets.</summary>
public sealed class AttendeePagesTests : LiveServerTest
{
    [Theory]
    [InlineData("/e/bms22")]
    [InlineData("/e/bms22/screen")]
    [InlineData("/privacy")]
    [InlineData("/")]
    [InlineData("/pages/attendee.html")]
    public async Task Pages_are_sent_with_a_policy_that_allows_only_this_site(string path)
    {
        using var client = Server.CreateClient();

        using var response = await client.GetAsync(path).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", policy);
        Assert.Contains("script-src 'self';", policy);
        Assert.Contains("style-src 'self';", policy);
        Assert.Contains("img-src 'self' data:;", policy);
        Assert.Contains($"connect-src 'self' ws://{Server.BaseAddress.Authority} wss://{Server.BaseAddress.Authority};", policy);
        Assert.DoesNotContain("unsafe", policy);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("camera=()", response.Headers.GetValues("Permissions-Policy").Single());
    }

    /// <summary>OBS adds a browser source's Custom CSS as an inline style element: the overlay allows inline styles, nothing else more.</summary>
    [Fact]
    public async Task The_overlay_takes_inline_styles_for_a_broadcast_tools_custom_css_and_still_only_this_sites_scripts()
    {
        using var client = Server.CreateClient();

        using var response = await client.GetAsync("/e/bms22/overlay").DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", policy);
        Assert.Contains("script-src 'self';", policy);
        Assert.Contains("style-src 'self' 'unsafe-inline';", policy);
        Assert.Contains("img-src 'self' data:;", policy);
        Assert.Contains("object-src 'none'", policy);
        Assert.Equal(1, policy.Split("unsafe").Length - 1);
        Assert.DoesNotContain("frame-ancestors", policy);
        Assert.False(response.Headers.Contains("X-Frame-Options"));
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task Pages_load_no_script_or_style_from_another_host_and_no_inline_script()
    {
        using var client = Server.CreateClient();
        foreach (var path in new[] { "/", "/e/bms22", "/e/bms22/screen", "/e/bms22/overlay", "/privacy" })
        {
            var html = await client.GetStringAsync(path).DefaultTimeout();

            Assert.DoesNotContain("http://", html);
            Assert.DoesNotContain("https://", html);
            Assert.DoesNotMatch("<script(?![^>]*\\ssrc=)[^>]*>", html);
            Assert.DoesNotContain(" style=", html);
        }
    }

    [Theory]
    [InlineData("/e/BMS22", "/e/bms22")]
    [InlineData("/e/Bms22/screen?display=k3y", "/e/bms22/screen?display=k3y")]
    [InlineData("/e/BMS22/moderate", "/e/bms22/moderate")]
    public async Task An_event_code_typed_in_capitals_is_sent_to_its_lowercase_address(string typed, string address)
    {
        using var client = NoRedirects();

        using var response = await client.GetAsync(typed).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(address, response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("bms22", "/e/bms22")]
    [InlineData("  BMS22 ", "/e/bms22")]
    [InlineData("https://live.example.org/e/BMS22/", "/e/bms22")]
    [InlineData("live.example.org/e/bms22?via=room", "/e/bms22")]
    [InlineData("no-such-event", "/?unknown=no-such-event")]
    [InlineData("<script>alert(1)</script>", "/?unknown=%3Cscript%3Ealert%281%29%3C%2Fscript%3E")]
    [InlineData("", "/?unknown=")]
    public async Task The_landing_pages_form_takes_a_code_as_people_type_it_and_sends_unknown_ones_back(string code, string location)
    {
        using var client = NoRedirects();

        using var response = await client.GetAsync("/join?code=" + Uri.EscapeDataString(code)).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(location, response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task The_landing_page_is_an_html_page_with_the_join_form_and_the_privacy_link()
    {
        using var client = Server.CreateClient();

        var html = await client.GetStringAsync("/").DefaultTimeout();

        Assert.Contains("<form method=\"get\" action=\"/join\"", html);
        Assert.Contains("name=\"code\"", html);
        Assert.Contains("href=\"/privacy\"", html);
    }

    private HttpClient NoRedirects() =>
        new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    [Theory]
    [InlineData("/e/no-such-event")]
    [InlineData("/e/no-such-event/screen")]
    [InlineData("/e/no-such-event/overlay")]
    [InlineData("/e/no-such-event/qr.svg")]
    [InlineData("/e/%3Cscript%3E")]
    public async Task An_unknown_event_gets_a_not_found_page_never_a_stack_trace(string path)
    {
        using var client = Server.CreateClient();

        using var response = await client.GetAsync(path).DefaultTimeout();
        var body = await response.Content.ReadAsStringAsync().DefaultTimeout();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Event not found", body);
        Assert.DoesNotContain("Exception", body);
        Assert.DoesNotContain("<script>", body);
    }

    [Fact]
    public async Task The_room_qr_code_is_an_svg_drawn_by_the_server()
    {
        using var client = Server.CreateClient();

        using var response = await client.GetAsync("/e/bms22/qr.svg").DefaultTimeout();
        var svg = await response.Content.ReadAsStringAsync().DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("<svg", svg.TrimStart());
        Assert.DoesNotContain("<script", svg);
    }

    [Fact]
    public async Task The_room_qr_code_encodes_the_room_link_of_the_event()
    {
        using var client = Server.CreateClient();
        var roomLink = $"{Server.BaseAddress.ToString().TrimEnd('/')}/e/bms22?via=room";

        var svg = await client.GetStringAsync("/e/bms22/qr.svg").DefaultTimeout();

        Assert.Equal(roomLink, Server.Services.GetRequiredService<LinkBuilder>().Room("bms22"));
        Assert.Equal(RoomQrCode.Svg(roomLink), svg);
    }

    [Fact]
    public async Task The_signalr_browser_client_and_the_translations_are_served_from_this_site()
    {
        using var client = Server.CreateClient();

        foreach (var path in new[] { "/lib/signalr.min.js", "/js/live-connection.js", "/js/live-view.js", "/i18n/en.json", "/i18n/fr.json", "/i18n/de.json" })
        {
            using var response = await client.GetAsync(path).DefaultTimeout();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} → {(int)response.StatusCode}");
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        }
    }
}
