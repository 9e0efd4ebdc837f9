using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using TorchSharp;
using static TorchSharp.torch;

namespace GenNet.Data;

/// <summary>
/// PyTorch's <c>DataLoader</c> on threads: batches of a dataset in sampler order, loaded ahead by worker threads.
/// Enumerating it is one epoch; enumerating again is the next.
/// </summary>
/// <remarks>
/// <para><b>Order and determinism.</b> Batches arrive in the order of the batch sampler for any number of workers.
/// With a <c>seed</c>, the shuffled order of every epoch and <see cref="DataLoaderContext.Random"/> depend only on the seed,
/// the epoch and the batch index, so 0, 1, 2 or 4 workers give the same batches.</para>
/// <para><b>Workers.</b> With <c>numWorkers</c> &gt; 0, that many threads load whole batches (fetch + collate) while
/// you use earlier ones, at most <c>numWorkers × prefetchFactor</c> batches ahead. Threads, not processes: nothing is
/// pickled, and items are read straight from the dataset object, so its indexer must allow concurrent calls. A failure
/// surfaces on your thread as a <see cref="DataLoaderException"/> naming the dataset index when that batch is reached.
/// Breaking out of the loop, disposing the enumerator or the loader, or cancelling stops the workers: threads of a
/// non-persistent loader have exited when the enumerator's Dispose returns (a thread stuck inside your dataset code gets
/// up to 10 s and is a background thread; long item loads can watch <see cref="DataLoaderContext.CancellationToken"/>).
/// With <c>consumerLoads</c>, your thread also loads queued batches while it waits, instead of sleeping. Without a
/// <c>timeout</c>, a consumer that has caught up with the workers sleeps until a few batches are ready, for at most
/// 1 ms, rather than waking once per batch (each wake-up is a context switch).</para>
/// <para><b>Ownership and dispose scopes.</b> Every batch belongs to you: the loader never disposes a batch it has
/// handed out (TorchSharp's loader disposes the previous batch on the next step). TorchSharp's dispose scopes are
/// per thread, so the loader loads each batch inside its own scope on the loading thread (which disposes the per-item
/// temporaries), detaches the batch's tensors from it, and on your thread hands them over as if they had been created
/// there at that moment: if a dispose scope is open on your thread, the batch joins it; otherwise dispose it yourself
/// (or let the finalizer). The idiom is <c>foreach (var (x, y) in loader) { using var scope = NewDisposeScope(); … }</c>
/// with the batch disposed explicitly, or a scope opened around each step that encloses the <c>MoveNext</c>.
/// Batches a stopped epoch had loaded but not handed out are disposed by the loader. The loader never disposes the
/// dataset either (TorchSharp's does by default).</para>
/// <para><b>Devices.</b> With a CUDA <c>device</c>, batches are copied to it on your thread; with <c>pinMemory</c> the
/// managed leaves are collated straight into page-locked buffers (other tensors are pinned on the worker) and the copy
/// is non-blocking. Without CUDA, <c>pinMemory</c> does nothing (as PyTorch, which warns).</para>
/// </remarks>
/// <typeparam name="TItem">The dataset's item type.</typeparam>
/// <typeparam name="TBatch">The batch type the collate function (or the batch-indexed dataset) produces.</typeparam>
public sealed class DatasetLoader<TItem, TBatch> : DataLoader<TBatch>
{
    private static readonly TimeSpan LookAheadLimit = TimeSpan.FromMilliseconds(1);

    private readonly IDataset<TItem> _dataset;
    private readonly BatchFetcher<TItem, TBatch> _fetcher;
    private readonly bool _pin;
    private readonly Device? _transferDevice;
    private readonly Random? _seeds;
    private readonly CancellationTokenSource _disposed = new();
    private readonly List<WorkerPool<TBatch>> _pools = new();
    private WorkerPool<TBatch>? _persistentPool;
    private int _epoch;

