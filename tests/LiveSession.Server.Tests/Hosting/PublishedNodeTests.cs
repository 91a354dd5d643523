using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LiveSession.Server.Tests.Infrastructure;

namespace LiveSession.Server.Tests.Hosting;

/// <summary>
/// The published output started as docs/operations.md says (<c>dotnet LiveSession.Server.dll</c>, Production)
/// from another working directory (<c>/</c>): it serves its pages, scripts and console with content and
/// reads its own appsettings.json.
/// </summary>
[Collection(PublishedOutputCollection.Name)]
public sealed partial class PublishedNodeTests(PublishedOutput published) : IAsyncLifetime
{
    private const string PublicUrl = "https://published.example.org";
    private const int MaxQuestionLength = 321;

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("livesession-published-data").FullName;
    private HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private Process? _node;
    private readonly ConcurrentQueue<string> _output = new();

    public async Task InitializeAsync()
    {
        var settings = Path.Combine(published.Folder, "appsettings.json");
        var json = JsonNode.Parse(await File.ReadAllTextAsync(settings))!;
        json["LiveSession"]!["PublicBaseUrl"] = PublicUrl;
        json["LiveSession"]!["Limits"]!["MaxQuestionLength"] = MaxQuestionLength;
        await File.WriteAllTextAsync(settings, json.ToJsonString());

        await StartNodeAsync();
    }

    private async Task StartNodeAsync()
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = "/", UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(published.Assembly);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["LiveSession__DataDirectory"] = _dataDirectory;
        start.Environment.Remove("ASPNETCORE_CONTENTROOT");
        _output.Clear();
        _node = Process.Start(start) ?? throw new InvalidOperationException("The published node did not start.");
        _node.OutputDataReceived += (_, line) => _output.Enqueue(line.Data ?? "");
        _node.ErrorDataReceived += (_, line) => _output.Enqueue(line.Data ?? "");
        _node.BeginOutputReadLine();
        _node.BeginErrorReadLine();
        _http.BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        await WaitUntilReadyAsync();
        // The banner is printed once the node listens: wait for its last line.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!_output.Any(line => line.Contains("Organiser key:", StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"No start banner:\n{Log}");
            await Task.Delay(100);
        }
    }

    private async Task StopNodeAsync()
    {
        if (_node is { HasExited: false })
        {
            _node.Kill(entireProcessTree: true);
            await _node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        _node?.Dispose();
        _node = null;
    }

    public async Task DisposeAsync()
    {
        await StopNodeAsync();
        _http.Dispose();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Theory]
    [InlineData("/e/bms22", "<title>LiveSession</title>")]
    [InlineData("/e/bms22/screen", "room screen")]
    [InlineData("/e/bms22/overlay", "overlay")]
    [InlineData("/privacy", "privacy.title")]
    [InlineData("/e/bms22/moderate", "Moderator login")]
    public async Task A_page_and_every_script_and_stylesheet_it_loads_are_served_with_content(string path, string marker)
    {
        using var page = await _http.GetAsync(path).DefaultTimeout();
        var html = await page.Content.ReadAsStringAsync().DefaultTimeout();

        Assert.True(page.StatusCode == HttpStatusCode.OK, $"{path}: {(int)page.StatusCode}\n{Log}");
        Assert.Contains(marker, html);
        var assets = AssetReference().Matches(html).Select(match => match.Groups["url"].Value).ToList();
        Assert.NotEmpty(assets);
        foreach (var asset in assets)
        {
            using var response = await _http.GetAsync(asset).DefaultTimeout();
            var body = await response.Content.ReadAsByteArrayAsync().DefaultTimeout();
            Assert.True(response.StatusCode == HttpStatusCode.OK && body.Length > 0, $"{asset} (from {path}): {(int)response.StatusCode}, {body.Length} bytes");
        }
    }

    [Fact]
    public async Task Every_page_script_is_served_as_it_is_in_the_repository()
    {
        var scripts = Directory.GetFiles(RepositoryFiles.Path("src", "LiveSession.Server", "wwwroot", "js"), "*.js");
        Assert.NotEmpty(scripts);
        foreach (var script in scripts)
        {
            var served = await _http.GetStringAsync($"/js/{Path.GetFileName(script)}").DefaultTimeout();
            Assert.Equal(await File.ReadAllTextAsync(script), served);
        }
    }

    [Fact]
    public async Task The_published_appsettings_json_is_read()
    {
        var settings = JsonNode.Parse(await _http.GetStringAsync("/e/bms22/page.json").DefaultTimeout())!;

        Assert.Equal(MaxQuestionLength, settings["maxQuestionLength"]!.GetValue<int>());
        Assert.StartsWith(PublicUrl, settings["attendeeLink"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Keys_are_printed_once_when_made_and_the_data_folder_is_for_the_service_user_only()
    {
        var organiserKey = (await File.ReadAllTextAsync(Path.Combine(_dataDirectory, "secrets", "organiser.key"))).Trim();
        var moderatorKey = (await File.ReadAllTextAsync(Path.Combine(_dataDirectory, "secrets", "bms22.moderator.key"))).Trim();
        Assert.Contains(organiserKey, Log);
        Assert.Contains(moderatorKey, Log);

        // The console's login form carries an antiforgery token: the key ring gets its first key.
        using (var login = await _http.GetAsync("/e/bms22/moderate").DefaultTimeout())
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        await StopNodeAsync();
        _http.Dispose();
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await StartNodeAsync();

        Assert.DoesNotContain(organiserKey, Log);
        Assert.DoesNotContain(moderatorKey, Log);
        Assert.Contains($"kept in {Path.Combine(_dataDirectory, "secrets", "organiser.key")}", Log);

        var folders = Directory.GetDirectories(_dataDirectory, "*", SearchOption.AllDirectories).Append(_dataDirectory).ToList();
        var files = Directory.GetFiles(_dataDirectory, "*", SearchOption.AllDirectories);
        Assert.Contains(files, file => file.EndsWith("livesession.db-wal", StringComparison.Ordinal));
        Assert.Contains(files, file => file.EndsWith(".xml", StringComparison.Ordinal));
        Assert.All(folders, folder => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder)));
        Assert.All(files, file => Assert.True(File.GetUnixFileMode(file) == (UnixFileMode.UserRead | UnixFileMode.UserWrite), $"{file}: {File.GetUnixFileMode(file)}"));
    }

    private string Log => string.Join('\n', _output);

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var ready = await _http.GetAsync("/readyz");
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            Assert.True(DateTime.UtcNow < deadline && !_node!.HasExited, $"The published node did not become ready:\n{Log}");
            await Task.Delay(200);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Same-site scripts and stylesheets: <c>src="/…"</c> and <c>href="…css"</c> (the console's are relative to its base).</summary>
    [GeneratedRegex("""(?:src="|href=")(?<url>/?[^":]+\.(?:js|css))""")]
    private static partial Regex AssetReference();
}
