using System;
using System.Collections.Generic;
using System.Linq;
using GenNet.Optim;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GenNet.Training;

/// <summary>
/// The miniai/fastai <c>Learner</c>: a model, its data, a loss and an optimizer, fitted with callbacks. Each batch runs
/// in its own dispose scope, so every tensor created for it (the batch fetched from the source on this thread, the
/// activations, the loss, the gradients' temporaries) is freed when the batch ends; native memory does not grow with
/// the number of batches or epochs.
/// </summary>
/// <remarks>
/// Batch sources are any <see cref="IEnumerable{T}"/> of <c>(x, y)</c> pairs (a DataLoader, a list, an iterator).
/// Tensors a source creates while it is asked for the next batch, on the training thread, belong to that batch's
/// scope; a source that keeps tensors across batches (an index permutation, a buffer) must detach them from the
/// current dispose scope. Tensors created before fitting (a list of pre-made batches) are never disposed by the learner.
/// </remarks>
public sealed class Learner
{
    private static readonly Action<Callback, Learner> BeforeFitEvent = static (c, l) => c.BeforeFit(l);
    private static readonly Action<Callback, Learner> AfterFitEvent = static (c, l) => c.AfterFit(l);
    private static readonly Action<Callback, Learner> AfterCancelFitEvent = static (c, l) => c.AfterCancelFit(l);
    private static readonly Action<Callback, Learner> BeforeEpochEvent = static (c, l) => c.BeforeEpoch(l);
    private static readonly Action<Callback, Learner> AfterEpochEvent = static (c, l) => c.AfterEpoch(l);
    private static readonly Action<Callback, Learner> AfterCancelEpochEvent = static (c, l) => c.AfterCancelEpoch(l);
    private static readonly Action<Callback, Learner> BeforeBatchEvent = static (c, l) => c.BeforeBatch(l);
    private static readonly Action<Callback, Learner> AfterBatchEvent = static (c, l) => c.AfterBatch(l);
    private static readonly Action<Callback, Learner> AfterCancelBatchEvent = static (c, l) => c.AfterCancelBatch(l);

    private readonly List<Callback> _callbacks = new();

    /// <summary>
    /// Moves <paramref name="model"/> to <paramref name="device"/> and only then creates the optimizer from its
    /// parameters (moving replaces TorchSharp's parameter objects).
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="trainData">Training batches, enumerated once per epoch.</param>
    /// <param name="validData">Validation batches, or <c>null</c> to skip validation.</param>
    /// <param name="lossFunc">The loss of (predictions, targets), e.g. <c>(preds, y) =&gt; nn.functional.cross_entropy(preds, y)</c>
    /// (a lambda: C# cannot turn a method with optional parameters, such as <c>cross_entropy</c>, into a two-argument
    /// delegate). A loss module such as <c>nn.CrossEntropyLoss()</c> is taken by the other overloads.</param>
    /// <param name="optimizer">Creates the optimizer from the moved model's parameters, e.g. <c>ps =&gt; new Sgd(ps, 0.1)</c>.</param>
    /// <param name="callbacks">Callbacks; more can be added with <see cref="Add"/>.</param>
    /// <param name="device">The device; <see cref="Devices.Default"/> when null (CUDA when available).</param>
    public Learner(Module<Tensor, Tensor> model, IEnumerable<(Tensor x, Tensor y)> trainData, IEnumerable<(Tensor x, Tensor y)>? validData,
        Func<Tensor, Tensor, Tensor> lossFunc, Func<IEnumerable<Parameter>, Optimizer> optimizer, IEnumerable<Callback>? callbacks = null, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        Device = device ?? Devices.Default;
        model.to(Device);
        Model = model;
        Optimizer = optimizer(model.parameters()) ?? throw new ArgumentException("The optimizer factory returned null.", nameof(optimizer));
        (TrainData, ValidData, LossFunc) = (trainData ?? throw new ArgumentNullException(nameof(trainData)), validData, lossFunc ?? throw new ArgumentNullException(nameof(lossFunc)));
        foreach (var cb in callbacks ?? Enumerable.Empty<Callback>())
            Add(cb);
    }

