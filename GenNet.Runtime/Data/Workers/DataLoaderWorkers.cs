using System.Threading;

namespace GenNet.Data;

/// <summary>
/// Diagnostics shared by all loaders' worker threads. (Not a static <c>DataLoader</c> class: that simple name belongs to
/// TorchSharp.Modules' loader, which the ordinary imports bring in next to GenNet.Data.)
/// </summary>
public static class DataLoaderWorkers
{
    private static int _activeThreads;

    /// <summary>The number of loader worker threads alive in the process (0 once every loader is disposed or finished).</summary>
    public static int ActiveThreads => Volatile.Read(ref _activeThreads);

    internal static void Started() => Interlocked.Increment(ref _activeThreads);

    internal static void Stopped() => Interlocked.Decrement(ref _activeThreads);
}