    /// <summary>Creates a loader; the parameters and their exclusions are PyTorch's.</summary>
    /// <param name="dataset">The dataset. If it also implements <see cref="IBatchDataset{TBatch}"/> and no
    /// <paramref name="collate"/> is given, each batch is fetched with one <see cref="IBatchDataset{TBatch}.GetBatch"/> call.</param>
    /// <param name="batchSize">Items per batch (default 1); <see langword="null"/> turns automatic batching off, so each
    /// "batch" is one item converted without a batch dimension.</param>
    /// <param name="shuffle">Draw a new random order every epoch (excludes <paramref name="sampler"/>).</param>
    /// <param name="sampler">The order of indices (excludes <paramref name="shuffle"/>).</param>
    /// <param name="batchSampler">Whole batches of indices (excludes batchSize ≠ 1, shuffle, sampler and dropLast).</param>
    /// <param name="numWorkers">Worker threads; 0 loads on the consumer's thread.</param>
    /// <param name="collate">Turns a list of items into a batch; default <see cref="DefaultCollate.For{TItem, TBatch}"/>.
    /// With automatic batching off it receives a list of one item.</param>
    /// <param name="pinMemory">Put batches in page-locked memory for fast, asynchronous copies to CUDA (needs CUDA).</param>
    /// <param name="dropLast">Drop the last, incomplete batch.</param>
    /// <param name="timeout">How long to wait for a batch from the workers before a <see cref="TimeoutException"/>;
    /// <see langword="null"/> or zero waits forever. No effect without workers (as PyTorch).</param>
    /// <param name="prefetchFactor">Batches loaded ahead per worker (default 2); only with workers.</param>
    /// <param name="persistentWorkers">Keep the worker threads between epochs (until disposal); only with workers.</param>
    /// <param name="device">Copy each batch to this device on the consumer's thread (CUDA), or leave it on the CPU.</param>
    /// <param name="seed">Seed for shuffling and <see cref="DataLoaderContext.Random"/> (PyTorch's generator). Without it,
    /// each epoch draws its seeds from TorchSharp's global generator when it starts, as PyTorch does, so
    /// <c>torch.manual_seed</c> alone reproduces a run.</param>
    /// <param name="consumerLoads">GenNet only: while the next batch is not ready, the consumer's thread loads queued
    /// batches itself instead of sleeping (workers + 1 loading threads, fewer thread wake-ups; best when the consumer has
    /// little else to do). Excludes <paramref name="timeout"/>; only with workers.</param>
    /// <exception cref="ArgumentException">An option is out of range or conflicts with another.</exception>
    public DatasetLoader(
        IDataset<TItem> dataset,
        int? batchSize = 1,
        bool shuffle = false,
        ISampler? sampler = null,
        IBatchSampler? batchSampler = null,
        int numWorkers = 0,
        Func<IReadOnlyList<TItem>, TBatch>? collate = null,
        bool pinMemory = false,
        bool dropLast = false,
        TimeSpan? timeout = null,
        int? prefetchFactor = null,
        bool persistentWorkers = false,
        Device? device = null,
        int? seed = null,
        bool consumerLoads = false)
    {
        _dataset = dataset ?? throw new ArgumentNullException(nameof(dataset));
        if (numWorkers < 0)
            throw new ArgumentOutOfRangeException(nameof(numWorkers), numWorkers, "numWorkers must be 0 (load on the consumer's thread) or more.");
        if (timeout is { } t && t < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "timeout must be zero (wait forever) or positive.");
        if (prefetchFactor is not null && numWorkers == 0)
            throw new ArgumentException("prefetchFactor only applies with workers: leave it null when numWorkers is 0.", nameof(prefetchFactor));
        if (prefetchFactor is < 1)
            throw new ArgumentOutOfRangeException(nameof(prefetchFactor), prefetchFactor, "prefetchFactor must be at least 1.");
        if (persistentWorkers && numWorkers == 0)
            throw new ArgumentException("persistentWorkers needs numWorkers > 0.", nameof(persistentWorkers));
        if (consumerLoads && numWorkers == 0)
            throw new ArgumentException("consumerLoads needs numWorkers > 0 (without workers the consumer loads everything).", nameof(consumerLoads));
        if (consumerLoads && timeout is { } limit && limit > TimeSpan.Zero)
            throw new ArgumentException("consumerLoads and timeout are mutually exclusive: a batch the consumer loads cannot time out.", nameof(consumerLoads));
        if (sampler is not null && shuffle)
            throw new ArgumentException("sampler and shuffle are mutually exclusive: the sampler decides the order.", nameof(shuffle));
        if (batchSampler is not null && (batchSize != 1 || shuffle || sampler is not null || dropLast))
            throw new ArgumentException(
                "batchSampler is mutually exclusive with batchSize (other than 1), shuffle, sampler and dropLast: it decides all of them.",
                nameof(batchSampler));
        if (batchSize is null && dropLast)
            throw new ArgumentException("batchSize null (no automatic batching) is mutually exclusive with dropLast.", nameof(dropLast));
        if (batchSize is <= 0)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be positive, or null to turn automatic batching off.");
        if (device is { type: DeviceType.CUDA } && !cuda.is_available())
            throw new ArgumentException($"device {device} was requested but CUDA is not available on this machine.", nameof(device));

        _seeds = seed is { } fixedSeed ? new Random(fixedSeed) : null;
        _pin = pinMemory && cuda.is_available();
        _transferDevice = device is { type: not DeviceType.CPU } ? device : null;
        if ((_pin || _transferDevice is not null) && !BatchTensors.CanMap(typeof(TBatch)))
            throw new ArgumentException(
                $"Batches of type {typeof(TBatch)} cannot be pinned or moved to {device}; use a supported batch type (see BatchTensors.Map) or move them yourself.",
                nameof(device));

        var autoBatching = batchSize is not null;
        Sampler = batchSampler is null ? sampler ?? (shuffle ? new RandomSampler(dataset.Count, _seeds?.NextInt64()) : new SequentialSampler(dataset.Count)) : null;
        BatchSampler = batchSampler ?? new BatchSampler(Sampler!, batchSize ?? 1, dropLast);
        BatchSize = batchSampler is null ? batchSize : null;
        DropLast = dropLast;
        NumWorkers = numWorkers;
        Timeout = timeout is { } w && w > TimeSpan.Zero ? w : null;
        PrefetchFactor = numWorkers > 0 ? prefetchFactor ?? 2 : null;
        PersistentWorkers = persistentWorkers;
        Device = device;
        PinMemory = _pin;
        ConsumerLoads = consumerLoads;

        // The fetcher (fetch.py): one GetBatch call when the dataset can, else items + collate. The default collate is only
        // built (and its batch type checked) when it is used.
        var batchDataset = collate is null && autoBatching ? dataset as IBatchDataset<TBatch> : null;
        _fetcher = new BatchFetcher<TItem, TBatch>(dataset, batchDataset, batchDataset is not null ? null : collate ?? (autoBatching
            ? DefaultCollate.For<TItem, TBatch>(_pin)
            : DefaultCollate.ForSingle<TItem, TBatch>()));
    }