    /// <summary>
    /// Takes the loss as a module, as PyTorch's <c>loss_func=nn.CrossEntropyLoss()</c>: moves <paramref name="model"/> to
    /// <paramref name="device"/> and then creates the optimizer from its parameters.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="trainData">Training batches, enumerated once per epoch.</param>
    /// <param name="validData">Validation batches, or <c>null</c> to skip validation.</param>
    /// <param name="lossFunc">A loss module of (predictions, targets), e.g. <c>nn.CrossEntropyLoss()</c> or <c>nn.MSELoss()</c>;
    /// a loss with a class-weight tensor must have it on <paramref name="device"/>.</param>
    /// <param name="optimizer">Creates the optimizer from the moved model's parameters, e.g. <c>ps =&gt; new Sgd(ps, 0.1)</c>.</param>
    /// <param name="callbacks">Callbacks; more can be added with <see cref="Add"/>.</param>
    /// <param name="device">The device; <see cref="Devices.Default"/> when null (CUDA when available).</param>
    public Learner(Module<Tensor, Tensor> model, IEnumerable<(Tensor x, Tensor y)> trainData, IEnumerable<(Tensor x, Tensor y)>? validData,
        Module<Tensor, Tensor, Tensor> lossFunc, Func<IEnumerable<Parameter>, Optimizer> optimizer, IEnumerable<Callback>? callbacks = null, Device? device = null)
        : this(model, trainData, validData, AsFunc(lossFunc), optimizer, callbacks, device)
    {
    }

    /// <summary>Takes the loss as a module and uses an optimizer that already exists.</summary>
    /// <param name="model">The model.</param>
    /// <param name="trainData">Training batches.</param>
    /// <param name="validData">Validation batches, or <c>null</c>.</param>
    /// <param name="lossFunc">A loss module of (predictions, targets), e.g. <c>nn.CrossEntropyLoss()</c>.</param>
    /// <param name="optimizer">An optimizer over <paramref name="model"/>'s parameters.</param>
    /// <param name="callbacks">Callbacks.</param>
    /// <exception cref="ArgumentException">The optimizer does not update the model's parameters.</exception>
    public Learner(Module<Tensor, Tensor> model, IEnumerable<(Tensor x, Tensor y)> trainData, IEnumerable<(Tensor x, Tensor y)>? validData,
        Module<Tensor, Tensor, Tensor> lossFunc, Optimizer optimizer, IEnumerable<Callback>? callbacks = null)
        : this(model, trainData, validData, AsFunc(lossFunc), optimizer, callbacks)
    {
    }

    private static Func<Tensor, Tensor, Tensor> AsFunc(Module<Tensor, Tensor, Tensor> lossModule) =>
        (lossModule ?? throw new ArgumentNullException("lossFunc")).call;

    /// <summary>
    /// Uses an optimizer that already exists (the lesson's <c>fit</c>); the device is the one the optimizer's parameters
    /// are on, and the model must already be there.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="trainData">Training batches.</param>
    /// <param name="validData">Validation batches, or <c>null</c>.</param>
    /// <param name="lossFunc">The loss of (predictions, targets).</param>
    /// <param name="optimizer">An optimizer over <paramref name="model"/>'s parameters.</param>
    /// <param name="callbacks">Callbacks.</param>
    /// <exception cref="ArgumentException">The optimizer does not update the model's parameters (e.g. it was created
    /// before the model moved to another device).</exception>
    public Learner(Module<Tensor, Tensor> model, IEnumerable<(Tensor x, Tensor y)> trainData, IEnumerable<(Tensor x, Tensor y)>? validData,
        Func<Tensor, Tensor, Tensor> lossFunc, Optimizer optimizer, IEnumerable<Callback>? callbacks = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        var modelParameters = model.parameters().Select(p => p.Handle).ToHashSet();
        if (!optimizer.Parameters.All(p => modelParameters.Contains(p.Handle)))
            throw new ArgumentException("The optimizer's parameters are not the model's (was the optimizer created before moving the model to its device?).", nameof(optimizer));
        Device = optimizer.Parameters[0].device;
        Model = model;
        Optimizer = optimizer;
        (TrainData, ValidData, LossFunc) = (trainData ?? throw new ArgumentNullException(nameof(trainData)), validData, lossFunc ?? throw new ArgumentNullException(nameof(lossFunc)));
        foreach (var cb in callbacks ?? Enumerable.Empty<Callback>())
            Add(cb);
    }

    /// <summary>The model being trained.</summary>
    public Module<Tensor, Tensor> Model { get; }

    /// <summary>The optimizer; callbacks may change its learning rate.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The loss function.</summary>
    public Func<Tensor, Tensor, Tensor> LossFunc { get; set; }

    /// <summary>The training batches.</summary>
    public IEnumerable<(Tensor x, Tensor y)> TrainData { get; set; }

    /// <summary>The validation batches, or <c>null</c>.</summary>
    public IEnumerable<(Tensor x, Tensor y)>? ValidData { get; set; }

    /// <summary>Where the model and batches live.</summary>
    public Device Device { get; }

    /// <summary>The callbacks, in the order they run.</summary>
    public IReadOnlyList<Callback> Callbacks => _callbacks;

    /// <summary>Per-epoch results recorded by <see cref="MetricsCallback"/>.</summary>
    public List<EpochResult> History { get; } = new();

    /// <summary>The current epoch, from 0.</summary>
    public int Epoch { get; private set; }

    /// <summary>The number of epochs of the current <see cref="Fit"/>.</summary>
    public int Epochs { get; private set; }

