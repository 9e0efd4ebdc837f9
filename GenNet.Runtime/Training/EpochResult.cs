using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace GenNet.Training;

/// <summary>One epoch's figures, as <see cref="MetricsCallback"/> records them in <see cref="Learner.History"/>.</summary>
/// <param name="Epoch">The epoch, counted from 1.</param>
/// <param name="TrainLoss">Size-weighted training loss (NaN when the phase had no batches).</param>
/// <param name="ValidLoss">Size-weighted validation loss (NaN without validation data).</param>
/// <param name="ValidMetrics">Each validation metric by name, size-weighted.</param>
/// <param name="Seconds">Wall-clock time of the epoch, training and validation together.</param>
public sealed record EpochResult(int Epoch, double TrainLoss, double ValidLoss, IReadOnlyDictionary<string, double> ValidMetrics, double Seconds)
{
    /// <summary>The validation accuracy, or NaN when no <see cref="AccuracyMetric"/> ran.</summary>
    public double ValidAccuracy => ValidMetrics.TryGetValue("accuracy", out var value) ? value : double.NaN;

    /// <summary><c>epoch 1  train_loss=0.5432  valid_loss=0.4567  valid_accuracy=0.8412  seconds=1.2</c></summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        var metrics = string.Concat(ValidMetrics.Select(m => string.Format(c, "  valid_{0}={1:F4}", m.Key, m.Value)));
        return string.Format(c, "epoch {0}  train_loss={1:F4}  valid_loss={2:F4}{3}  seconds={4:F1}", Epoch, TrainLoss, ValidLoss, metrics, Seconds);
    }
}
