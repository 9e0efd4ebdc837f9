using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GenNet.Samples;

/// <summary>
/// The lesson's model: 784-50-ReLU-10.
/// MERGE SEAM: a plain TorchSharp module (fields + RegisterComponents) until the [Module] generator (issue 3) lands;
/// then it becomes a [Module] partial class and prints a PyTorch-style repr.
/// </summary>
internal sealed class Mlp : Module<Tensor, Tensor>
{
    private readonly TorchSharp.Modules.Linear l1;
    private readonly TorchSharp.Modules.ReLU relu;
    private readonly TorchSharp.Modules.Linear l2;

    public Mlp(int nIn = 784, int nHidden = 50, int nOut = 10) : base(nameof(Mlp))
    {
        l1 = Linear(nIn, nHidden);
        relu = ReLU();
        l2 = Linear(nHidden, nOut);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => l2.call(relu.call(l1.call(x)));
}
