using System;

namespace GenNet.Data;

/// <summary>
/// A dataset over managed memory: fixed-length rows of one flat buffer (e.g. 784 pixels per image) and one label per row.
/// Item <c>i</c> is <c>(X: the i-th row as <see cref="ReadOnlyMemory{T}"/>, Y: label i)</c>; no native tensor is created
/// per item, and the default collate copies a batch of rows straight into one preallocated tensor.
/// </summary>
/// <typeparam name="T">The element type of the rows (an unmanaged numeric type).</typeparam>
/// <typeparam name="TLabel">The label type.</typeparam>
public sealed class MemoryDataset<T, TLabel> : IDataset<(ReadOnlyMemory<T> X, TLabel Y)>
    where T : unmanaged
{
    private readonly ReadOnlyMemory<T> _data;
    private readonly ReadOnlyMemory<TLabel> _labels;

    /// <summary>Creates the dataset over <paramref name="data"/> (rows of <paramref name="rowLength"/>) and <paramref name="labels"/>.</summary>
    /// <exception cref="ArgumentException">The data length is not <c>labels.Length × rowLength</c>.</exception>
    public MemoryDataset(ReadOnlyMemory<T> data, int rowLength, ReadOnlyMemory<TLabel> labels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowLength);
        if ((long)labels.Length * rowLength != data.Length)
            throw new ArgumentException(
                $"MemoryDataset: {labels.Length} labels × {rowLength} elements per row = {(long)labels.Length * rowLength}, " +
                $"but the data holds {data.Length} elements.", nameof(data));
        _data = data;
        _labels = labels;
        RowLength = rowLength;
    }

    /// <summary>The number of elements in each row.</summary>
    public int RowLength { get; }

    /// <inheritdoc/>
    public int Count => _labels.Length;

    /// <inheritdoc/>
    public (ReadOnlyMemory<T> X, TLabel Y) this[int index]
    {
        get
        {
            Dataset.CheckIndex(index, Count, "a MemoryDataset");
            return (_data.Slice(index * RowLength, RowLength), _labels.Span[index]);
        }
    }
}