    /// <summary>The dataset.</summary>
    public IDataset<TItem> Dataset => _dataset;

    /// <summary>Items per batch; <see langword="null"/> when a batch sampler was given or automatic batching is off.</summary>
    public int? BatchSize { get; }

    /// <summary>Whether the last, incomplete batch is dropped.</summary>
    public bool DropLast { get; }

    /// <summary>The index sampler, or <see langword="null"/> when a batch sampler was given.</summary>
    public ISampler? Sampler { get; }

    /// <summary>The batch sampler that decides every epoch's batches.</summary>
    public IBatchSampler BatchSampler { get; }

    /// <summary>The number of worker threads (0: load on the consumer's thread).</summary>
    public int NumWorkers { get; }

    /// <summary>Batches loaded ahead per worker; <see langword="null"/> without workers.</summary>
    public int? PrefetchFactor { get; }

    /// <summary>Whether worker threads live across epochs.</summary>
    public bool PersistentWorkers { get; }

    /// <summary>Whether batches are put in pinned memory (requested and CUDA available).</summary>
    public bool PinMemory { get; }

    /// <summary>Whether the consumer's thread loads queued batches while it waits.</summary>
    public bool ConsumerLoads { get; }

    /// <summary>The wait limit per batch, or <see langword="null"/> for none.</summary>
    public TimeSpan? Timeout { get; }

