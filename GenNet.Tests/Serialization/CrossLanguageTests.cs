using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using GenNet.Serialization;
using GenNet.Tests.Support;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace GenNet.Tests.Serialization;

/// <summary>A conv block with BatchNorm (running statistics are buffers in the state_dict).</summary>
[Module]
public partial class ConvBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d _conv;
    private readonly BatchNorm2d _bn;
    private readonly ReLU _act;
    private readonly Linear _head;

    public ConvBlock() : base(nameof(ConvBlock))
    {
        _conv = nn.Conv2d(1, 4, 3, padding: 1);
        _bn = nn.BatchNorm2d(4);
        _act = nn.ReLU();
        _head = nn.Linear(4 * 6 * 6, 3);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _head.call(_act.call(_bn.call(_conv.call(x))).flatten(1));
}

/// <summary>A raw Parameter and a plain buffer next to a layer.</summary>
[Module]
public partial class Scaled : nn.Module<Tensor, Tensor>
{
    private readonly Parameter _scale;
    private readonly Linear _lin;
    public partial Tensor Offset { get; set; }

    public Scaled() : base(nameof(Scaled))
    {
        _scale = new Parameter(ones(3));
        _lin = nn.Linear(5, 3);
        Offset = zeros(3);
        RegisterComponents();
    }

    public Parameter Scale => _scale;

    public override Tensor forward(Tensor x) => _lin.call(x) * _scale + Offset;
}

/// <summary>
/// Real round trips through Debian's PyTorch 1.13: C# writes safetensors and .pt files that the same models in
/// Python load with strict=True and run to the same outputs, and C# loads the files Python wrote.
/// </summary>
public sealed class CrossLanguageTests : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private const double Tolerance = 1e-6;
    private readonly string _folder = Directory.CreateTempSubdirectory("gennet-interop-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Script([CallerFilePath] string source = "") => Path.Combine(Path.GetDirectoryName(source)!, "reference", "interop.py");

    private static (string Name, nn.Module<Tensor, Tensor> Model, long[] InputShape)[] Models() => new (string, nn.Module<Tensor, Tensor>, long[])[]
    {
        ("mlp", new GenNet.Tests.Module.Mlp(784, 50, 10), new long[] { 4, 784 }),
        ("conv_block", new ConvBlock(), new long[] { 2, 1, 6, 6 }),
        ("scaled", new Scaled(), new long[] { 4, 5 }),
    };

    private ProcessResult RunPython(string mode)
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: install Debian's python3-torch and python3-numpy (.ci/run does).");
        var run = ProcessRunner.Run(Python, new[] { Script(), mode, _folder }, _folder, TimeSpan.FromMinutes(3));
        Assert.True(run.ExitCode == 0, run.Output);
        return run;
    }

    private static double MaxDifference(Tensor a, Tensor b)
    {
        Assert.Equal(a.shape, b.shape);
        return (a - b).abs().max().item<float>();
    }

    [Fact]
    public void PythonLoadsWhatCSharpSavedStrictlyAndComputesTheSameOutputs()
    {
        using var scope = NewDisposeScope();
        var expected = new Dictionary<string, Tensor>();
        foreach (var (name, model, inputShape) in Models())
        {
            random.manual_seed(7);
            using (no_grad())
            {
                if (model is Scaled scaled)
                {
                    scaled.Scale.copy_(tensor(new[] { 0.5f, -2f, 3f }));
                    scaled.Offset.copy_(tensor(new[] { 0.25f, 0f, -1f }));
                }
                if (model is ConvBlock)
                {
                    model.train();
                    for (var i = 0; i < 3; i++)
                        model.call(randn(8, 1, 6, 6) * 2 + 1);
                }
            }
            model.eval();
            var x = rand(inputShape);
            using (no_grad())
                expected[name] = model.call(x);
            model.SaveSafeTensors(Path.Combine(_folder, $"{name}.safetensors"));
            model.SavePyTorch(Path.Combine(_folder, $"{name}.pt"));
            SafeTensors.Save(Path.Combine(_folder, $"{name}.input.safetensors"), new Dictionary<string, Tensor> { ["input"] = x });
        }

        var run = RunPython("load");

        foreach (var (name, output) in expected)
            foreach (var kind in new[] { "st", "pt" })
            {
                Assert.Contains($"{name} {kind} <All keys matched successfully>", run.StandardOutput);
                var python = SafeTensors.Load(Path.Combine(_folder, $"{name}.out_{kind}.safetensors"))["output"];
                Assert.True(MaxDifference(output, python) <= Tolerance, $"{name}/{kind}: max difference {MaxDifference(output, python)}\n{run.Output}");
            }
        // The running statistics really travelled: Python's eval output depends on them.
        Assert.True(expected["conv_block"].abs().sum().item<float>() > 0);
    }

    [Fact]
    public void CSharpLoadsWhatPythonSavedStrictlyAndComputesTheSameOutputs()
    {
        using var scope = NewDisposeScope();
        RunPython("save");
        foreach (var (name, _, _) in Models())
        {
            var io = SafeTensors.Load(Path.Combine(_folder, $"{name}.py.io.safetensors"));
            foreach (var file in new[] { $"{name}.py.safetensors", $"{name}.py.pt", $"{name}.py.ckpt.pt" })
            {
                var model = Models().Single(m => m.Name == name).Model;
                var path = Path.Combine(_folder, file);
                var report = file.EndsWith(".ckpt.pt", StringComparison.Ordinal) ? model.LoadPyTorch(path, key: "model")
                    : file.EndsWith(".pt", StringComparison.Ordinal) ? model.LoadPyTorch(path) : model.LoadSafeTensors(path);
                Assert.True(report.AllMatched, report.ToString());
                model.eval();
                using (no_grad())
                {
                    var y = model.call(io["input"]);
                    Assert.True(MaxDifference(y, io["output"]) <= Tolerance, $"{file}: max difference {MaxDifference(y, io["output"])}");
                }
            }
        }
    }
}
