using System;
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
        using var index = tensor(indices.ToArray(), dtype: ScalarType.Int64, device: X.device);
        var xb = X.index_select(0, index);
        using var yIndex = Y.device == X.device ? null : index.to(Y.device);
        return (xb, Y.index_select(0, yIndex ?? index));
    }

    internal static string Shape(Tensor t) => "[" + string.Join(", ", t.shape) + "]";
}