    /// <summary>The device batches are moved to, if any.</summary>
    public Device? Device { get; }

    /// <inheritdoc/>
    public override int Count => BatchSampler.Count;

    /// <inheritdoc/>
    public override IEnumerable<TBatch> Iterate(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        return NumWorkers == 0 ? Sequential(cancellationToken) : Parallel(cancellationToken);
    }

    /// <summary>Stops and joins the worker threads; batches already handed out stay valid.</summary>
    public override void Dispose()
    {
        if (_disposed.IsCancellationRequested)
            return;
        _disposed.Cancel();
        WorkerPool<TBatch>[] running;
        lock (_pools)
            running = _pools.ToArray();
        foreach (var pool in running)
            pool.Dispose();
    }

    private (int Epoch, long Seed) NextEpoch()
    {
        // Without a seed of its own, the epoch's base seed comes from the global generator as the epoch starts (PyTorch's
        // base_seed), so torch.manual_seed alone reproduces the run.
        lock (_disposed)
            return (_epoch++, _seeds?.NextInt64() ?? RandomSampler.DrawGlobalSeed());
    }

    /// <summary>No workers: each batch is loaded on the consumer's thread when it is asked for.</summary>
    private IEnumerable<TBatch> Sequential(CancellationToken cancellationToken)
    {
        var (epochNumber, epochSeed) = NextEpoch();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        var batchIndex = 0;
        foreach (var indices in BatchSampler)
        {
            ThrowIfStopped(linked.Token, cancellationToken);
            var context = new DataLoaderContext(-1, 0, epochNumber, batchIndex, RandomSampler.SeedFor(epochSeed, batchIndex), linked.Token);
            batchIndex++;
            yield return Deliver(Load(indices, context));
        }
    }

    /// <summary>
    /// Workers: a window of batches in flight, handed out in sampler order. Batches first .. next-1 are queued or loaded;
    /// batch b sits at window[b % window size].
    /// </summary>
    private IEnumerable<TBatch> Parallel(CancellationToken cancellationToken)
    {
        var (epochNumber, epochSeed) = NextEpoch();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        var pool = PersistentWorkers ? _persistentPool ??= StartPool() : StartPool();
        var maxInFlight = NumWorkers * PrefetchFactor!.Value;
        var window = new BatchSlot<TBatch>[maxInFlight];
        var first = 0;
        var next = 0;
        // Without a per-batch timeout, a consumer that has caught up sleeps until a few batches are ready (or
        // LookAheadLimit has passed) instead of waking for each one: every wake-up costs a context switch (tens of µs of
        // CPU on a busy 2-core VM), which otherwise dominates loading from memory. It never waits for the last batches
        // handed out, so the workers stay busy while it sleeps.
        var lookAhead = Timeout is null ? maxInFlight / 4 : 0;
        using var batches = BatchSampler.GetEnumerator();
        try
        {
            while (true)
            {
                ThrowIfStopped(linked.Token, cancellationToken);
                // Refill in bursts (below half the window) so a worker that caught up wakes once per burst, not per batch.
                var refill = next - first <= maxInFlight / 2;
                while (refill && next - first < maxInFlight && batches.MoveNext())
                {
                    var slot = new BatchSlot<TBatch>(batches.Current, epochNumber, next, RandomSampler.SeedFor(epochSeed, next));
                    window[next % maxInFlight] = slot;
                    next++;
                    pool.Enqueue(slot);
                }
                if (next == first)
                    yield break;
                var head = window[first % maxInFlight];
                if (!head.Done.IsSet)
                {
                    if (ConsumerLoads && pool.TryTake() is { } job)
                    {
                        // Rather than sleep until the head is ready, load a queued batch here, then refill and look again:
                        // batches stay in order, and the consumer's idle thread adds throughput without a wake-up per batch.
                        pool.Load(job, -1, linked.Token);
                        continue;
                    }
                    WaitFor(window, first, Math.Min(lookAhead, next - first - 1 - NumWorkers), linked.Token, cancellationToken);
                }
                window[first % maxInFlight] = null!;
                first++;
                if (head.Error is { } error)
                    throw error;
                var batch = head.Result!;
                head.Result = default;
                yield return Deliver(batch);
            }
        }
        finally
        {
            for (var b = first; b < next; b++)
                window[b % maxInFlight].Abandon();
            if (!PersistentWorkers)
                pool.Dispose();
        }
    }

