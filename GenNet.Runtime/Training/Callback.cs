namespace GenNet.Training;

/// <summary>
/// A hook object for <see cref="Learner"/>: override the events you need; the rest do nothing. Callbacks run in
/// ascending <see cref="Order"/> (ties keep the order they were added) and may read and change the learner's state
/// (its batch, predictions, loss, optimizer, learning rate). To skip work, throw <see cref="CancelBatchException"/>,
/// <see cref="CancelEpochException"/> or <see cref="CancelFitException"/>.
/// </summary>
/// <remarks>
/// Events, in order: <c>BeforeFit</c>; per epoch <c>BeforeEpoch</c>, <c>BeforeTrain</c>, per batch (<c>BeforeBatch</c>,
/// <c>AfterPredict</c>, <c>AfterLoss</c>, <c>BeforeBackward</c>, <c>AfterBackward</c>, <c>BeforeStep</c>,
/// <c>AfterStep</c>, <c>AfterBatch</c>), <c>AfterTrain</c>, <c>BeforeValidate</c>, the validation batches (up to
/// <c>AfterLoss</c>, then <c>AfterBatch</c>), <c>AfterValidate</c>, <c>AfterEpoch</c>; then <c>AfterFit</c>. A
/// cancellation runs <c>AfterCancelBatch</c>/<c>AfterCancelEpoch</c>/<c>AfterCancelFit</c> and then the matching
/// <c>After…</c> event, as fastai does. The built-in callbacks use orders 10 (metrics), 20 (progress) and 30 (logging),
/// so a callback that reads an epoch's metrics in <see cref="AfterEpoch"/> needs an order above 10.
/// </remarks>
public abstract class Callback
{
    /// <summary>Position among the learner's callbacks; lower runs first. Default 0.</summary>
    public virtual int Order => 0;

    /// <summary>Before the first epoch.</summary>
    /// <param name="learner">The learner being fitted.</param>
    public virtual void BeforeFit(Learner learner) { }

    /// <summary>After the last epoch, also after a cancelled fit.</summary>
    /// <param name="learner">The learner being fitted.</param>
    public virtual void AfterFit(Learner learner) { }

    /// <summary>When <see cref="CancelFitException"/> stopped the fit.</summary>
    /// <param name="learner">The learner being fitted.</param>
    public virtual void AfterCancelFit(Learner learner) { }

    /// <summary>Before an epoch's training phase.</summary>
    /// <param name="learner">The learner being fitted.</param>
    public virtual void BeforeEpoch(Learner learner) { }

    /// <summary>After an epoch's validation phase, also after a cancelled epoch.</summary>
    /// <param name="learner">The learner being fitted.</param>
    public virtual void AfterEpoch(Learner learner) { }

    /// <summary>When <see cref="CancelEpochException"/> stopped the epoch.</summary>
    /// <param name="learner">The learner being fitted.</param>
    public virtual void AfterCancelEpoch(Learner learner) { }

    /// <summary>Before the training batches of an epoch (the model is in training mode).</summary>
    /// <param name="learner">The learner being fitted.</param>
    public virtual void BeforeTrain(Learner learner) { }

    /// <summary>After the training batches of an epoch.</summary>
    /// <param name="learner">The learner being fitted.</param>
    public virtual void AfterTrain(Learner learner) { }

    /// <summary>Before the validation batches (evaluation mode, no gradients).</summary>
    /// <param name="learner">The learner being fitted.</param>
    public virtual void BeforeValidate(Learner learner) { }

    /// <summary>After the validation batches.</summary>
    /// <param name="learner">The learner being fitted.</param>
    public virtual void AfterValidate(Learner learner) { }

    /// <summary>Before a batch's forward pass; <see cref="Learner.X"/> and <see cref="Learner.Y"/> are on the device.</summary>
    /// <param name="learner">The learner being fitted.</param>
    public virtual void BeforeBatch(Learner learner) { }

    /// <summary>After the batch, also after a cancelled batch.</summary>
    /// <param name="learner">The learner being fitted.</param>
    public virtual void AfterBatch(Learner learner) { }

    /// <summary>When <see cref="CancelBatchException"/> stopped the batch.</summary>
    /// <param name="learner">The learner being fitted.</param>
    public virtual void AfterCancelBatch(Learner learner) { }

    /// <summary>After the forward pass, before the loss: <see cref="Learner.Preds"/> is set.</summary>
    /// <param name="learner">The learner being fitted.</param>
    public virtual void AfterPredict(Learner learner) { }

    /// <summary>After the loss is computed: <see cref="Learner.Loss"/> is set.</summary>
    /// <param name="learner">The learner being fitted.</param>
    public virtual void AfterLoss(Learner learner) { }

    /// <summary>Before <c>Loss.backward()</c> (training only).</summary>
    /// <param name="learner">The learner being fitted.</param>
    public virtual void BeforeBackward(Learner learner) { }

    /// <summary>After <c>Loss.backward()</c>: gradients are available (training only).</summary>
    /// <param name="learner">The learner being fitted.</param>
    public virtual void AfterBackward(Learner learner) { }

    /// <summary>Before the optimizer step (training only).</summary>
    /// <param name="learner">The learner being fitted.</param>
    public virtual void BeforeStep(Learner learner) { }

    /// <summary>After the optimizer step, before gradients are cleared (training only).</summary>
    /// <param name="learner">The learner being fitted.</param>
    public virtual void AfterStep(Learner learner) { }
}
