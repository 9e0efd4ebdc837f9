using System;
using static TorchSharp.torch;

namespace GenNet.Training;

/// <summary>
/// A metric accumulated over the batches of a phase and weighted by batch size, so an epoch's value is the value
/// over all its samples (not a mean of batch means). Accumulators stay on the training device until
/// <see cref="Value"/> is read, so a batch costs no device synchronisation.
/// </summary>
public abstract class Metric : IDisposable
{
    private Tensor? _sum;
    private long _count;

    /// <summary>The name used in results and logs, e.g. <c>accuracy</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The batch's contribution: the metric's sum over the batch's samples.</summary>
    /// <param name="preds">Model outputs.</param>
    /// <param name="targets">Targets.</param>
    /// <param name="loss">The batch's mean loss.</param>
    protected abstract Tensor BatchSum(Tensor preds, Tensor targets, Tensor loss);

    /// <summary>Adds one batch (called without gradient tracking).</summary>
    /// <param name="preds">Model outputs.</param>
    /// <param name="targets">Targets; their first dimension is the batch size.</param>
    /// <param name="loss">The batch's mean loss.</param>
    public void Accumulate(Tensor preds, Tensor targets, Tensor loss)
    {
        using var noGrad = no_grad();
        var batchSum = BatchSum(preds, targets, loss);
        if (_sum is null)
            _sum = zeros(1, dtype: ScalarType.Float64, device: batchSum.device).DetachFromDisposeScope();
        _sum.add_(batchSum);
        _count += targets.shape[0];
    }

    /// <summary>The number of samples accumulated.</summary>
    public long Count => _count;

    /// <summary>The mean over all samples accumulated since <see cref="Reset"/>; NaN when there were none.</summary>
    public double Value => _count == 0 || _sum is null ? double.NaN : _sum.item<double>() / _count;

    /// <summary>Starts a new phase.</summary>
    public void Reset()
    {
        _sum?.zero_();
        _count = 0;
    }

    /// <summary>Frees the accumulator.</summary>
    public void Dispose()
    {
        _sum?.Dispose();
        _sum = null;
        GC.SuppressFinalize(this);
    }
}

/// <summary>The mean loss, weighted by batch size.</summary>
public sealed class LossMetric : Metric
{
    /// <inheritdoc />
    public override string Name => "loss";

    /// <inheritdoc />
    protected override Tensor BatchSum(Tensor preds, Tensor targets, Tensor loss) => loss * targets.shape[0];
}

/// <summary>The fraction of samples whose arg-max prediction equals the class-index target (the lesson's <c>accuracy</c>).</summary>
public sealed class AccuracyMetric : Metric
{
    /// <inheritdoc />
    public override string Name => "accuracy";

    /// <inheritdoc />
    protected override Tensor BatchSum(Tensor preds, Tensor targets, Tensor loss) => preds.argmax(1).eq(targets).sum();
}
