using System;
using System.Collections.Generic;
using System.Reflection;
using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace GenNet.Data;

/// <summary>
/// <c>dataset.ToDataLoader(…)</c>: builds a loader with its type arguments inferred from the dataset (and from the collate
/// function when one is given), so <c>new DataLoader&lt;TItem, TBatch&gt;(…)</c> never has to be spelled out. The options
/// are the constructor's (PyTorch's), see <see cref="DatasetLoader{TItem, TBatch}"/>.
/// </summary>
/// <remarks>
/// Without a collate function the batch type follows from the item type, as PyTorch's <c>default_collate</c> decides it:
/// pairs <c>(x, y)</c> of arrays, memory, numbers or tensors → <c>(Tensor X, Tensor Y)</c>; triples → three tensors;
/// tensors → <see cref="Tensor"/>; dictionary rows → <c>Dictionary&lt;string, Tensor&gt;</c>; a batch-indexed dataset
/// (<see cref="IBatchDataset{TBatch}"/>, e.g. <see cref="TensorPairDataset"/>) → its own batch type, fetched one
/// <see cref="IBatchDataset{TBatch}.GetBatch"/> call per batch. Other item types take a collate function.
/// </remarks>
public static class DataLoaderExtensions
{
    /// <summary>A loader whose batches are made by <paramref name="collate"/>; both type arguments are inferred.</summary>
    /// <inheritdoc cref="DatasetLoader{TItem, TBatch}.DatasetLoader" path="/param"/>
    /// <inheritdoc cref="DatasetLoader{TItem, TBatch}.DatasetLoader" path="/exception"/>
    public static DataLoader<TBatch> ToDataLoader<TItem, TBatch>(this IDataset<TItem> dataset, Func<IReadOnlyList<TItem>, TBatch> collate,
        int? batchSize = 1, bool shuffle = false, ISampler? sampler = null, IBatchSampler? batchSampler = null, int numWorkers = 0,
        bool pinMemory = false, bool dropLast = false, TimeSpan? timeout = null, int? prefetchFactor = null, bool persistentWorkers = false,
        Device? device = null, int? seed = null, bool consumerLoads = false)
    {
        ArgumentNullException.ThrowIfNull(collate);
        return new DatasetLoader<TItem, TBatch>(dataset, batchSize, shuffle, sampler, batchSampler, numWorkers, collate, pinMemory, dropLast,
            timeout, prefetchFactor, persistentWorkers, device, seed, consumerLoads);
    }

    /// <summary>A loader of <c>(x, y)</c> items (arrays, memory, numbers or tensors), batched by the default collate into
    /// <c>(Tensor X, Tensor Y)</c>.</summary>
    /// <inheritdoc cref="DatasetLoader{TItem, TBatch}.DatasetLoader" path="/param"/>
    /// <inheritdoc cref="DatasetLoader{TItem, TBatch}.DatasetLoader" path="/exception"/>
    public static DataLoader<(Tensor X, Tensor Y)> ToDataLoader<T1, T2>(this IDataset<(T1, T2)> dataset,
        int? batchSize = 1, bool shuffle = false, ISampler? sampler = null, IBatchSampler? batchSampler = null, int numWorkers = 0,
        bool pinMemory = false, bool dropLast = false, TimeSpan? timeout = null, int? prefetchFactor = null, bool persistentWorkers = false,
        Device? device = null, int? seed = null, bool consumerLoads = false) =>
        new DatasetLoader<(T1, T2), (Tensor X, Tensor Y)>(dataset, batchSize, shuffle, sampler, batchSampler, numWorkers, null, pinMemory, dropLast,
            timeout, prefetchFactor, persistentWorkers, device, seed, consumerLoads);

    /// <summary>A loader of <c>(a, b, c)</c> items, batched by the default collate into three tensors.</summary>
    /// <inheritdoc cref="DatasetLoader{TItem, TBatch}.DatasetLoader" path="/param"/>
    /// <inheritdoc cref="DatasetLoader{TItem, TBatch}.DatasetLoader" path="/exception"/>
    public static DataLoader<(Tensor, Tensor, Tensor)> ToDataLoader<T1, T2, T3>(this IDataset<(T1, T2, T3)> dataset,
        int? batchSize = 1, bool shuffle = false, ISampler? sampler = null, IBatchSampler? batchSampler = null, int numWorkers = 0,
        bool pinMemory = false, bool dropLast = false, TimeSpan? timeout = null, int? prefetchFactor = null, bool persistentWorkers = false,
        Device? device = null, int? seed = null, bool consumerLoads = false) =>
        new DatasetLoader<(T1, T2, T3), (Tensor, Tensor, Tensor)>(dataset, batchSize, shuffle, sampler, batchSampler, numWorkers, null, pinMemory,
            dropLast, timeout, prefetchFactor, persistentWorkers, device, seed, consumerLoads);

    /// <summary>A loader of tensor items, stacked by the default collate into one <see cref="Tensor"/> per batch.</summary>
    /// <inheritdoc cref="DatasetLoader{TItem, TBatch}.DatasetLoader" path="/param"/>
    /// <inheritdoc cref="DatasetLoader{TItem, TBatch}.DatasetLoader" path="/exception"/>
    public static DataLoader<Tensor> ToDataLoader(this IDataset<Tensor> dataset,
        int? batchSize = 1, bool shuffle = false, ISampler? sampler = null, IBatchSampler? batchSampler = null, int numWorkers = 0,
        bool pinMemory = false, bool dropLast = false, TimeSpan? timeout = null, int? prefetchFactor = null, bool persistentWorkers = false,
        Device? device = null, int? seed = null, bool consumerLoads = false) =>
        new DatasetLoader<Tensor, Tensor>(dataset, batchSize, shuffle, sampler, batchSampler, numWorkers, null, pinMemory, dropLast,
            timeout, prefetchFactor, persistentWorkers, device, seed, consumerLoads);

