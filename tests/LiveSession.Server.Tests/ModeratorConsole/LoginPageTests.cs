using Bunit;
using LiveSession.Server.ModeratorConsole;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;

namespace LiveSession.Server.Tests.ModeratorConsole;

public sealed class LoginPageTests : ConsoleComponentContext
{
    public LoginPageTests()
    {
        // Outside an HTTP request there is no antiforgery token; this stands in for the request's.
        Bunit.Services.AddSingleton<AntiforgeryStateProvider>(new RequestToken());
    }

    private IRenderedComponent<LoginPage> RenderLogin(string code = Code, string? error = null)
    {
        var navigation = Bunit.Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo($"e/{code}/moderate/login" + (error is null ? "" : "?error=" + Uri.EscapeDataString(error)));
        return Bunit.Render<LoginPage>(p => p.Add(x => x.Code, code));
    }

    [Fact]
    public void The_form_posts_the_key_to_the_login_endpoint_with_an_antiforgery_token()
    {
        var login = RenderLogin();

        var form = login.Find("form");
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal("/e/bms22/moderate/auth/login", form.GetAttribute("action"));
        Assert.Equal("password", login.Find("input[name=key]").GetAttribute("type"));
        Assert.Equal("request-token", login.Find("input[type=hidden][name=__RequestVerificationToken]").GetAttribute("value"));
        Assert.Equal("Stopping Biometric Mass Surveillance in Europe", login.Find(".event-title").TextContent);
        Assert.Empty(login.FindAll(".error"));
    }

    [Theory]
    [InlineData("unauthorized", "That key does not open this event.")]
    [InlineData("rate_limited", "Too many wrong keys from this address. Wait a minute before trying another; the right key always logs in.")]
    [InlineData("<b>made up</b>", "That key does not open this event.")]
    public void A_refused_login_shows_a_fixed_message_never_the_query_text(string error, string message)
    {
        var login = RenderLogin(error: error);

        Assert.Equal(message, login.Find(".error").TextContent);
    }

    [Fact]
    public void An_unknown_event_has_no_form()
    {
        var login = RenderLogin(code: "no-such-event");

        Assert.Equal("There is no event 'no-such-event'.", login.Find(".error").TextContent);
        Assert.Empty(login.FindAll("form"));
    }

    private sealed class RequestToken : AntiforgeryStateProvider
    {
        public override AntiforgeryRequestToken GetAntiforgeryToken() => new("request-token", "__RequestVerificationToken");
    }
}
