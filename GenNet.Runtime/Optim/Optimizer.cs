using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenNet.Optim;

/// <summary>
/// The lesson's <c>Optimizer(params, lr)</c> with <see cref="Step"/> and <see cref="ZeroGrad"/>, as the base of real
/// optimizers. A subclass writes one update rule for a (parameter, gradient) pair; the base runs it under
/// <c>no_grad</c> in one dispose scope, keeps per-parameter state, and lays parameters out flat when asked.
/// </summary>
/// <remarks>
/// Create the optimizer after moving the model to its device: TorchSharp replaces the <see cref="Parameter"/> objects
/// when a module moves, so an optimizer made earlier would update tensors the model no longer uses.
/// </remarks>
public abstract class Optimizer : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly FlatParameters? _flat;
    private readonly Dictionary<string, Tensor?[]> _state = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long[]> _counters = new(StringComparer.Ordinal);
    private double _learningRate;
    private bool _disposed;

    /// <summary>Collects the parameters to update.</summary>
    /// <param name="parameters">The parameters, usually <c>model.parameters()</c>; each must require gradients.</param>
    /// <param name="learningRate">The step size; not negative.</param>
    /// <param name="flat">
    /// Lay every parameter and gradient out in one contiguous buffer, so that a step and a zero-grad are one operation
    /// per state tensor instead of one per parameter. The parameters keep their identity (they become views of the
    /// buffer); gradients must then be cleared with <see cref="ZeroGrad"/>, not replaced. All parameters must share a
    /// dtype and a device. Measured with <c>bench optim</c> (2 cores): it pays for optimizers with state (Adam: 0.64×
    /// the per-parameter time on an 80-tensor model, 0.93× on the lesson's 4-tensor MLP; SGD with momentum: 0.85× on 80
    /// tensors) and costs a little for plain SGD (1.06–1.08×, gradients must be zeroed instead of dropped), so it is off
    /// by default.
    /// </param>
    /// <exception cref="ArgumentException">No parameters, a parameter that does not require gradients, a negative
    /// learning rate, or (flat) parameters of different dtypes or devices.</exception>
    protected Optimizer(IEnumerable<Parameter> parameters, double learningRate, bool flat)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters.ToArray();
        if (_parameters.Length == 0)
            throw new ArgumentException("The optimizer got no parameters to update (did the model call RegisterComponents?).", nameof(parameters));
        for (var i = 0; i < _parameters.Length; i++)
        {
            if (_parameters[i] is null)
                throw new ArgumentException($"Parameter {i} is null.", nameof(parameters));
            if (!_parameters[i].requires_grad)
                throw new ArgumentException($"Parameter {i} (shape [{string.Join(", ", _parameters[i].shape)}]) does not require gradients.", nameof(parameters));
        }
        LearningRate = learningRate;
        if (flat)
            _flat = new FlatParameters(_parameters);
    }

    /// <summary>The parameters this optimizer updates, in the order given.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Whether parameters and gradients live in one flat buffer (see the constructor).</summary>
    public bool IsFlat => _flat is not null;

    /// <summary>The step size; callbacks and schedulers may change it between steps.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative or not a number.</exception>
    public double LearningRate
    {
        get => _learningRate;
        set
        {
            if (!(value >= 0))
                throw new ArgumentOutOfRangeException(nameof(LearningRate), value, "The learning rate must be a non-negative number.");
            _learningRate = value;
        }
    }

    /// <summary>How many state slots the update rule sees: one per parameter, or one in all when flat.</summary>
    protected int SlotCount => _flat is null ? _parameters.Length : 1;

    /// <summary>Updates every parameter that has a gradient, without recording the update for autograd.</summary>
    public void Step()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        if (_flat is not null)
        {
            _flat.EnsureGradientsAttached(_parameters);
            Update(0, _flat.Data, _flat.Grad);
            return;
        }
        for (var i = 0; i < _parameters.Length; i++)
        {
            var grad = _parameters[i].grad;
            if (grad is not null)
                Update(i, _parameters[i], grad);
        }
    }

    /// <summary>Clears the gradients before the next backward pass.</summary>
    /// <param name="setToNone">
    /// Drop the gradients instead of zeroing them (PyTorch 2's default), so the next backward pass writes fresh ones
    /// without an extra addition. Ignored when flat: the flat gradient buffer is zeroed in one operation instead.
    /// </param>
    public void ZeroGrad(bool setToNone = true)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (setToNone && _flat is null)
        {
            // The per-batch fast path: no tensor is created, so no scope or grad mode is needed.
            foreach (var p in _parameters)
                p.grad = null;
            return;
        }
        // In-place operations return new wrappers; the scope frees them even when the caller has no scope.
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        if (_flat is not null)
        {
            _flat.Grad.zero_();
            return;
        }
        foreach (var p in _parameters)
            p.grad?.zero_();
    }

    /// <summary>Applies the update rule to one slot, in place, under <c>no_grad</c> and a dispose scope.</summary>
    /// <param name="slot">The slot index (the parameter's index, or 0 when flat), for state declared with <see cref="DeclareState"/>.</param>
    /// <param name="param">The tensor to update in place.</param>
    /// <param name="grad">Its gradient.</param>
    protected abstract void Update(int slot, Tensor param, Tensor grad);

    /// <summary>Declares a per-slot state tensor (e.g. a momentum buffer); entries start as <c>null</c>.</summary>
    /// <param name="name">The name used in <see cref="StateDict"/>.</param>
    protected Tensor?[] DeclareState(string name)
    {
        var values = new Tensor?[SlotCount];
        _state.Add(name, values);
        return values;
    }

    /// <summary>Declares a per-slot counter (e.g. Adam's step count), saved with <see cref="StateDict"/>.</summary>
    /// <param name="name">The name used in <see cref="StateDict"/>.</param>
    protected long[] DeclareCounter(string name)
    {
        var values = new long[SlotCount];
        _counters.Add(name, values);
        return values;
    }

    /// <summary>Keeps a state tensor made during <see cref="Update"/> alive past the step's dispose scope.</summary>
    /// <param name="store">The array from <see cref="DeclareState"/>.</param>
    /// <param name="slot">The slot.</param>
    /// <param name="value">The new tensor; the previous one, if any, is disposed.</param>
    protected static Tensor Keep(Tensor?[] store, int slot, Tensor value)
    {
        var previous = store[slot];
        store[slot] = value.DetachFromDisposeScope();
        if (previous is not null && !ReferenceEquals(previous, value))
            previous.Dispose();
        return value;
    }

    /// <summary>
    /// The optimizer's state as named CPU tensors (copies): <c>lr</c>, each counter, and each state tensor as
    /// <c>name.slot</c>. Used by checkpoints.
    /// </summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var dict = new Dictionary<string, Tensor>(StringComparer.Ordinal) { ["lr"] = tensor(new[] { LearningRate }) };
        foreach (var (name, values) in _counters)
            dict[name] = tensor(values);
        foreach (var (name, values) in _state)
            for (var slot = 0; slot < values.Length; slot++)
                if (values[slot] is { } t)
                    dict[$"{name}.{slot}"] = t.detach().cpu().clone();
        return dict;
    }

    /// <summary>Restores state saved by <see cref="StateDict"/> of an optimizer of the same kind and layout.</summary>
    /// <param name="source">The saved state.</param>
    /// <exception cref="InvalidOperationException">A key is unknown, or a tensor's shape does not match the
    /// parameter it belongs to; the message names it. Nothing is changed in that case.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var slotShapes = _flat is null ? _parameters.Select(p => p.shape).ToArray() : new[] { _flat.Data.shape };
        foreach (var (key, value) in source)
        {
            if (key == "lr")
                continue;
            if (_counters.TryGetValue(key, out var counter))
            {
                if (value.numel() != counter.Length)
                    throw new InvalidOperationException($"Optimizer state '{key}' has {value.numel()} entries but this optimizer has {counter.Length} slots.");
                continue;
            }
            var dot = key.LastIndexOf('.');
            if (dot < 0 || !_state.ContainsKey(key[..dot]) || !int.TryParse(key[(dot + 1)..], out var slot) || slot < 0 || slot >= SlotCount)
                throw new InvalidOperationException($"Optimizer state '{key}' does not belong to this optimizer ({GetType().Name}, {SlotCount} slots, flat={IsFlat}).");
            if (!value.shape.SequenceEqual(slotShapes[slot]))
                throw new InvalidOperationException($"Optimizer state '{key}' has shape [{string.Join(", ", value.shape)}] but its parameter has shape [{string.Join(", ", slotShapes[slot])}].");
        }
        if (source.TryGetValue("lr", out var lr))
            LearningRate = lr.item<double>();
        foreach (var (name, counter) in _counters)
            if (source.TryGetValue(name, out var saved))
                saved.to(ScalarType.Int64).data<long>().CopyTo(counter, 0);
        foreach (var (name, values) in _state)
            for (var slot = 0; slot < values.Length; slot++)
            {
                values[slot]?.Dispose();
                values[slot] = source.TryGetValue($"{name}.{slot}", out var saved)
                    ? saved.to(SlotTensor(slot).device).clone().DetachFromDisposeScope()
                    : null;
            }
    }

    private Tensor SlotTensor(int slot) => _flat is null ? _parameters[slot] : _flat.Data;

    /// <summary>Releases state tensors and, when flat, the flat buffers' handles.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases state tensors.</summary>
    /// <param name="disposing">Called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed)
            return;
        _disposed = true;
        if (!disposing)
            return;
        foreach (var values in _state.Values)
            for (var i = 0; i < values.Length; i++)
            {
                values[i]?.Dispose();
                values[i] = null;
            }
        _flat?.Dispose();
    }
}
