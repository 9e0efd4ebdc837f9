using System;
using System.Linq;
using System.Runtime.InteropServices;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenNet.Optim;

/// <summary>
/// One contiguous buffer for all parameters and one for all gradients; each parameter and its gradient become views of
/// them, so element-wise optimizer updates run once over the buffer instead of once per parameter.
/// </summary>
internal sealed class FlatParameters : IDisposable
{
    private readonly Tensor[] _gradViews;
    private readonly IntPtr[] _gradImpls;

    public FlatParameters(Parameter[] parameters)
    {
        var first = parameters[0];
        for (var i = 1; i < parameters.Length; i++)
        {
            if (parameters[i].dtype != first.dtype || parameters[i].device_type != first.device_type || parameters[i].device_index != first.device_index)
                throw new ArgumentException(
                    $"A flat optimizer needs one dtype and device for all parameters: parameter 0 is {first.dtype} on {first.device}, parameter {i} is {parameters[i].dtype} on {parameters[i].device}.",
                    nameof(parameters));
        }
        var total = parameters.Sum(p => p.numel());
        using var noGrad = no_grad();
        Data = empty(total, dtype: first.dtype, device: first.device).DetachFromDisposeScope();
        Grad = zeros(total, dtype: first.dtype, device: first.device).DetachFromDisposeScope();
        _gradViews = new Tensor[parameters.Length];
        _gradImpls = new IntPtr[parameters.Length];
        long offset = 0;
        for (var i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            var n = p.numel();
            using (var slice = Data.narrow(0, offset, n))
            using (var view = slice.view(p.shape))
            {
                view.copy_(p);
                p.set_(view);
            }
            using (var gradSlice = Grad.narrow(0, offset, n))
                _gradViews[i] = gradSlice.view(p.shape).DetachFromDisposeScope();
            using (var existing = p.grad)
                if (existing is not null)
                    _gradViews[i].copy_(existing);
            p.grad = _gradViews[i];
            _gradImpls[i] = TensorImplOf(_gradViews[i]);
            offset += n;
        }
    }

    /// <summary>All parameters, back to back.</summary>
    public Tensor Data { get; }

    /// <summary>All gradients, back to back.</summary>
    public Tensor Grad { get; }

    /// <summary>
    /// Checks that backward wrote into the flat gradient buffer (called inside the step's dispose scope). <c>Module.zero_grad()</c> sets gradients to null, after
    /// which autograd allocates fresh ones the flat step would never see; that would silently stop training.
    /// </summary>
    public void EnsureGradientsAttached(Parameter[] parameters)
    {
        for (var i = 0; i < parameters.Length; i++)
        {
            var grad = parameters[i].grad;
            if (grad is null)
            {
                // No gradient reached the parameter since it was dropped: the view must not carry an old one into the step.
                _gradViews[i].zero_();
                parameters[i].grad = _gradViews[i];
                continue;
            }
            if (TensorImplOf(grad) != _gradImpls[i])
                throw new InvalidOperationException(
                    $"The gradient of parameter {i} no longer lives in the flat optimizer's buffer (was Module.zero_grad() called? It sets gradients to null). Clear gradients with Optimizer.ZeroGrad() when flat is on.");
        }
    }

    // Each TorchSharp Tensor owns a heap-allocated at::Tensor, whose only field is the intrusive pointer to the shared
    // TensorImpl: two wrappers denote the same tensor exactly when these pointers are equal. Offsets or storage sizes
    // cannot tell a fresh gradient from the view (a lone parameter's view starts at offset 0 and spans the buffer), and
    // TorchSharp 0.107 exposes neither data_ptr() nor is_set_to().
    private static IntPtr TensorImplOf(Tensor tensor) => Marshal.ReadIntPtr(tensor.Handle);

    public void Dispose()
    {
        foreach (var view in _gradViews)
            view.Dispose();
        Data.Dispose();
        Grad.Dispose();
    }
}