    /// <summary>The batch index within the current phase, from 0.</summary>
    public int Iteration { get; private set; }

    /// <summary>Optimizer steps taken so far, over all fits (set it when resuming from a checkpoint).</summary>
    public long TrainingSteps { get; set; }

    /// <summary>Whether the current phase is training (else validation).</summary>
    public bool Training { get; private set; }

    /// <summary>The current batch's inputs, on <see cref="Device"/> (callbacks may replace them in <c>BeforeBatch</c>).</summary>
    public Tensor? X { get; set; }

    /// <summary>The current batch's targets, on <see cref="Device"/>.</summary>
    public Tensor? Y { get; set; }

    /// <summary>The model's output for <see cref="X"/>.</summary>
    public Tensor? Preds { get; set; }

    /// <summary>The current batch's loss (callbacks may replace it in <c>AfterLoss</c>).</summary>
    public Tensor? Loss { get; set; }

    /// <summary>Adds a callback in its <see cref="Callback.Order"/> position (after callbacks of the same order).</summary>
    /// <param name="callback">The callback.</param>
    public Learner Add(Callback callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var index = _callbacks.FindIndex(c => c.Order > callback.Order);
        _callbacks.Insert(index < 0 ? _callbacks.Count : index, callback);
        return this;
    }

    /// <summary>Trains for <paramref name="epochs"/> epochs, validating after each.</summary>
    /// <param name="epochs">How many epochs; at least 1.</param>
    /// <param name="lr">A learning rate to set first, or <c>null</c> to keep the optimizer's.</param>
    /// <param name="startEpoch">Skip the epochs before this one (fastai's <c>start_epoch</c>), e.g. when resuming from
    /// a checkpoint: <c>Fit(5, startEpoch: 2)</c> runs epochs 2, 3 and 4.</param>
    public void Fit(int epochs, double? lr = null, int startEpoch = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(startEpoch);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(startEpoch, epochs);
        if (lr is { } rate)
            Optimizer.LearningRate = rate;
        Epochs = epochs;
        WithEvents<CancelFitException>(() =>
        {
            for (Epoch = startEpoch; Epoch < Epochs; Epoch++)
                WithEvents<CancelEpochException>(OneEpoch, BeforeEpochEvent, AfterEpochEvent, AfterCancelEpochEvent);
        }, BeforeFitEvent, AfterFitEvent, AfterCancelFitEvent);
    }

    private void OneEpoch()
    {
        Training = true;
        Model.train();
        Run(static (c, l) => c.BeforeTrain(l));
        RunBatches(TrainData);
        Run(static (c, l) => c.AfterTrain(l));
        if (ValidData is null)
            return;
        Training = false;
        Model.eval();
        using (no_grad())
        {
            Run(static (c, l) => c.BeforeValidate(l));
            RunBatches(ValidData);
            Run(static (c, l) => c.AfterValidate(l));
        }
    }

    private void RunBatches(IEnumerable<(Tensor x, Tensor y)> data)
    {
        using var batches = data.GetEnumerator();
        for (Iteration = 0; ; Iteration++)
        {
            using var scope = NewDisposeScope();
            if (!batches.MoveNext())
                break;
            var (x, y) = batches.Current;
            X = Devices.ToDevice(x, Device);
            Y = Devices.ToDevice(y, Device);
            try
            {
                WithEvents<CancelBatchException>(OneBatch, BeforeBatchEvent, AfterBatchEvent, AfterCancelBatchEvent);
            }
            finally
            {
                X = Y = Preds = Loss = null;
            }
        }
    }

    private void OneBatch()
    {
        Preds = Model.call(X!);
        Run(static (c, l) => c.AfterPredict(l));
        Loss = LossFunc(Preds, Y!);
        Run(static (c, l) => c.AfterLoss(l));
        if (!Training)
            return;
        Run(static (c, l) => c.BeforeBackward(l));
        Loss.backward();
        Run(static (c, l) => c.AfterBackward(l));
        Run(static (c, l) => c.BeforeStep(l));
        Optimizer.Step();
        TrainingSteps++;
        Run(static (c, l) => c.AfterStep(l));
        Optimizer.ZeroGrad();
    }

    // fastai's _with_events: before, body; on the matching cancellation the after_cancel event; the after event always.
    private void WithEvents<TCancel>(Action body, Action<Callback, Learner> before, Action<Callback, Learner> after, Action<Callback, Learner> afterCancel)
        where TCancel : Exception
    {
        try
        {
            Run(before);
            body();
        }
        catch (TCancel)
        {
            Run(afterCancel);
        }
        Run(after);
    }

    private void Run(Action<Callback, Learner> hook)
    {
        // Index loop: callbacks may add callbacks; the list is small.
        for (var i = 0; i < _callbacks.Count; i++)
            hook(_callbacks[i], this);
    }
}
