using System;
using System.Collections.Generic;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenNet.Optim;

/// <summary>
/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight decay, computed
/// exactly as PyTorch's and TorchSharp's <c>SGD</c>. With the defaults it is the lesson's optimizer:
/// <c>p -= p.grad * lr</c>.
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly Tensor?[] _momentumBuffers;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameters">The parameters to update (create the optimizer after moving the model).</param>
    /// <param name="lr">The learning rate.</param>
    /// <param name="momentum">Momentum factor; 0 turns momentum off.</param>
    /// <param name="dampening">Dampening for momentum.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient.</param>
    /// <param name="nesterov">Use Nesterov momentum (needs momentum &gt; 0 and no dampening).</param>
    /// <param name="flat">Lay parameters out in one buffer (see <see cref="Optimizer"/>).</param>
    /// <exception cref="ArgumentException">A negative hyperparameter, or Nesterov without momentum or with dampening.</exception>
    public Sgd(IEnumerable<Parameter> parameters, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false, bool flat = false)
        : base(parameters, lr, flat)
    {
        if (!(momentum >= 0)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be non-negative.");
        if (!(weightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Weight decay must be non-negative.");
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException("Nesterov momentum needs a positive momentum and zero dampening.", nameof(nesterov));
        Momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        _momentumBuffers = DeclareState("momentum_buffer");
    }

    /// <summary>Momentum factor.</summary>
    public double Momentum { get; }

    /// <summary>Dampening for momentum.</summary>
    public double Dampening { get; }

    /// <summary>L2 penalty.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc />
    protected override void Update(int slot, Tensor param, Tensor grad)
    {
        var d = WeightDecay != 0 ? grad.add(param, alpha: WeightDecay) : grad;
        if (Momentum != 0)
        {
            var buf = _momentumBuffers[slot];
            if (buf is null)
                buf = Keep(_momentumBuffers, slot, d.clone().detach());
            else
                buf.mul_(Momentum).add_(d, alpha: 1 - Dampening);
            d = Nesterov ? d.add(buf, alpha: Momentum) : buf;
        }
        param.add_(d, alpha: -LearningRate);
    }
}
