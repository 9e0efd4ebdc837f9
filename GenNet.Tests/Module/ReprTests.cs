using System;
using System.Globalization;
using System.Linq;
using GenNet.Modules;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace GenNet.Tests.Module;

/// <summary>ToString() of [Module] classes and Repr() of TorchSharp modules print what PyTorch prints, byte for byte.</summary>
public sealed class ReprTests
{
    [Fact]
    public void LessonMlpPrintsLikePyTorch()
        => Assert.Equal(PyTorchReference.Block("mlp"), new Mlp(784, 50, 10).ToString());

    [Fact]
    public void LayersRegisteredWithAddModulePrintLikePyTorch()
        => Assert.Equal(PyTorchReference.Block("layers"),
            new LayersModel(nn.Linear(784, 50), nn.ReLU(), nn.Linear(50, 10)).ToString());

    [Fact]
    public void ModelOverModuleListPrintsLikePyTorch()
        => Assert.Equal(PyTorchReference.Block("module_list"),
            new SequentialModel(nn.Linear(784, 50), nn.ReLU(), nn.Linear(50, 10)).ToString());

    [Fact]
    public void PlainSequentialPrintsLikePyTorch()
        => Assert.Equal(PyTorchReference.Block("sequential"), nn.Sequential(nn.Linear(784, 50), nn.ReLU(), nn.Linear(50, 10)).Repr());

    [Fact]
    public void ExtraReprComesBeforeNestedContainers()
        => Assert.Equal(PyTorchReference.Block("block"), new Block().ToString());

    [Fact]
    public void UserModelWithManyLayerTypesPrintsLikePyTorch()
        => Assert.Equal(PyTorchReference.Block("zoo"), new Zoo().ToString());

    [Fact]
    public void ModuleWithoutMembersPrintsEmptyParentheses()
        => Assert.Equal(PyTorchReference.Block("tiny"), new Tiny().ToString());

    [Fact]
    public void BuiltInsPrintTheirConfiguration()
    {
        var builtins = nn.Sequential(
            nn.Linear(3, 4, hasBias: false),
            nn.Conv1d(16, 33, 3, stride: 2),
            nn.Conv2d(1, 8, 3, stride: 2, padding: 1),
            nn.Conv2d(4, 8, 3, padding: Padding.Same, bias: false),
            nn.Conv2d(2, 4, (3, 5), stride: (2, 1), padding: (4, 2), dilation: (3, 1), groups: 2, padding_mode: PaddingModes.Reflect),
            nn.ReLU(),
            nn.ReLU(inplace: true),
            nn.GELU(),
            nn.GELU(GELU.Approximate.tanh),
            nn.Sigmoid(),
            nn.Tanh(),
            nn.Dropout(0.25),
            nn.BatchNorm1d(10),
            nn.BatchNorm2d(8, eps: 1e-3, momentum: 0.01, affine: false),
            nn.LayerNorm(10),
            nn.LayerNorm(new long[] { 4, 5 }, eps: 1e-6),
            nn.Flatten(),
            nn.Flatten(0, 2),
            nn.Embedding(10, 3),
            nn.MaxPool2d(2),
            nn.MaxPool2d(3, stride: 2, padding: 1),
            nn.AvgPool2d(2),
            nn.AvgPool2d(3, stride: 1, padding: 1));

        Assert.Equal(PyTorchReference.Block("builtins"), builtins.Repr());
    }

    [Fact]
    public void ModuleListFoldsRunsOfIdenticalChildrenAsPyTorch2Does()
    {
        // PyTorch 2's ModuleList.__repr__ (torch/nn/modules/container.py); Debian's PyTorch 1.13 predates it.
        var list = nn.ModuleList<nn.Module<Tensor, Tensor>>(nn.Linear(4, 4), nn.Linear(4, 4), nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 4));
        string linear = nn.Linear(4, 4).Repr();

        Assert.Equal(
            $"ModuleList(\n  (0-2): 3 x {linear}\n  (3): ReLU()\n  (4): {linear}\n)",
            list.Repr());
    }

    [Fact]
    public void UnknownModulesFallBackToTheirName()
    {
        Assert.Equal("Plain()", new PlainModule().Repr());
        Assert.Equal("Mlp", ModuleRepr.ReprName(new Mlp(2, 2, 2)));
    }

    /// <summary>A hand-written module that is neither [Module] nor a TorchSharp layer.</summary>
    private sealed class PlainModule() : nn.Module<Tensor, Tensor>("Plain")
    {
        public override Tensor forward(Tensor x) => x;
    }

    [Fact]
    public void FloatsPrintAsPythonReprDoes()
    {
        foreach (var line in PyTorchReference.Lines("floats"))
        {
            var parts = line.Split(' ');
            double value = BitConverter.Int64BitsToDouble(long.Parse(parts[0], CultureInfo.InvariantCulture));
            Assert.Equal(parts[1], ModuleRepr.Float(value));
        }
    }

    [Fact]
    public void RegistrationDoesNotChangeTheRepr()
    {
        // A container prints its items before and after a parent registered them (TorchSharp registers them late).
        var list = nn.ModuleList<nn.Module<Tensor, Tensor>>(nn.Linear(784, 50), nn.ReLU());
        string before = list.Repr();
        var model = new SequentialModel(nn.Linear(1, 1));
        model.add_module("list", list);
        Assert.Equal(before, list.Repr());
    }
}
