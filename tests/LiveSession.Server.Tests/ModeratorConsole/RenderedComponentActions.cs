using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace LiveSession.Server.Tests.ModeratorConsole;

/// <summary>
/// Find an element and trigger its event in one turn of the renderer: a live update that
/// re-renders the panel in between cannot leave the test holding a stale element.
/// </summary>
internal static class RenderedComponentActions
{
    public static Task ClickAsync<T>(this IRenderedComponent<T> cut, string selector) where T : IComponent =>
        cut.InvokeAsync(() => cut.Find(selector).ClickAsync(new MouseEventArgs()));

    public static Task ChangeAsync<T>(this IRenderedComponent<T> cut, string selector, string value) where T : IComponent =>
        cut.InvokeAsync(() => cut.Find(selector).ChangeAsync(new ChangeEventArgs { Value = value }));

    public static Task InputAsync<T>(this IRenderedComponent<T> cut, string selector, string value) where T : IComponent =>
        cut.InvokeAsync(() => cut.Find(selector).InputAsync(new ChangeEventArgs { Value = value }));

    public static Task KeyDownAsync<T>(this IRenderedComponent<T> cut, string selector, string key) where T : IComponent =>
        cut.InvokeAsync(() => cut.Find(selector).KeyDownAsync(new KeyboardEventArgs { Key = key }));
}
