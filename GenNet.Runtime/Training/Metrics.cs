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
        _sum ??= zeros(1, dtype: ScalarType.Float64, device: loss.device).DetachFromDisposeScope();
        var n = targets.shape[0];
        AddBatch(_sum, preds, targets, loss, n);
        _count += n;
    }

    /// <summary>Adds the batch's contribution to the running sum; override to do it in fewer operations.</summary>
    /// <param name="sum">The running sum (float64, on the training device).</param>
    /// <param name="preds">Model outputs.</param>
    /// <param name="targets">Targets.</param>
    /// <param name="loss">The batch's mean loss.</param>
    /// <param name="batchSize">The number of samples in the batch.</param>
    protected virtual void AddBatch(Tensor sum, Tensor preds, Tensor targets, Tensor loss, long batchSize) =>
        sum.add_(BatchSum(preds, targets, loss));

    /// <summary>The number of samples accumulated.</summary>
    public long Count => _count;

    /// <summary>The mean over all samples accumulated since <see cref="Reset"/>; NaN when there were none.</summary>
    public double Value
    {
        get
        {
            if (_count == 0 || _sum is null)
                return double.NaN;
            using var scope = NewDisposeScope();
            return _sum.item<double>() / _count;
        }
    }

    /// <summary>Starts a new phase.</summary>
    public void Reset()
    {
        // In-place operations return a new wrapper; the scope frees it (this runs outside the per-batch scopes).
        using var scope = NewDisposeScope();
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

    // One in-place operation per batch: this runs on every training batch.
    /// <inheritdoc />
    protected override void AddBatch(Tensor sum, Tensor preds, Tensor targets, Tensor loss, long batchSize) =>
        sum.add_(loss, alpha: batchSize);
}

/// <summary>The fraction of samples whose arg-max prediction equals the class-index target (the lesson's <c>accuracy</c>).</summary>
public sealed class AccuracyMetric : Metric
{
    /// <inheritdoc />
    public override string Name => "accuracy";

    /// <inheritdoc />
    protected override Tensor BatchSum(Tensor preds, Tensor targets, Tensor loss) => preds.argmax(1).eq(targets).sum();
}
