using System.Threading;

namespace GenNet.Training;

/// <summary>
/// Stops <see cref="Learner.Fit"/> cleanly once <paramref name="token"/> is cancelled (for example by Ctrl-C): the batch
/// in progress finishes, then the fit ends through <see cref="CancelFitException"/> and <see cref="StoppedAt"/> says
/// where, ready for <see cref="Checkpoint.Save"/>.
/// </summary>
/// <param name="token">Cancelled to request the stop; may be cancelled from another thread (a signal handler).</param>
public sealed class StopAfterBatchCallback(CancellationToken token) : Callback
{
    /// <summary>Runs after the other callbacks, so metrics and logs have seen the last batch.</summary>
    public override int Order => int.MaxValue;

    /// <summary>Where training stopped, or <c>null</c> while it has not been stopped.</summary>
    public TrainingPosition? StoppedAt { get; private set; }

    /// <inheritdoc/>
    public override void AfterBatch(Learner learner)
    {
        if (!token.IsCancellationRequested)
            return;
        // A stop during validation keeps the finished training phase: the next run starts at the next epoch.
        StoppedAt = learner.Training
            ? new TrainingPosition(learner.Epoch, learner.Iteration + 1, learner.TrainingSteps)
            : new TrainingPosition(learner.Epoch + 1, 0, learner.TrainingSteps);
        throw new CancelFitException($"Stopped on request after {(learner.Training ? "training" : "validation")} batch {learner.Iteration + 1} of epoch {learner.Epoch + 1}.");
    }
}
