using GenNet;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenNet.Samples;

/// <summary>
/// The lesson's MLP (784-50-ReLU-10) as a <c>[Module]</c>: two partial properties (assignment registers, like
/// PyTorch's <c>__setattr__</c>) and a field (registered by the generated <c>RegisterComponents()</c>). Its
/// <c>ToString()</c> prints PyTorch's repr and its <c>state_dict</c> keys equal the PyTorch model's.
/// </summary>
[Module]
internal sealed partial class Mlp : nn.Module<Tensor, Tensor>
{
    public partial Linear L1 { get; set; }
    public partial ReLU Act { get; set; }
    private readonly Linear l2;

    public Mlp(int nIn = 784, int nH = 50, int nOut = 10) : base(nameof(Mlp))
    {
        L1 = nn.Linear(nIn, nH);
        Act = nn.ReLU();
        l2 = nn.Linear(nH, nOut);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => l2.call(Act.call(L1.call(x)));
}
