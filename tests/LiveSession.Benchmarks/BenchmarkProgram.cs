using LiveSession.Benchmarks.Baseline;
using LiveSession.Benchmarks.Load;

namespace LiveSession.Benchmarks;

public static class BenchmarkProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.WriteLine(BenchmarkOptions.Usage);
            return args.Length == 0 ? 2 : 0;
        }

        if (args[0] == "baseline")
        {
            var urls = args.SkipWhile(a => a != "--urls").Skip(1).FirstOrDefault() ?? "http://127.0.0.1:5080";
            return await BaselineServer.RunAsync(urls);
        }

        if (args[0] == ScreenProbe.Command && args.Length == 3)
        {
            return await ScreenProbe.RunChildAsync(args);
        }

        BenchmarkOptions options;
        try
        {
            options = BenchmarkOptions.Parse(args);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(BenchmarkOptions.Usage);
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        var report = await BenchmarkRunner.RunAsync(options, string.Join(' ', args), Console.Out, cancel.Token);
        Console.WriteLine(report.ToTable());
        Console.WriteLine($"JSON: {report.Save(BenchmarkRunner.ResultsDirectory(options))}");
        return report.Passed ? 0 : 1;
    }
}
