namespace LiveSession.Server.Tests;

/// <summary>A deadline for every await that could hang, so a hung test fails fast instead of stalling the run.</summary>
internal static class TaskTimeoutExtensions
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static Task DefaultTimeout(this Task task) => task.WaitAsync(Timeout);

    public static Task<T> DefaultTimeout<T>(this Task<T> task) => task.WaitAsync(Timeout);
}
