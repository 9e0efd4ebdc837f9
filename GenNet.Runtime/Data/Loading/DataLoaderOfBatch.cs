using System;
using System.Collections;
using System.Collections.Generic;
using System.Threading;

namespace GenNet.Data;

/// <summary>
/// A data loader seen by what it yields: one epoch of <typeparamref name="TBatch"/> per enumeration, and
/// <see cref="Count"/> batches per epoch (PyTorch's <c>len(dl)</c>). Code that consumes loaders (the
/// <c>Learner</c>, <see cref="DataLoaders{TBatch}"/>) takes this type, so it never has to name the dataset's item type.
/// </summary>
/// <typeparam name="TBatch">The batch type.</typeparam>
public abstract class DataLoader<TBatch> : IReadOnlyCollection<TBatch>, IDisposable
{
    /// <summary>The number of batches per epoch (PyTorch's <c>len(dl)</c>).</summary>
    public abstract int Count { get; }

    /// <summary>One epoch of batches that stops, with an <see cref="OperationCanceledException"/>, when
    /// <paramref name="cancellationToken"/> is cancelled (also while waiting for a worker).</summary>
    public abstract IEnumerable<TBatch> Iterate(CancellationToken cancellationToken);

    /// <summary>One epoch of batches.</summary>
    public IEnumerator<TBatch> GetEnumerator() => Iterate(CancellationToken.None).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Stops the loader's workers; batches already handed out stay valid.</summary>
    public abstract void Dispose();
}
