using System;
using System.Runtime.Intrinsics.X86;
using TorchSharp;
using static TorchSharp.torch;

namespace GenNet.Data;

/// <summary>
/// PyTorch's <c>TensorDataset</c> over two tensors (inputs and targets) that share their first dimension. Item <c>i</c> is
/// <c>(X[i], Y[i])</c>; a batch is gathered with one <c>index_select</c> per tensor (<see cref="IBatchDataset{TBatch}"/>),
/// which is what makes a <see cref="DataLoader{TItem, TBatch}"/> over it fast.
/// </summary>
/// <remarks>The dataset does not own the tensors: dispose them yourself when the dataset is no longer used.</remarks>
public sealed class TensorDataset : IDataset<(Tensor X, Tensor Y)>, IBatchDataset<(Tensor X, Tensor Y)>
{
    /// <summary>Creates the dataset; <paramref name="x"/> and <paramref name="y"/> must have the same length.</summary>
    /// <exception cref="ArgumentException">A tensor is a scalar, or the first dimensions differ.</exception>
    public TensorDataset(Tensor x, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.dim() == 0 || y.dim() == 0)
            throw new ArgumentException($"TensorDataset needs tensors with a first (item) dimension; got x {Shape(x)} and y {Shape(y)}.");
        if (x.shape[0] != y.shape[0])
            throw new ArgumentException(
                $"TensorDataset: x has {x.shape[0]} items (shape {Shape(x)}) but y has {y.shape[0]} (shape {Shape(y)}).", nameof(y));
        if (x.shape[0] > int.MaxValue)
            throw new ArgumentException($"TensorDataset supports at most {int.MaxValue} items; x has {x.shape[0]}.", nameof(x));
        X = x;
        Y = y;
    }

    /// <summary>The inputs, one item per row.</summary>
    public Tensor X { get; }

    /// <summary>The targets, one item per row.</summary>
    public Tensor Y { get; }

    /// <inheritdoc cref="IDataset{T}.Count"/>
    public int Count => (int)X.shape[0];

    /// <summary>The views <c>(X[index], Y[index])</c>.</summary>
    public (Tensor X, Tensor Y) this[int index]
    {
        get
        {
            Dataset.CheckIndex(index, Count, "a TensorDataset");
            return (X[index], Y[index]);
        }
    }

    /// <summary>Gathers the rows at <paramref name="indices"/> of both tensors (new, contiguous tensors).</summary>
    public (Tensor X, Tensor Y) GetBatch(ReadOnlySpan<int> indices)
    {
        var count = Count;
        foreach (var i in indices)
            Dataset.CheckIndex(i, count, "a TensorDataset");
        return (Gather(X, indices), Gather(Y, indices));
    }

    private static Tensor Gather(Tensor source, ReadOnlySpan<int> indices)
    {
        var shape = source.shape;
        shape[0] = indices.Length;
        if (source.device_type == DeviceType.CPU && source.is_contiguous() && source.NumberOfElements * source.ElementSize <= int.MaxValue)
        {
            // Row copies from managed code: no index tensor, and no intra-op thread pool competing with the loader's workers.
            var result = empty(shape, source.dtype);
            var from = source.bytes;
            var to = result.bytes;
            var rowBytes = indices.Length == 0 ? 0 : to.Length / indices.Length;
            for (var r = 0; r < indices.Length; r++)
            {
                // Rows are scattered over a large tensor: start fetching the next one while this one is copied.
                if (r + 1 < indices.Length)
                    Prefetch(from.Slice(indices[r + 1] * rowBytes, rowBytes));
                from.Slice(indices[r] * rowBytes, rowBytes).CopyTo(to.Slice(r * rowBytes, rowBytes));
            }
            return result;
        }
        var positions = new long[indices.Length];
        for (var r = 0; r < positions.Length; r++)
            positions[r] = indices[r];
        using var index = tensor(positions, device: source.device);
        return source.index_select(0, index);
    }

    private static unsafe void Prefetch(ReadOnlySpan<byte> row)
    {
        if (!Sse.IsSupported)
            return;
        fixed (byte* start = row)
        {
            for (var offset = 0; offset < row.Length; offset += 64)
                Sse.Prefetch0(start + offset);
        }
    }

    internal static string Shape(Tensor t) => "[" + string.Join(", ", t.shape) + "]";
}
