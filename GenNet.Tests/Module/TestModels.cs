using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenNet.Tests.Module;

// The C# twins of the models in reference/repr_golden.py, written as a user would, plus a few that exercise one
// registration rule each. This assembly consumes the generator, so each [Module] here is compiled with it.

/// <summary>The lesson's MLP: two partial properties and a field.</summary>
[Module]
public partial class Mlp : nn.Module<Tensor, Tensor>
{
    public partial Linear L1 { get; set; }
    public partial ReLU Act { get; set; }
    private readonly Linear l2;

    public Mlp(int nIn, int nH, int nOut) : base(nameof(Mlp))
    {
        L1 = nn.Linear(nIn, nH);
        Act = nn.ReLU();
        l2 = nn.Linear(nH, nOut);
        RegisterComponents();
    }

    public Linear L2 => l2;

    public override Tensor forward(Tensor x) => l2.call(Act.call(L1.call(x)));
}

/// <summary>The lesson's list of layers, registered by hand with add_module as layer_0, layer_1, …</summary>
[Module]
public partial class LayersModel : nn.Module<Tensor, Tensor>
{
    [NotRegistered] private readonly nn.Module<Tensor, Tensor>[] _layers;

    public LayersModel(params nn.Module<Tensor, Tensor>[] layers) : base(nameof(LayersModel))
    {
        _layers = layers;
        for (int i = 0; i < layers.Length; i++)
            add_module($"layer_{i}", layers[i]);
    }

    public override Tensor forward(Tensor x) => _layers.Aggregate(x, (v, layer) => layer.call(v));
}

/// <summary>The lesson's model over nn.ModuleList.</summary>
[Module]
public partial class SequentialModel : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> layers;

    public SequentialModel(params nn.Module<Tensor, Tensor>[] layers) : base(nameof(SequentialModel))
    {
        this.layers = nn.ModuleList(layers);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => layers.Aggregate(x, (v, layer) => layer.call(v));
}

/// <summary>A parameter, a buffer, containers and an ExtraRepr — the 'block' model of the golden file.</summary>
[Module]
public partial class Block : nn.Module<Tensor, Tensor>
{
    private readonly Parameter _scale;
    public partial Tensor RunningMean { get; set; }
    public partial Conv2d Conv { get; set; }
    private readonly ModuleDict<Linear> heads;
    public partial Sequential Body { get; set; }

    public Block() : base(nameof(Block))
    {
        _scale = new Parameter(ones(4));
        RunningMean = zeros(4);
        Conv = nn.Conv2d(1, 8, 3, stride: 2, padding: 1);
        heads = nn.ModuleDict(("cls", nn.Linear(8, 10)), ("box", nn.Linear(8, 4, hasBias: false)));
        Body = nn.Sequential(nn.Flatten(), nn.Dropout(0.25), nn.Sequential(nn.Linear(8, 8), nn.GELU()));
        RegisterComponents();
    }

    public Parameter Scale => _scale;

    private string ExtraRepr() => "width=4\nnote=two lines";

    public override Tensor forward(Tensor x) => x * _scale;
}

/// <summary>No members at all.</summary>
[Module]
public partial class Tiny : nn.Module<Tensor, Tensor>
{
    public Tiny() : base(nameof(Tiny)) { }

    public override Tensor forward(Tensor x) => x;
}

/// <summary>Assigned in the reverse of declaration order, with a field between the properties.</summary>
[Module]
public partial class Reversed : nn.Module<Tensor, Tensor>
{
    public partial Linear First { get; set; }
    private readonly Linear _second;
    public partial Linear Third { get; set; }

