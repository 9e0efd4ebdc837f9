using System;
using System.Collections.Generic;

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
    /// <param name="seed">Seeds the training loader's shuffling.</param>
    public static DataLoaders<TBatch> Create<TItem, TBatch>(IDataset<TItem> train, IDataset<TItem> valid, int batchSize,
        Func<IReadOnlyList<TItem>, TBatch> collate, int numWorkers = 0, int? seed = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return new DataLoaders<TBatch>(
            new DataLoader<TItem, TBatch>(train, batchSize, shuffle: true, numWorkers: numWorkers, collate: collate, seed: seed),
            new DataLoader<TItem, TBatch>(valid, batchSize * 2, numWorkers: numWorkers, collate: collate));
    }
}
