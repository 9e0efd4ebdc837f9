using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace GenNet.Data;

/// <summary>
/// A map-style dataset: a fixed number of items addressed by index, like PyTorch's <c>Dataset</c>
/// (<c>__len__</c> + <c>__getitem__</c>).
/// </summary>
/// <remarks>
/// A <see cref="DatasetLoader{TItem, TBatch}"/> with workers calls the indexer from several threads at once, so an
/// implementation must be safe for concurrent reads. Items may be managed values (arrays, <see cref="ReadOnlyMemory{T}"/>,
/// numbers, tuples, dictionaries): the default collate then writes a whole batch into one tensor without creating a native
/// tensor per item, which is the fast path.
/// </remarks>
/// <typeparam name="T">The item type.</typeparam>
public interface IDataset<out T>
{
    /// <summary>The number of items.</summary>
    int Count { get; }

    /// <summary>The item at <paramref name="index"/> (0 ≤ index &lt; <see cref="Count"/>).</summary>
    T this[int index] { get; }
}

/// <summary>
/// The optional batch-indexed capability (PyTorch's <c>__getitems__</c>, the lesson's <c>ds[list]</c> trick): the dataset
/// returns a whole, already collated batch for many indices in one operation, e.g. one <c>index_select</c> per tensor.
/// </summary>
/// <remarks>
/// A <see cref="DatasetLoader{TItem, TBatch}"/> uses it instead of indexing item by item and collating whenever the dataset
/// implements it for the loader's batch type and no collate function was given.
/// </remarks>
/// <typeparam name="TBatch">The batch type.</typeparam>
public interface IBatchDataset<out TBatch>
{
    /// <summary>The number of items.</summary>
    int Count { get; }

    /// <summary>The batch made of the items at <paramref name="indices"/>, in that order.</summary>
    TBatch GetBatch(ReadOnlySpan<int> indices);
}

/// <summary>Factories and combinators for <see cref="IDataset{T}"/>.</summary>
public static class Dataset
{
    /// <summary>A dataset of <paramref name="count"/> items computed on access by <paramref name="getItem"/>.</summary>
    public static IDataset<T> FromFunc<T>(int count, Func<int, T> getItem) => new FuncDataset<T>(count, getItem);

    /// <summary>A dataset over an in-memory list (not copied).</summary>
    public static IDataset<T> FromList<T>(IReadOnlyList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return new FuncDataset<T>(items.Count, i => items[i]);
    }

    /// <summary>
    /// PyTorch's <c>TensorDataset(x, y)</c>: item <c>i</c> is <c>(x[i], y[i])</c>, and a loader gathers each batch in one
    /// call per tensor (see <see cref="TensorPairDataset"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A tensor is a scalar, or the first dimensions differ.</exception>
    public static TensorPairDataset FromTensors(Tensor x, Tensor y) => new(x, y);

    /// <summary>
    /// A lazy view that applies <paramref name="transform"/> to each item on access (fastai's <c>with_transform</c>
    /// per item); the transform runs on the loader's worker threads.
    /// </summary>
    public static IDataset<TOut> Map<TIn, TOut>(this IDataset<TIn> source, Func<TIn, TOut> transform) =>
        new MappedDataset<TIn, TOut>(source, transform);

    internal static void CheckIndex(int index, int count, string datasetName)
    {
        if ((uint)index >= (uint)count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Index {index} is outside {datasetName} of {count} items.");
    }
}

/// <summary>A dataset whose items are computed by a function of the index.</summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class FuncDataset<T> : IDataset<T>
{
    private readonly Func<int, T> _getItem;

    /// <summary>Creates a dataset of <paramref name="count"/> items given by <paramref name="getItem"/>.</summary>
    public FuncDataset(int count, Func<int, T> getItem)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _getItem = getItem ?? throw new ArgumentNullException(nameof(getItem));
        Count = count;
    }

    /// <inheritdoc/>
    public int Count { get; }

    /// <inheritdoc/>
    public T this[int index]
    {
        get
        {
            Dataset.CheckIndex(index, Count, "a FuncDataset");
            return _getItem(index);
        }
    }
}

/// <summary>A lazy per-item transform over another dataset.</summary>
/// <typeparam name="TIn">The source item type.</typeparam>
/// <typeparam name="TOut">The transformed item type.</typeparam>
public sealed class MappedDataset<TIn, TOut> : IDataset<TOut>
{
    private readonly IDataset<TIn> _source;
    private readonly Func<TIn, TOut> _transform;

    /// <summary>Wraps <paramref name="source"/> so each item is passed through <paramref name="transform"/>.</summary>
    public MappedDataset(IDataset<TIn> source, Func<TIn, TOut> transform)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _transform = transform ?? throw new ArgumentNullException(nameof(transform));
    }

    /// <inheritdoc/>
    public int Count => _source.Count;

    /// <inheritdoc/>
    public TOut this[int index] => _transform(_source[index]);
}
