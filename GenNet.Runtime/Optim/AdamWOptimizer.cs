using System.Collections.Generic;
using TorchSharp.Modules;

namespace GenNet.Optim;

/// <summary>
/// Adam with decoupled weight decay (Loshchilov and Hutter) and PyTorch's defaults, including weight decay 0.01
/// (TorchSharp's <c>AdamW</c> defaults to 0): each step first shrinks the parameters by <c>lr * weightDecay</c>.
/// </summary>
public sealed class AdamWOptimizer : AdamOptimizer
{
    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameters">The parameters to update (create the optimizer after moving the model).</param>
    /// <param name="lr">The learning rate.</param>
    /// <param name="beta1">Decay of the running mean of gradients.</param>
    /// <param name="beta2">Decay of the running mean of squared gradients.</param>
    /// <param name="eps">Added to the denominator for numerical stability.</param>
    /// <param name="weightDecay">Decoupled weight decay.</param>
    /// <param name="amsgrad">Use AMSGrad.</param>
    /// <param name="flat">Lay parameters out in one buffer (see <see cref="Optimizer"/>).</param>
    public AdamWOptimizer(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0.01, bool amsgrad = false, bool flat = false)
        : base(parameters, lr, beta1, beta2, eps, weightDecay, amsgrad, flat)
    {
    }

    /// <inheritdoc />
    protected override bool DecoupledWeightDecay => true;
}
