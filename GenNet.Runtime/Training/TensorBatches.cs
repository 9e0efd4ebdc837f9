using System;
using System.Collections;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace GenNet.Training;

/// <summary>
/// Mini-batches of two in-memory tensors by randperm + index_select (or contiguous slices when not shuffled).
/// MERGE SEAM: a stand-in for the data pipeline's DataLoader (issue 5); <see cref="TrainingLoop.GetDls"/> should
/// return DataLoaders instead, after which this class goes.
/// </summary>
internal sealed class TensorBatches : IReadOnlyCollection<(Tensor x, Tensor y)>
{
    private readonly Tensor _x;
    private readonly Tensor _y;
    private readonly int _batchSize;
    private readonly Generator? _generator;

    public TensorBatches(Tensor x, Tensor y, int batchSize, bool shuffle, long? seed)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (x.shape.Length == 0 || y.shape.Length == 0 || x.shape[0] != y.shape[0])
            throw new ArgumentException($"Inputs and targets must have the same first dimension: got [{string.Join(", ", x.shape)}] and [{string.Join(", ", y.shape)}].");
        (_x, _y, _batchSize, Shuffle) = (x, y, batchSize, shuffle);
        if (shuffle && seed is { } s)
            _generator = new Generator((ulong)s);
    }

    public bool Shuffle { get; }

    public int BatchSize => _batchSize;

    public long Length => _x.shape[0];

    public int Count => (int)((Length + _batchSize - 1) / _batchSize);

    public IEnumerator<(Tensor x, Tensor y)> GetEnumerator()
    {
        var n = Length;
        // The permutation outlives the first batch's dispose scope, in which this line runs.
        var perm = Shuffle ? randperm(n, generator: _generator).to(_x.device).DetachFromDisposeScope() : null;
        try
        {
            for (long start = 0; start < n; start += _batchSize)
            {
                var length = Math.Min(_batchSize, n - start);
                if (perm is null)
                {
                    yield return (_x.narrow(0, start, length), _y.narrow(0, start, length));
                    continue;
                }
                var index = perm.narrow(0, start, length);
                yield return (_x.index_select(0, index), _y.index_select(0, index));
            }
        }
        finally
        {
            perm?.Dispose();
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