    /// <summary>Waits until batch <paramref name="first"/> of the window is done, sleeping first until the batch
    /// <paramref name="ahead"/> places after it is done (at most <see cref="LookAheadLimit"/>) when that is positive.</summary>
    private void WaitFor(BatchSlot<TBatch>[] window, int first, int ahead, CancellationToken linked, CancellationToken caller)
    {
        var head = window[first % window.Length];
        try
        {
            // Bounded, so a slow batch further on never holds back batches that are ready before it by more than that.
            if (ahead > 0)
                window[(first + ahead) % window.Length].Done.Wait(LookAheadLimit, linked);
            if (!head.Done.Wait(Timeout ?? System.Threading.Timeout.InfiniteTimeSpan, linked))
                throw new TimeoutException(
                    $"DataLoader timed out after {Timeout!.Value.TotalSeconds:0.###} s waiting for batch {head.BatchIndex} " +
                    $"(dataset indices {BatchFetcher<TItem, TBatch>.Preview(head.Indices)}) from its {NumWorkers} worker(s).");
        }
        catch (OperationCanceledException)
        {
            ThrowIfStopped(linked, caller);
            throw;
        }
    }

    private void ThrowIfStopped(CancellationToken linked, CancellationToken caller)
    {
        caller.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        linked.ThrowIfCancellationRequested();
    }

    private WorkerPool<TBatch> StartPool()
    {
        var pool = new WorkerPool<TBatch>(NumWorkers, Load, stopped =>
        {
            lock (_pools)
                _pools.Remove(stopped);
        });
        lock (_pools)
        {
            if (_disposed.IsCancellationRequested)
            {
                pool.Dispose();
                throw new ObjectDisposedException(GetType().FullName);
            }
            _pools.Add(pool);
        }
        return pool;
    }

    /// <summary>On the loading thread: fetch (and collate), pin, and detach the batch from this thread's dispose scope.</summary>
    private TBatch Load(int[] indices, DataLoaderContext context)
    {
        var previous = DataLoaderContext.Enter(context);
        // Scopes are per thread: everything the dataset and collate create here is disposed with this scope, except the
        // batch's own tensors, which are detached and handed to the consumer.
        using var scope = NewDisposeScope();
        try
        {
            var batch = _fetcher.Fetch(indices, context);
            if (_pin)
                batch = BatchPlacement.Pin(batch);
            BatchPlacement.DetachFrom(scope, batch);
            return batch;
        }
        finally
        {
            DataLoaderContext.Exit(previous);
        }
    }

    /// <summary>On the consumer's thread: the batch joins the consumer's dispose scope, on the requested device.</summary>
    private TBatch Deliver(TBatch batch) =>
        // Tensors created by the copy join the consumer's current scope by themselves.
        _transferDevice is not null ? BatchPlacement.ToDevice(batch, _transferDevice, nonBlocking: _pin) : BatchPlacement.Adopt(batch);
}
