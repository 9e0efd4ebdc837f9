using System;
using System.Collections.Generic;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenNet.Optim;

/// <summary>
/// Adam with PyTorch's defaults (lr 1e-3, betas 0.9/0.999, eps 1e-8), L2 weight decay added to the gradient, and
/// optional AMSGrad; computed as PyTorch's single-tensor implementation does. <see cref="AdamWOptimizer"/> decouples the decay.
/// </summary>
public class AdamOptimizer : Optimizer
{
    private readonly Tensor?[] _expAvg;
    private readonly Tensor?[] _expAvgSq;
    private readonly Tensor?[] _maxExpAvgSq;
    private readonly long[] _steps;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameters">The parameters to update (create the optimizer after moving the model).</param>
    /// <param name="lr">The learning rate.</param>
    /// <param name="beta1">Decay of the running mean of gradients.</param>
    /// <param name="beta2">Decay of the running mean of squared gradients.</param>
    /// <param name="eps">Added to the denominator for numerical stability.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient.</param>
    /// <param name="amsgrad">Use the maximum of past squared-gradient averages (AMSGrad).</param>
    /// <param name="flat">Lay parameters out in one buffer (see <see cref="Optimizer"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">A beta outside [0, 1), or a negative eps or weight decay.</exception>
    public AdamOptimizer(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0, bool amsgrad = false, bool flat = false)
        : base(parameters, lr, flat)
    {
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1).");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1).");
        if (!(eps >= 0)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be non-negative.");
        if (!(weightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Weight decay must be non-negative.");
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
        AmsGrad = amsgrad;
        _expAvg = DeclareState("exp_avg");
        _expAvgSq = DeclareState("exp_avg_sq");
        _maxExpAvgSq = DeclareState("max_exp_avg_sq");
        _steps = DeclareCounter("step");
    }

    /// <summary>Decay of the running mean of gradients.</summary>
    public double Beta1 { get; }

    /// <summary>Decay of the running mean of squared gradients.</summary>
    public double Beta2 { get; }

    /// <summary>Added to the denominator.</summary>
    public double Eps { get; }

    /// <summary>Weight decay: an L2 penalty for <see cref="AdamOptimizer"/>, decoupled for <see cref="AdamWOptimizer"/>.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether AMSGrad is used.</summary>
    public bool AmsGrad { get; }

    /// <summary>Whether weight decay shrinks the parameters directly (AdamW) instead of joining the gradient.</summary>
    protected virtual bool DecoupledWeightDecay => false;

    /// <inheritdoc />
    protected override void Update(int slot, Tensor param, Tensor grad)
    {
        var step = ++_steps[slot];
        if (WeightDecay != 0)
        {
            if (DecoupledWeightDecay)
                param.mul_(1 - LearningRate * WeightDecay);
            else
                grad = grad.add(param, alpha: WeightDecay);
        }
        var expAvg = _expAvg[slot] ?? Keep(_expAvg, slot, zeros_like(param));
        var expAvgSq = _expAvgSq[slot] ?? Keep(_expAvgSq, slot, zeros_like(param));
        expAvg.mul_(Beta1).add_(grad, alpha: 1 - Beta1);
        expAvgSq.mul_(Beta2).addcmul_(grad, grad, value: 1 - Beta2);

        var biasCorrection1 = 1 - Math.Pow(Beta1, step);
        var biasCorrection2Sqrt = Math.Sqrt(1 - Math.Pow(Beta2, step));
        Tensor denominatorSource = expAvgSq;
        if (AmsGrad)
        {
            var max = _maxExpAvgSq[slot] ?? Keep(_maxExpAvgSq, slot, zeros_like(param));
            max.copy_(maximum(max, expAvgSq));
            denominatorSource = max;
        }
        var denominator = (denominatorSource.sqrt() / biasCorrection2Sqrt).add_(Eps);
        param.addcdiv_(expAvg, denominator, value: -LearningRate / biasCorrection1);
    }
}