    public Reversed() : base(nameof(Reversed))
    {
        Third = nn.Linear(2, 2);
        add_module("extra", nn.ReLU());
        _second = nn.Linear(2, 2);
        First = nn.Linear(2, 2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => Third.call(_second.call(First.call(x)));
}

/// <summary>Tensor members: a Parameter property, persistent and non-persistent buffers, a readonly Parameter field.</summary>
[Module]
public partial class Affine : nn.Module<Tensor, Tensor>
{
    public partial Parameter Weight { get; set; }
    private readonly Parameter m_bias;
    public partial Tensor Mean { get; set; }
    [NonPersistent] public partial Tensor? Mask { get; set; }
    [RegisterAs("gain")] public partial Tensor Scale { get; set; }

    public Affine(int n) : base(nameof(Affine))
    {
        Weight = new Parameter(randn(n));
        m_bias = new Parameter(zeros(n));
        Mean = zeros(n);
        Mask = ones(n);
        Scale = new Parameter(ones(n)); // a Parameter in a Tensor member is a parameter, as in PyTorch
        RegisterComponents();
    }

    public Parameter Bias => m_bias;

    public override Tensor forward(Tensor x) => (x - Mean) * Weight * Scale + m_bias;
}

/// <summary>A [Module] child with Dropout, to see train()/eval() reach grandchildren.</summary>
[Module]
public partial class Head : nn.Module<Tensor, Tensor>
{
    public partial Dropout Drop { get; set; }
    public partial Linear Out { get; set; }

    public Head(int nIn, int nOut) : base(nameof(Head))
    {
        Drop = nn.Dropout(0.5);
        Out = nn.Linear(nIn, nOut);
    }

    public override Tensor forward(Tensor x) => Out.call(Drop.call(x));
}

/// <summary>A [Module] base class and a derived one, each adding members.</summary>
[Module]
public abstract partial class Backbone : nn.Module<Tensor, Tensor>
{
    public partial Linear Stem { get; set; }

    protected Backbone(string name, int n) : base(name) => Stem = nn.Linear(n, n);
}

/// <summary>Derives from <see cref="Backbone"/>; its own members come after the base's.</summary>
[Module]
public partial class Net : Backbone
{
    public partial Head Classifier { get; set; }
    private readonly BatchNorm1d _norm;

    public Net(int n, int classes) : base(nameof(Net), n)
    {
        _norm = nn.BatchNorm1d(n);
        Classifier = new Head(n, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => Classifier.call(nn.functional.relu(_norm.call(Stem.call(x))));
}

/// <summary>A generic [Module]: a type-parameter member constrained to a module, and a member typed as IModule.</summary>
[Module]
public partial class Wrapper<TInner> : nn.Module<Tensor, Tensor> where TInner : nn.Module<Tensor, Tensor>
{
    private readonly TInner _inner;
    private readonly nn.IModule<Tensor, Tensor> _activation;

    public Wrapper(TInner inner) : base("Wrapper")
    {
        _inner = inner;
        _activation = nn.ReLU();
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _inner.call(x);
}

/// <summary>A user's model with one child of many layer types (issue 14's example), printed by the generated ToString().</summary>
[Module]
public partial class Zoo : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv = nn.Conv2d(3, 16, 3, padding: 1);
    private readonly MaxPool1d maxpool1d = nn.MaxPool1d(3);
    private readonly AdaptiveAvgPool2d adaptiveAvg = nn.AdaptiveAvgPool2d(1);
    private readonly LeakyReLU leaky = nn.LeakyReLU(0.2);
    private readonly Softmax softmax = nn.Softmax(1);
    private readonly Dropout2d dropout2d = nn.Dropout2d(0.3);
    private readonly GroupNorm groupNorm = nn.GroupNorm(4, 16);
    private readonly LSTM lstm = nn.LSTM(10, 20, numLayers: 2, batchFirst: true);
    private readonly Embedding embedding = nn.Embedding(100, 16);
    private readonly Upsample upsample = nn.Upsample(scale_factor: new[] { 2.0 }, mode: UpsampleMode.Nearest);
    private readonly ModuleList<Sequential> blocks = nn.ModuleList(Enumerable.Range(0, 3).Select(_ => nn.Sequential(nn.Linear(16, 16), nn.GELU())).ToArray());
    private readonly CrossEntropyLoss loss = nn.CrossEntropyLoss();

    public Zoo() : base(nameof(Zoo)) => RegisterComponents();

    public override Tensor forward(Tensor x) => x;
}
