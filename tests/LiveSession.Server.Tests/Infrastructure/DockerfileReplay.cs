using System.Diagnostics;
using System.Text.RegularExpressions;

namespace LiveSession.Server.Tests.Infrastructure;

/// <summary>
/// What can be checked of <c>infra/Dockerfile</c> without a Docker engine: its build stage's <c>COPY</c>
/// instructions are replayed from the repository into a temporary folder (skipping what
/// <c>.dockerignore</c> excludes) and its <c>RUN dotnet …</c> lines are run there, with <c>/app</c>
/// pointed at a temporary output folder. The base images, <c>apt-get</c> lines and the runtime
/// stage are not run.
/// </summary>
public sealed partial class DockerfileReplay
{
    private DockerfileReplay(IReadOnlyList<DockerInstruction> instructions) => Instructions = instructions;

    public IReadOnlyList<DockerInstruction> Instructions { get; }

    public static DockerfileReplay Read() =>
        new(Parse(File.ReadAllLines(RepositoryFiles.Path("infra", "Dockerfile"))));

    /// <summary>The instructions from <c>FROM … AS {stage}</c> up to the next <c>FROM</c>.</summary>
    public IReadOnlyList<DockerInstruction> Stage(string stage) => Instructions
        .SkipWhile(i => !(i.Keyword == "FROM" && i.Arguments.EndsWith($" AS {stage}", StringComparison.OrdinalIgnoreCase)))
        .Skip(1)
        .TakeWhile(i => i.Keyword != "FROM")
        .ToList();

    /// <summary>The sources of every <c>COPY</c> that reads the build context (not <c>--from=</c>).</summary>
    public IEnumerable<string> ContextCopySources() => Instructions
        .Where(i => i.Keyword == "COPY" && !i.Arguments.StartsWith("--from=", StringComparison.Ordinal))
        .SelectMany(i => SplitArguments(i.Arguments)[..^1]);

    /// <summary>Replays the build stage into <paramref name="folder"/>; returns the published output folder.</summary>
    public async Task<string> ReplayBuildStageAsync(string folder, TimeSpan timeout)
    {
        var output = Path.Combine(folder, "app");
        var workDirectory = folder;
        foreach (var instruction in Stage("build"))
        {
            switch (instruction.Keyword)
            {
                case "WORKDIR":
                    workDirectory = Path.Combine(folder, instruction.Arguments.TrimStart('/'));
                    Directory.CreateDirectory(workDirectory);
                    break;
                case "COPY":
                    var arguments = SplitArguments(instruction.Arguments);
                    var destination = Path.Combine(workDirectory, arguments[^1]);
                    var intoFolder = arguments.Length > 2 || arguments[^1].EndsWith('/');
                    foreach (var source in arguments[..^1])
                    {
                        CopyFromContext(source, destination, intoFolder);
                    }

                    break;
                case "RUN" when instruction.Arguments.StartsWith("dotnet ", StringComparison.Ordinal):
                    await RunAsync(AppFolder().Replace(instruction.Arguments, output), workDirectory, timeout);
                    break;
            }
        }

        return output;
    }

    /// <summary>
    /// Copies a file (into <paramref name="destination"/> when it names a folder) or a folder's contents
    /// from the repository, as <c>docker build</c> would.
    /// </summary>
    private static void CopyFromContext(string source, string destination, bool intoFolder)
    {
        var path = RepositoryFiles.Path(source.TrimEnd('/'));
        if (File.Exists(path))
        {
            var target = intoFolder ? Path.Combine(destination, Path.GetFileName(path)) : destination;
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(path, target, overwrite: true);
            return;
        }

        foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(RepositoryFiles.Root, file);
            if (IsIgnored(relative))
            {
                continue;
            }

            var target = Path.Combine(destination, Path.GetRelativePath(path, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    /// <summary>The <c>.dockerignore</c> patterns in use here: <c>**/name/</c> (any folder of that name) and <c>name/</c> (top level).</summary>
    public static bool IsIgnored(string relativePath)
    {
        var segments = relativePath.Split(Path.DirectorySeparatorChar);
        foreach (var pattern in File.ReadAllLines(RepositoryFiles.Path(".dockerignore")).Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith('#')))
        {
            var folder = pattern.TrimEnd('/');
            var ignored = folder.StartsWith("**/", StringComparison.Ordinal)
                ? segments[..^1].Contains(folder[3..])
                : folder.Contains('/')
                    ? relativePath.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                    : segments.Length > 1 && segments[0] == folder;
            if (ignored)
            {
                return true;
            }
        }

        return false;
    }

    private static async Task RunAsync(string command, string workDirectory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("/bin/bash") { WorkingDirectory = workDirectory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        // The test host's MSBuild variables would steer the nested build to the test run's SDK state.
        foreach (var name in start.Environment.Keys.Where(name => name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not run: {command}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{command}` did not finish within {timeout}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{command}` failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        }
    }

    private static List<DockerInstruction> Parse(string[] lines)
    {
        var instructions = new List<DockerInstruction>();
        var pending = "";
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (pending.Length == 0 && (line.Length == 0 || line.StartsWith('#')))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }

            var full = pending + line;
            pending = "";
            var space = full.IndexOf(' ');
            instructions.Add(new DockerInstruction(full[..space].ToUpperInvariant(), full[(space + 1)..].Trim()));
        }

        return instructions;
    }

    private static string[] SplitArguments(string arguments) => arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [GeneratedRegex(@"(?<=\s)/app(?=\s|$)")]
    private static partial Regex AppFolder();
}

public sealed record DockerInstruction(string Keyword, string Arguments);