    /// <summary>A loader of dictionary rows (e.g. <c>{"image": …, "label": …}</c>), collated key by key into
    /// <c>Dictionary&lt;string, Tensor&gt;</c> in the first row's key order.</summary>
    /// <inheritdoc cref="DatasetLoader{TItem, TBatch}.DatasetLoader" path="/param"/>
    /// <inheritdoc cref="DatasetLoader{TItem, TBatch}.DatasetLoader" path="/exception"/>
    public static DataLoader<Dictionary<string, Tensor>> ToDataLoader<TValue>(this IDataset<IReadOnlyDictionary<string, TValue>> dataset,
        int? batchSize = 1, bool shuffle = false, ISampler? sampler = null, IBatchSampler? batchSampler = null, int numWorkers = 0,
        bool pinMemory = false, bool dropLast = false, TimeSpan? timeout = null, int? prefetchFactor = null, bool persistentWorkers = false,
        Device? device = null, int? seed = null, bool consumerLoads = false) =>
        new DatasetLoader<IReadOnlyDictionary<string, TValue>, Dictionary<string, Tensor>>(dataset, batchSize, shuffle, sampler, batchSampler,
            numWorkers, null, pinMemory, dropLast, timeout, prefetchFactor, persistentWorkers, device, seed, consumerLoads);

    /// <summary>
    /// A loader over a batch-indexed dataset (<see cref="TensorPairDataset"/>, your own <see cref="IBatchDataset{TBatch}"/>):
    /// each batch is one <see cref="IBatchDataset{TBatch}.GetBatch"/> call, and the batch type is the dataset's. Preferred
    /// over the item overloads when the dataset is both (the fast path); pass <c>batchSize: null</c> or a collate function
    /// to load item by item instead.
    /// </summary>
    /// <inheritdoc cref="DatasetLoader{TItem, TBatch}.DatasetLoader" path="/param"/>
    /// <inheritdoc cref="DatasetLoader{TItem, TBatch}.DatasetLoader" path="/exception"/>
    [OverloadResolutionPriority(1)]
    public static DataLoader<TBatch> ToDataLoader<TBatch>(this IBatchDataset<TBatch> dataset,
        int batchSize = 1, bool shuffle = false, ISampler? sampler = null, IBatchSampler? batchSampler = null, int numWorkers = 0,
        bool pinMemory = false, bool dropLast = false, TimeSpan? timeout = null, int? prefetchFactor = null, bool persistentWorkers = false,
        Device? device = null, int? seed = null, bool consumerLoads = false)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        object?[] arguments = [dataset, batchSize, shuffle, sampler, batchSampler, numWorkers, pinMemory, dropLast, timeout, prefetchFactor,
            persistentWorkers, device, seed, consumerLoads];
        // The loader is typed by the dataset's item type too (its Dataset, samplers and error messages speak of items), which
        // the compiler cannot infer from IBatchDataset<TBatch> alone: read it from the object. A dataset that has no items
        // of its own is served by a view whose item i is the batch [i].
        var itemType = ItemTypeOf(dataset.GetType()) ?? typeof(TBatch);
        var create = typeof(DataLoaderExtensions).GetMethod(nameof(CreateBatched), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(itemType, typeof(TBatch));
        try
        {
            return (DataLoader<TBatch>)create.Invoke(null, arguments)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }

    private static Type? ItemTypeOf(Type datasetType)
    {
        foreach (var candidate in datasetType.GetInterfaces())
        {
            if (candidate.IsGenericType && candidate.GetGenericTypeDefinition() == typeof(IDataset<>))
                return candidate.GetGenericArguments()[0];
        }
        return null;
    }

    private static DataLoader<TBatch> CreateBatched<TItem, TBatch>(IBatchDataset<TBatch> dataset, int batchSize, bool shuffle, ISampler? sampler,
        IBatchSampler? batchSampler, int numWorkers, bool pinMemory, bool dropLast, TimeSpan? timeout, int? prefetchFactor, bool persistentWorkers,
        Device? device, int? seed, bool consumerLoads)
    {
        var items = dataset as IDataset<TItem> ?? (IDataset<TItem>)(object)new BatchItems<TBatch>(dataset);
        return new DatasetLoader<TItem, TBatch>(items, batchSize, shuffle, sampler, batchSampler, numWorkers, null, pinMemory, dropLast, timeout,
            prefetchFactor, persistentWorkers, device, seed, consumerLoads);
    }

    /// <summary>Items of a dataset that only has batches: item i is the batch of the one index i.</summary>
    private sealed class BatchItems<TBatch>(IBatchDataset<TBatch> batches) : IDataset<TBatch>, IBatchDataset<TBatch>
    {
        public int Count => batches.Count;

        public TBatch this[int index] => batches.GetBatch([index]);

        public TBatch GetBatch(ReadOnlySpan<int> indices) => batches.GetBatch(indices);
    }
}
