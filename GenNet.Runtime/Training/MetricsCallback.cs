using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace GenNet.Training;

/// <summary>
/// Accumulates the size-weighted training loss, validation loss and validation metrics of each epoch and appends an
/// <see cref="EpochResult"/> to <see cref="Learner.History"/> in <c>AfterEpoch</c> (order 10).
/// </summary>
public sealed class MetricsCallback : Callback, IDisposable
{
    private readonly LossMetric _trainLoss = new();
    private readonly LossMetric _validLoss = new();
    private readonly Metric[] _metrics;
    private readonly Stopwatch _clock = new();

    /// <summary>Tracks the losses and the given validation metrics.</summary>
    /// <param name="validMetrics">Metrics computed on the validation batches, e.g. <see cref="AccuracyMetric"/>.</param>
    /// <exception cref="ArgumentException">Two metrics share a name.</exception>
    public MetricsCallback(params Metric[] validMetrics)
    {
        _metrics = validMetrics ?? Array.Empty<Metric>();
        var duplicate = _metrics.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Two metrics are named '{duplicate.Key}'.", nameof(validMetrics));
    }

    /// <inheritdoc />
    public override int Order => 10;

    /// <summary>The training loss so far in the current epoch (reading it synchronises with the device).</summary>
    public double CurrentTrainLoss => _trainLoss.Value;

    /// <summary>The validation loss so far in the current epoch (reading it synchronises with the device).</summary>
    public double CurrentValidLoss => _validLoss.Value;

    /// <inheritdoc />
    public override void BeforeEpoch(Learner learner)
    {
        _trainLoss.Reset();
        _validLoss.Reset();
        foreach (var m in _metrics)
            m.Reset();
        _clock.Restart();
    }

    /// <inheritdoc />
    public override void AfterLoss(Learner learner)
    {
        var (preds, y, loss) = (learner.Preds!, learner.Y!, learner.Loss!);
        if (learner.Training)
        {
            _trainLoss.Accumulate(preds, y, loss);
            return;
        }
        _validLoss.Accumulate(preds, y, loss);
        foreach (var m in _metrics)
            m.Accumulate(preds, y, loss);
    }

    /// <inheritdoc />
    public override void AfterEpoch(Learner learner)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var m in _metrics)
            metrics[m.Name] = m.Value;
        learner.History.Add(new EpochResult(learner.Epoch + 1, _trainLoss.Value, _validLoss.Value, metrics, _clock.Elapsed.TotalSeconds));
    }

    /// <summary>Frees the accumulators.</summary>
    public void Dispose()
    {
        _trainLoss.Dispose();
        _validLoss.Dispose();
        foreach (var m in _metrics)
            m.Dispose();
    }
}
