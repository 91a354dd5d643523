using QRCoder;

namespace LiveSession.Server.Pages;

/// <summary>The room screen's join code, drawn on the server as SVG (no script, no third party).</summary>
public static class RoomQrCode
{
    public static string Svg(string url)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(8, "#000000", "#ffffff", drawQuietZones: true, SvgQRCode.SizingMode.ViewBoxAttribute);
    }
}
