using System;
using System.Collections;
using System.Collections.Generic;
using System.Threading;

namespace GenNet.Data;

/// <summary>An order of dataset indices for one epoch (PyTorch's <c>Sampler</c>); each enumeration is one epoch.</summary>
public interface ISampler : IEnumerable<int>
{
    /// <summary>The number of indices one epoch yields.</summary>
    int Count { get; }
}

/// <summary>Groups of indices, one group per batch (PyTorch's <c>batch_sampler</c>); each enumeration is one epoch.</summary>
public interface IBatchSampler : IEnumerable<int[]>
{
    /// <summary>The number of batches one epoch yields.</summary>
    int Count { get; }
}

/// <summary>0, 1, …, count − 1 every epoch.</summary>
public sealed class SequentialSampler : ISampler
{
    /// <summary>Creates a sampler over <paramref name="count"/> indices.</summary>
    public SequentialSampler(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Count = count;
    }

    /// <inheritdoc/>
    public int Count { get; }

    /// <inheritdoc/>
    public IEnumerator<int> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
            yield return i;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// A random permutation of 0 … count − 1, a new one every epoch. With a seed the sequence of epochs is reproducible:
/// two samplers with the same seed yield the same permutations, epoch after epoch (TorchSharp's shuffler repeats the
/// first permutation every epoch instead). Without one, as PyTorch's <c>RandomSampler</c> without a generator, each
/// epoch draws its seed from TorchSharp's global generator when it starts, so <c>torch.manual_seed</c> reproduces it.
/// </summary>
public sealed class RandomSampler : ISampler
{
    private readonly long? _seed;
    private int _epoch;

    /// <summary>Creates a sampler over <paramref name="count"/> indices; without <paramref name="seed"/> every epoch's seed
    /// is drawn from TorchSharp's global generator.</summary>
    public RandomSampler(int count, long? seed = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Count = count;
        _seed = seed;
    }

    /// <inheritdoc/>
    public int Count { get; }

    /// <summary>The epoch the next enumeration yields (starts at 0; each enumeration advances it).</summary>
    public int Epoch
    {
        get => Volatile.Read(ref _epoch);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            Volatile.Write(ref _epoch, value);
        }
    }

    /// <summary>The permutation of epoch <paramref name="epochNumber"/>: a pure function of the seed and the epoch.</summary>
    /// <exception cref="InvalidOperationException">The sampler has no seed (its epochs follow the global generator).</exception>
    public int[] Permutation(int epochNumber) =>
        Permutation(_seed ?? throw new InvalidOperationException(
            "This RandomSampler has no seed: each epoch draws one from TorchSharp's global generator. Give it a seed to replay an epoch by number."),
            epochNumber);

    /// <inheritdoc/>
    public IEnumerator<int> GetEnumerator()
    {
        var epochNumber = Interlocked.Increment(ref _epoch) - 1;
        // A drawn seed is new every epoch already; only a fixed seed needs the epoch number to vary the order.
        var order = _seed is { } seed ? Permutation(seed, epochNumber) : Permutation(DrawGlobalSeed(), 0);
        return ((IEnumerable<int>)order).GetEnumerator();
    }

    private int[] Permutation(long seed, int epochNumber)
    {
        var order = new int[Count];
        for (var i = 0; i < order.Length; i++)
            order[i] = i;
        // Seeded Random uses a fixed, documented-stable algorithm, so (seed, epoch) → permutation never changes.
        new Random(SeedFor(seed, epochNumber)).Shuffle(order);
        return order;
    }

    /// <summary>A seed from TorchSharp's global generator (PyTorch's <c>torch.empty((), dtype=torch.int64).random_()</c>),
    /// so <c>torch.manual_seed</c> decides it.</summary>
    internal static long DrawGlobalSeed()
    {
        using var drawn = TorchSharp.torch.randint(long.MaxValue, [1], dtype: TorchSharp.torch.ScalarType.Int64);
        return drawn.item<long>();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal static int SeedFor(long seed, long stream)
    {
        // SplitMix64 finaliser: nearby (seed, stream) pairs give unrelated seeds.
        var z = unchecked((ulong)seed + 0x9E3779B97F4A7C15UL * (ulong)(stream + 1));
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)((z ^ (z >> 31)) & int.MaxValue);
    }
}

/// <summary>
/// Chunks the indices of a sampler into batches of <c>batchSize</c> (PyTorch's <c>BatchSampler</c>); the last, shorter
/// batch is kept unless <c>dropLast</c>. <see cref="Count"/> is <c>n / batchSize</c> with dropLast, else
/// <c>ceil(n / batchSize)</c>.
/// </summary>
public sealed class BatchSampler : IBatchSampler
{
    /// <summary>Creates a batch sampler.</summary>
    public BatchSampler(ISampler sampler, int batchSize, bool dropLast = false)
    {
        Sampler = sampler ?? throw new ArgumentNullException(nameof(sampler));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        BatchSize = batchSize;
        DropLast = dropLast;
    }

    /// <summary>The sampler whose indices are chunked.</summary>
    public ISampler Sampler { get; }

    /// <summary>The number of indices per full batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether a last, incomplete batch is dropped.</summary>
    public bool DropLast { get; }

    /// <inheritdoc/>
    public int Count => DropLast ? Sampler.Count / BatchSize : (Sampler.Count + BatchSize - 1) / BatchSize;

    /// <inheritdoc/>
    public IEnumerator<int[]> GetEnumerator()
    {
        var batch = new int[BatchSize];
        var filled = 0;
        foreach (var index in Sampler)
        {
            batch[filled++] = index;
            if (filled == BatchSize)
            {
                yield return batch;
                batch = new int[BatchSize];
                filled = 0;
            }
        }
        if (filled > 0 && !DropLast)
            yield return batch.AsSpan(0, filled).ToArray();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
