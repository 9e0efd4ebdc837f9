using System;
using System.Collections.Generic;
using System.Linq;

namespace GenNet.Data;

/// <summary>
/// Turns one batch of indices into one batch (PyTorch's <c>_utils/fetch.py</c>): a single
/// <see cref="IBatchDataset{TBatch}.GetBatch"/> call when the dataset has one (<c>__getitems__</c>), otherwise the items one
/// by one and then the collate function. A failure becomes a <see cref="DataLoaderException"/> that names the dataset index
/// (or the batch, when the whole batch or the collate failed) and the loading thread.
/// </summary>
internal sealed class BatchFetcher<TItem, TBatch>(IDataset<TItem> dataset, IBatchDataset<TBatch>? batchDataset, Func<IReadOnlyList<TItem>, TBatch>? collate)
{
    public TBatch Fetch(int[] indices, DataLoaderContext context)
    {
        if (batchDataset is not null)
        {
            try
            {
                return batchDataset.GetBatch(indices);
            }
            catch (Exception e)
            {
                throw Failure($"failed to load batch {context.BatchIndex} (dataset indices {Preview(indices)})", context, null, e);
            }
        }
        var items = new TItem[indices.Length];
        for (var i = 0; i < items.Length; i++)
        {
            try
            {
                items[i] = dataset[indices[i]];
            }
            catch (Exception e)
            {
                throw Failure($"failed to load dataset index {indices[i]} (batch {context.BatchIndex})", context, indices[i], e);
            }
        }
        try
        {
            return collate!(items);
        }
        catch (Exception e)
        {
            throw Failure($"failed to collate batch {context.BatchIndex} (dataset indices {Preview(indices)})", context, null, e);
        }
    }

    /// <summary>The first indices of a batch, for messages.</summary>
    public static string Preview(int[] indices) =>
        indices.Length <= 8 ? "[" + string.Join(", ", indices) + "]" : "[" + string.Join(", ", indices.Take(8)) + $", … {indices.Length} in all]";

    private static DataLoaderException Failure(string what, DataLoaderContext context, int? index, Exception inner)
    {
        var who = context.WorkerId < 0 ? "DataLoader" : $"DataLoader worker {context.WorkerId}";
        return new DataLoaderException($"{who} {what}: {inner.Message}", context.BatchIndex, index, context.WorkerId, inner);
    }
}
