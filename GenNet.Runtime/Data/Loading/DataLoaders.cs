using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace GenNet.Data;

/// <summary>
/// The lesson's <c>DataLoaders</c>: a training loader and a validation loader, kept together.
/// Deconstructs as <c>var (train, valid) = dls;</c>. Disposing it disposes both loaders.
/// </summary>
/// <typeparam name="TBatch">The batch type both loaders yield.</typeparam>
/// <param name="train">The training loader (usually shuffled).</param>
/// <param name="valid">The validation loader.</param>
public sealed class DataLoaders<TBatch>(DataLoader<TBatch> train, DataLoader<TBatch> valid) : IDisposable
{
    /// <summary>The training loader.</summary>
    public DataLoader<TBatch> Train { get; } = train ?? throw new ArgumentNullException(nameof(train));

    /// <summary>The validation loader.</summary>
    public DataLoader<TBatch> Valid { get; } = valid ?? throw new ArgumentNullException(nameof(valid));

    /// <summary>Deconstructs into <c>(train, valid)</c>.</summary>
    public void Deconstruct(out DataLoader<TBatch> train, out DataLoader<TBatch> valid) => (train, valid) = (Train, Valid);

    /// <summary>Disposes both loaders.</summary>
    public void Dispose()
    {
        Train.Dispose();
        Valid.Dispose();
    }
}

/// <summary>Builds <see cref="DataLoaders{TBatch}"/> pairs (the lesson's <c>get_dls</c> and <c>DataLoaders.from_dd</c>).</summary>
public static partial class DataLoaders
{
    /// <summary>
    /// The lesson's <c>get_dls(train_ds, valid_ds, bs)</c>: shuffled training batches of <paramref name="batchSize"/>,
    /// unshuffled validation batches of twice that size.
    /// </summary>
    /// <param name="train">The training dataset.</param>
    /// <param name="valid">The validation dataset.</param>
    /// <param name="batchSize">The training batch size.</param>
    /// <param name="collate">Turns a list of items into a batch.</param>
    /// <param name="numWorkers">Worker threads for each loader.</param>
    /// <param name="seed">Seeds the training loader's shuffling; without it, each epoch's order is drawn from TorchSharp's
    /// global generator (<c>torch.manual_seed</c>).</param>
    public static DataLoaders<TBatch> Create<TItem, TBatch>(IDataset<TItem> train, IDataset<TItem> valid, int batchSize,
        Func<IReadOnlyList<TItem>, TBatch> collate, int numWorkers = 0, int? seed = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentNullException.ThrowIfNull(collate);
        return Pair(train.ToDataLoader(collate, batchSize, shuffle: true, numWorkers: numWorkers, seed: seed),
            () => valid.ToDataLoader(collate, batchSize * 2, numWorkers: numWorkers));
    }

    /// <summary>
    /// <c>get_dls</c> for <c>(x, y)</c> items batched by the default collate into <c>(Tensor X, Tensor Y)</c>: shuffled
    /// training batches of <paramref name="batchSize"/>, unshuffled validation batches of twice that size.
    /// </summary>
    /// <param name="train">The training dataset.</param>
    /// <param name="valid">The validation dataset.</param>
    /// <param name="batchSize">The training batch size.</param>
    /// <param name="numWorkers">Worker threads for each loader.</param>
    /// <param name="seed">Seeds the training loader's shuffling; without it, each epoch's order is drawn from TorchSharp's
    /// global generator (<c>torch.manual_seed</c>).</param>
    public static DataLoaders<(Tensor X, Tensor Y)> Create<T1, T2>(IDataset<(T1, T2)> train, IDataset<(T1, T2)> valid, int batchSize,
        int numWorkers = 0, int? seed = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return Pair(train.ToDataLoader(batchSize, shuffle: true, numWorkers: numWorkers, seed: seed),
            () => valid.ToDataLoader(batchSize * 2, numWorkers: numWorkers));
    }

    /// <summary><c>get_dls</c> for tensor items, stacked into one <see cref="Tensor"/> per batch.</summary>
    /// <inheritdoc cref="Create{T1, T2}(IDataset{ValueTuple{T1, T2}}, IDataset{ValueTuple{T1, T2}}, int, int, int?)" path="/param"/>
    public static DataLoaders<Tensor> Create(IDataset<Tensor> train, IDataset<Tensor> valid, int batchSize, int numWorkers = 0, int? seed = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return Pair(train.ToDataLoader(batchSize, shuffle: true, numWorkers: numWorkers, seed: seed),
            () => valid.ToDataLoader(batchSize * 2, numWorkers: numWorkers));
    }

    /// <summary><c>get_dls</c> for dictionary rows, collated key by key into <c>Dictionary&lt;string, Tensor&gt;</c>.</summary>
    /// <inheritdoc cref="Create{T1, T2}(IDataset{ValueTuple{T1, T2}}, IDataset{ValueTuple{T1, T2}}, int, int, int?)" path="/param"/>
    public static DataLoaders<Dictionary<string, Tensor>> Create<TValue>(IDataset<IReadOnlyDictionary<string, TValue>> train,
        IDataset<IReadOnlyDictionary<string, TValue>> valid, int batchSize, int numWorkers = 0, int? seed = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return Pair(train.ToDataLoader(batchSize, shuffle: true, numWorkers: numWorkers, seed: seed),
            () => valid.ToDataLoader(batchSize * 2, numWorkers: numWorkers));
    }

    /// <summary><c>get_dls</c> for batch-indexed datasets (<see cref="TensorPairDataset"/>): one
    /// <see cref="IBatchDataset{TBatch}.GetBatch"/> call per batch, batches of the datasets' own type. Preferred over the
    /// item overloads when the datasets are both.</summary>
    /// <inheritdoc cref="Create{T1, T2}(IDataset{ValueTuple{T1, T2}}, IDataset{ValueTuple{T1, T2}}, int, int, int?)" path="/param"/>
    [OverloadResolutionPriority(1)]
    public static DataLoaders<TBatch> Create<TBatch>(IBatchDataset<TBatch> train, IBatchDataset<TBatch> valid, int batchSize,
        int numWorkers = 0, int? seed = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return Pair(train.ToDataLoader(batchSize, shuffle: true, numWorkers: numWorkers, seed: seed),
            () => valid.ToDataLoader(batchSize * 2, numWorkers: numWorkers));
    }

    private static DataLoaders<TBatch> Pair<TBatch>(DataLoader<TBatch> train, Func<DataLoader<TBatch>> valid)
    {
        try
        {
            return new DataLoaders<TBatch>(train, valid());
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }
}
