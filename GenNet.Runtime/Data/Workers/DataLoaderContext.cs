using System;
using System.Threading;

namespace GenNet.Data;

/// <summary>
/// What a dataset's indexer or a collate function can learn about the batch being loaded (PyTorch's
/// <c>get_worker_info()</c>), available through <see cref="Current"/> on the loading thread.
/// </summary>
/// <remarks>
/// <see cref="Random"/> is seeded from the loader's seed, the epoch and the batch index only, not from the worker, so
/// random augmentations drawn from it give the same batches whatever the number of workers (PyTorch seeds per worker,
/// so its augmentations change with the worker count).
/// </remarks>
public sealed class DataLoaderContext
{
    [ThreadStatic] private static DataLoaderContext? _current;
    private Random? _random;

    internal DataLoaderContext(int workerId, int workerCount, int epoch, int batchIndex, int seed, CancellationToken cancellationToken)
    {
        WorkerId = workerId;
        WorkerCount = workerCount;
        Epoch = epoch;
        BatchIndex = batchIndex;
        Seed = seed;
        CancellationToken = cancellationToken;
    }

    /// <summary>The context of the batch this thread is loading, or <see langword="null"/> outside a loader.</summary>
    public static DataLoaderContext? Current => _current;

    /// <summary>The worker's number (0 … <see cref="WorkerCount"/> − 1), or −1 when the consumer's thread loads (no workers).</summary>
    public int WorkerId { get; }

    /// <summary>The loader's number of worker threads (0: loading on the consumer's thread).</summary>
    public int WorkerCount { get; }

    /// <summary>The epoch, counting the loader's enumerations from 0.</summary>
    public int Epoch { get; }

    /// <summary>The position of the batch in the epoch.</summary>
    public int BatchIndex { get; }

    /// <summary>A seed for this batch, a function of the loader's seed, the epoch and the batch index.</summary>
    public int Seed { get; }

    /// <summary>A random generator seeded with <see cref="Seed"/>, created on first use; use it for random transforms.</summary>
    public Random Random => _random ??= new Random(Seed);

    /// <summary>Signalled when the loader stops (disposed, cancelled, timed out or failed); long item loads may watch it.</summary>
    public CancellationToken CancellationToken { get; }

    internal static DataLoaderContext? Enter(DataLoaderContext context)
    {
        var previous = _current;
        _current = context;
        return previous;
    }

    internal static void Exit(DataLoaderContext? previous) => _current = previous;
}

/// <summary>
/// Loading a batch failed in the dataset or the collate function; raised on the consumer's thread when it reaches that
/// batch. <see cref="Exception.InnerException"/> is the original exception, with the stack of the thread that loaded.
/// </summary>
public sealed class DataLoaderException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DataLoaderException(string message, int batchIndex, int? index, int workerId, Exception? innerException)
        : base(message, innerException)
    {
        BatchIndex = batchIndex;
        Index = index;
        WorkerId = workerId;
    }

    /// <summary>The position of the failed batch in its epoch.</summary>
    public int BatchIndex { get; }

    /// <summary>The dataset index whose item failed, or <see langword="null"/> when the whole batch or the collate failed.</summary>
    public int? Index { get; }

    /// <summary>The worker that failed, or −1 for the consumer's thread.</summary>
    public int WorkerId { get; }
}
