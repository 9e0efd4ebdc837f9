using System;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace GenNet.Data;

/// <summary>
/// PyTorch's <c>TensorDataset</c> over two tensors (inputs and targets) that share their first dimension. Item <c>i</c> is
/// <c>(X[i], Y[i])</c>; a batch is gathered in one call per tensor (<see cref="IBatchDataset{TBatch}"/>), which is what
/// makes a <see cref="DatasetLoader{TItem, TBatch}"/> over it fast.
/// </summary>
/// <remarks>
/// <para>Named <c>TensorPairDataset</c>, not <c>TensorDataset</c>: that name is TorchSharp.Modules' (its loader's dataset),
/// which the ordinary imports bring in next to GenNet.Data. <see cref="Dataset.FromTensors"/> creates one.</para>
/// The dataset does not own the tensors: dispose them yourself when the dataset is no longer used. Their values may
/// change in place, but not their shapes: the layout is read once, when the dataset is created.
/// </remarks>
public sealed class TensorPairDataset : IDataset<(Tensor X, Tensor Y)>, IBatchDataset<(Tensor X, Tensor Y)>
{
    private readonly RowGatherer _xRows;
    private readonly RowGatherer _yRows;

    /// <summary>Creates the dataset; <paramref name="x"/> and <paramref name="y"/> must have the same length.</summary>
    /// <exception cref="ArgumentException">A tensor is a scalar, or the first dimensions differ.</exception>
    public TensorPairDataset(Tensor x, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.dim() == 0 || y.dim() == 0)
            throw new ArgumentException($"TensorPairDataset needs tensors with a first (item) dimension; got x {Shape(x)} and y {Shape(y)}.");
        if (x.shape[0] != y.shape[0])
            throw new ArgumentException(
                $"TensorPairDataset: x has {x.shape[0]} items (shape {Shape(x)}) but y has {y.shape[0]} (shape {Shape(y)}).", nameof(y));
        if (x.shape[0] > int.MaxValue)
            throw new ArgumentException($"TensorPairDataset supports at most {int.MaxValue} items; x has {x.shape[0]}.", nameof(x));
        X = x;
        Y = y;
        Count = (int)x.shape[0];
        _xRows = new RowGatherer(x, nameof(X));
        _yRows = new RowGatherer(y, nameof(Y));
    }

    /// <summary>The inputs, one item per row.</summary>
    public Tensor X { get; }

    /// <summary>The targets, one item per row.</summary>
    public Tensor Y { get; }

    /// <inheritdoc cref="IDataset{T}.Count"/>
    public int Count { get; }

    /// <summary>The views <c>(X[index], Y[index])</c>.</summary>
    public (Tensor X, Tensor Y) this[int index]
    {
        get
        {
            Dataset.CheckIndex(index, Count, "a TensorPairDataset");
            return (X[index], Y[index]);
        }
    }

    /// <summary>Gathers the rows at <paramref name="indices"/> of both tensors (new, contiguous tensors).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside the dataset.</exception>
    /// <exception cref="InvalidOperationException">A tensor's shape changed after the dataset was created.</exception>
    public (Tensor X, Tensor Y) GetBatch(ReadOnlySpan<int> indices)
    {
        foreach (var i in indices)
            Dataset.CheckIndex(i, Count, "a TensorPairDataset");
        var x = _xRows.Gather(indices);
        try
        {
            return (x, _yRows.Gather(indices));
        }
        catch
        {
            x.Dispose();
            throw;
        }
    }

    internal static string Shape(Tensor t) => "[" + string.Join(", ", t.shape) + "]";

    /// <summary>
    /// Gathers rows of one tensor. The layout (dtype, row shape and size) is read once: at a batch of 50 small rows, the
    /// per-call cost of TorchSharp's shape and dtype queries is a measurable part of the whole gather.
    /// </summary>
    private sealed class RowGatherer
    {
        private readonly Tensor _source;
        private readonly string _name;
        private readonly long[] _batchShape;
        private readonly ScalarType _dtype;
        private readonly int _rowBytes;
        private readonly long _totalBytes;
        private readonly bool _copyRows;

        public RowGatherer(Tensor source, string name)
        {
            _source = source;
            _name = name;
            _batchShape = source.shape;
            _dtype = source.dtype;
            var rowElements = 1L;
            for (var d = 1; d < _batchShape.Length; d++)
                rowElements *= _batchShape[d];
            _totalBytes = source.NumberOfElements * source.ElementSize;
            // Row copies from managed code need CPU memory in one piece that a span can cover. Everything else (CUDA,
            // strided views) goes through index_select.
            _copyRows = source.device_type == DeviceType.CPU && source.is_contiguous() && _totalBytes <= int.MaxValue;
            _rowBytes = (int)Math.Min(rowElements * source.ElementSize, int.MaxValue);
        }

        public Tensor Gather(ReadOnlySpan<int> indices)
        {
            if (!_copyRows)
                return IndexSelect(indices);
            // No index tensor and no intra-op thread pool competing with the loader's workers.
            var from = _source.bytes;
            if (from.Length != _totalBytes)
                throw new InvalidOperationException(
                    $"TensorDataset: {_name} now holds {from.Length} bytes but held {_totalBytes} when the dataset was created; " +
                    "do not resize its tensors while the dataset is in use.");
            var shape = (long[])_batchShape.Clone();
            shape[0] = indices.Length;
            var result = empty(shape, _dtype);
            var to = result.bytes;
            switch (_rowBytes)
            {
                case sizeof(long):
                    Copy(MemoryMarshal.Cast<byte, long>(from), MemoryMarshal.Cast<byte, long>(to), indices);
                    break;
                case sizeof(int):
                    Copy(MemoryMarshal.Cast<byte, int>(from), MemoryMarshal.Cast<byte, int>(to), indices);
                    break;
                default:
                    CopyRows(from, to, indices, _rowBytes);
                    break;
            }
            return result;
        }

        private static void CopyRows(ReadOnlySpan<byte> from, Span<byte> to, ReadOnlySpan<int> indices, int rowBytes)
        {
            // Software prefetching of the next rows was measured here and did not pay (the rows mostly come from L3).
            for (var r = 0; r < indices.Length; r++)
                from.Slice(indices[r] * rowBytes, rowBytes).CopyTo(to.Slice(r * rowBytes, rowBytes));
        }

        // Labels and other one-element rows: an element copy each, not a span copy each.
        private static void Copy<T>(ReadOnlySpan<T> from, Span<T> to, ReadOnlySpan<int> indices)
        {
            for (var r = 0; r < indices.Length; r++)
                to[r] = from[indices[r]];
        }

        private Tensor IndexSelect(ReadOnlySpan<int> indices)
        {
            var positions = new long[indices.Length];
            for (var r = 0; r < positions.Length; r++)
                positions[r] = indices[r];
            using var index = tensor(positions, device: _source.device);
            return _source.index_select(0, index);
        }
    }
}
