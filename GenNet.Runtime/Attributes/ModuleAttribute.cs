using System;

namespace GenNet;

/// <summary>
/// Marks a <c>partial</c> class deriving from a TorchSharp <c>torch.nn.Module</c> for GenNet's source generator, which
/// writes — at compile time, without reflection — the registration of its module, <c>Parameter</c> and buffer
/// members under snake_case names (so <c>state_dict</c> keys match the equivalent PyTorch model), the bodies of its
/// partial properties (assigning registers or replaces a child, assigning null removes it, like PyTorch's
/// <c>__setattr__</c>), and a PyTorch-format <c>ToString()</c>.
/// </summary>
/// <example>
/// <code>
/// [Module]
/// public partial class Mlp : Module&lt;Tensor, Tensor&gt;
/// {
///     public partial Linear L1 { get; set; }
///     public Mlp() : base(nameof(Mlp)) { L1 = nn.Linear(784, 50); }
///     public override Tensor forward(Tensor x) => L1.call(x);
/// }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class ModuleAttribute : Attribute
{
}
