using LiveSession.Server.Tests.Infrastructure;

namespace LiveSession.Server.Tests.Hosting;

/// <summary>
/// infra/Dockerfile as far as it can be checked without a Docker engine (none here): every file it
/// copies exists, its build stage has npm and publishes in a clean folder, the runtime stage runs as
/// a non-root user with a health check. The base images are never pulled and no image is built.
/// </summary>
[Collection(PublishedOutputCollection.Name)]
public sealed class DockerfileTests(PublishedOutput published)
{
    [Fact]
    public void Every_COPY_source_exists_in_the_repository_and_is_not_docker_ignored()
    {
        var sources = published.Dockerfile.ContextCopySources().ToList();

        Assert.Contains("src/", sources);
        foreach (var source in sources)
        {
            var path = RepositoryFiles.Path(source.TrimEnd('/'));
            Assert.True(File.Exists(path) || Directory.Exists(path), $"COPY {source}: not in the repository.");
            Assert.False(DockerfileReplay.IsIgnored(source.TrimEnd('/')), $"COPY {source}: excluded by .dockerignore.");
        }
    }

    [Fact]
    public void The_build_stage_installs_npm_before_it_publishes_and_the_runtime_stage_runs_unprivileged_with_a_health_check()
    {
        var build = published.Dockerfile.Stage("build").ToList();
        var npm = build.FindIndex(i => i.Keyword == "RUN" && i.Arguments.Contains("apt-get install", StringComparison.Ordinal) && i.Arguments.Contains(" npm", StringComparison.Ordinal));
        var publish = build.FindIndex(i => i.Keyword == "RUN" && i.Arguments.StartsWith("dotnet publish", StringComparison.Ordinal));
        Assert.InRange(npm, 0, publish - 1);

        var runtime = published.Dockerfile.Stage("runtime");
        var user = runtime.Last(i => i.Keyword == "USER");
        Assert.NotEqual("root", user.Arguments);
        Assert.NotEqual("0", user.Arguments);
        Assert.Contains(runtime, i => i.Keyword == "HEALTHCHECK" && i.Arguments.Contains("/healthz", StringComparison.Ordinal));
        Assert.Contains(runtime, i => i.Keyword == "COPY" && i.Arguments == "--from=build /app ./");
    }

    [Fact]
    public void The_build_stage_publishes_the_server_with_its_pages_and_the_browser_client()
    {
        foreach (var file in new[] { "LiveSession.Server.dll", "appsettings.json", "wwwroot/pages/attendee.html", "wwwroot/js/live-connection.js", "wwwroot/js/live-view.js", "wwwroot/lib/signalr.min.js" })
        {
            var path = Path.Combine(published.Folder, file);
            Assert.True(File.Exists(path) && new FileInfo(path).Length > 0, $"{file} is missing from the published output.");
        }
    }
}
