using System;
using GenNet.Hub;
using static TorchSharp.torch;

namespace GenNet.Data;

public static partial class DataLoaders
{
    /// <summary>
    /// The lesson's <c>DataLoaders.from_dd(dd, batch_size)</c>: <see cref="Datasets.CollateDict"/> of the first split, then
    /// <c>get_dls</c> over the first two splits (shuffled training batches of <paramref name="batchSize"/>, validation
    /// batches of twice that). Each batch is read, decoded and transformed once, on the loader's worker threads.
    /// </summary>
    /// <param name="datasetDict">The splits; the first is the training split, the second the validation split.</param>
    /// <param name="batchSize">The training batch size.</param>
    /// <param name="numWorkers">Worker threads for each loader.</param>
    /// <param name="seed">Seeds the training loader's shuffling.</param>
    /// <exception cref="ArgumentException">Fewer than two splits, or the features are not two (x, y).</exception>
    public static DataLoaders<(Tensor, Tensor)> FromDatasetDict(DatasetDict datasetDict, int batchSize, int numWorkers = 0, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(datasetDict);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (datasetDict.Count < 2)
            throw new ArgumentException($"FromDatasetDict needs a training and a validation split; this DatasetDict has {datasetDict.Count}.", nameof(datasetDict));
        using var splits = datasetDict.Values.GetEnumerator();
        splits.MoveNext();
        var train = splits.Current;
        splits.MoveNext();
        var valid = splits.Current;
        var collate = Datasets.CollateDict(train);
        return new DataLoaders<(Tensor, Tensor)>(
            new DatasetLoader<HubRow, (Tensor, Tensor)>(train, batchSize, shuffle: true, numWorkers: numWorkers, collate: collate, seed: seed),
            new DatasetLoader<HubRow, (Tensor, Tensor)>(valid, batchSize * 2, numWorkers: numWorkers, collate: collate));
    }
}
