using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GenNet.Optim;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GenNet.Training;

/// <summary>The lesson's <c>fit</c> and <c>get_dls</c>, built on <see cref="Learner"/>.</summary>
public static class TrainingLoop
{
    /// <summary>
    /// The lesson's <c>fit(epochs, model, loss_func, opt, train_dl, valid_dl)</c>: per epoch, train (training mode) and
    /// then validate (evaluation mode, no gradients), printing the epoch's line; the validation loss and accuracy are
    /// weighted by batch size (not means of batch means). The model stays on the device its optimizer was made on.
    /// </summary>
    /// <param name="epochs">How many epochs.</param>
    /// <param name="model">The model.</param>
    /// <param name="lossFunc">The loss of (predictions, targets).</param>
    /// <param name="opt">The optimizer over the model's parameters.</param>
    /// <param name="trainDl">Training batches.</param>
    /// <param name="validDl">Validation batches.</param>
    /// <param name="output">Where epoch lines go; standard output when null.</param>
    /// <returns>The last epoch's validation loss and accuracy.</returns>
    public static (double Loss, double Accuracy) Fit(int epochs, Module<Tensor, Tensor> model, Func<Tensor, Tensor, Tensor> lossFunc, Optimizer opt,
        IEnumerable<(Tensor x, Tensor y)> trainDl, IEnumerable<(Tensor x, Tensor y)> validDl, TextWriter? output = null)
    {
        ArgumentNullException.ThrowIfNull(validDl);
        using var metrics = new MetricsCallback(new AccuracyMetric());
        var progress = output is null ? new ProgressCallback() : new ProgressCallback(output, showBar: false);
        var learner = new Learner(model, trainDl, validDl, lossFunc, opt, new Callback[] { metrics, progress });
        learner.Fit(epochs);
        var last = learner.History.Last();
        return (last.ValidLoss, last.ValidAccuracy);
    }

    /// <summary>
    /// The lesson's <c>get_dls(train_ds, valid_ds, bs)</c>: shuffled training batches of <paramref name="batchSize"/>
    /// and unshuffled validation batches of twice that size (no gradients are kept during validation, so twice as
    /// many samples fit in memory).
    /// </summary>
    /// <param name="train">Training inputs and targets (first dimension: samples).</param>
    /// <param name="valid">Validation inputs and targets.</param>
    /// <param name="batchSize">The training batch size.</param>
    /// <param name="seed">Seeds the shuffling (a new order every epoch, the same sequence every run); null to draw each epoch's order from TorchSharp's global generator, so <c>torch.manual_seed</c> reproduces it.</param>
    public static GenNet.Data.DataLoaders<(Tensor X, Tensor Y)> GetDls(
        (Tensor x, Tensor y) train, (Tensor x, Tensor y) valid, int batchSize, long? seed = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        // TensorPairDataset is batch-indexed: each batch is one gather, with no per-item tensors.
        return GenNet.Data.DataLoaders.Create(new GenNet.Data.TensorPairDataset(train.x, train.y), new GenNet.Data.TensorPairDataset(valid.x, valid.y),
            batchSize, seed: seed is { } s ? unchecked((int)s) : null);
    }
}
