using System;
using System.IO;
using System.Linq;
using GenNet.Optim;
using GenNet.Training;
using Xunit;
using static GenNet.Tests.Training.TrainingTestData;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GenNet.Tests.Training;

/// <summary>Atomic checkpoints of model and optimizer state, and clear errors when they do not fit.</summary>
public sealed class CheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gennet-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static void TrainSteps(TorchSharp.Modules.Sequential model, Optimizer opt, (Tensor x, Tensor y) data, int steps)
    {
        for (var i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            CrossEntropy(model.call(data.x), data.y).backward();
            opt.Step();
            opt.ZeroGrad();
        }
    }

    [Fact]
    public void RoundTripRestoresModelAndOptimizerSoTrainingContinuesIdentically()
    {
        using var scope = NewDisposeScope();
        var data = Classes(32, 31);
        var model = Model(31);
        using var opt = new AdamOptimizer(model.parameters(), lr: 0.01);
        TrainSteps(model, opt, data, 5);
        var path = Path.Combine(_folder, "run", "model.ckpt");
        Checkpoint.Save(path, model, opt);
        Checkpoint.Save(path, model, opt); // overwriting an existing checkpoint works

        var restored = Model(99); // different initial weights
        using var restoredOpt = new AdamOptimizer(restored.parameters(), lr: 0.5);
        Checkpoint.Load(path, restored, restoredOpt);
        Assert.Equal(Flatten(model.parameters()), Flatten(restored.parameters()));
        Assert.Equal(0.01, restoredOpt.LearningRate);

        // Adam's moments and step count came back too: three more steps give the same parameters.
        TrainSteps(model, opt, data, 3);
        TrainSteps(restored, restoredOpt, data, 3);
        Assert.Equal(Flatten(model.parameters()), Flatten(restored.parameters()));
        Assert.Equal(new[] { "model.ckpt" }, Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public void LoadingAMismatchedShapeNamesTheParameterAndChangesNothing()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(_folder, "small.ckpt");
        Checkpoint.Save(path, Model(32, hidden: 16));
        var wider = Model(33, hidden: 20);
        var before = Flatten(wider.parameters());

        var error = Assert.Throws<InvalidOperationException>(() => Checkpoint.Load(path, wider));
        Assert.Contains("'0.weight'", error.Message);
        Assert.Contains("[16, 6]", error.Message);
        Assert.Contains("[20, 6]", error.Message);
        Assert.Equal(before, Flatten(wider.parameters()));
    }

    [Fact]
    public void LoadingIntoADifferentArchitectureNamesTheMissingParameter()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(_folder, "two-layers.ckpt");
        Checkpoint.Save(path, Model(34));
        random.manual_seed(34);
        var deeper = Sequential(Linear(6, 16), ReLU(), Linear(16, 3), ReLU(), Linear(3, 3));
        var error = Assert.Throws<InvalidOperationException>(() => Checkpoint.Load(path, deeper));
        Assert.Contains("'4.weight'", error.Message);
    }

    [Fact]
    public void TruncatedOrForeignFilesAreReportedWithTheirPath()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(_folder, "model.ckpt");
        Checkpoint.Save(path, Model(35));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var truncated = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, Model(35)));
        Assert.Contains(path, truncated.Message);

        File.WriteAllText(path, "not a checkpoint at all");
        var foreign = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, Model(35)));
        Assert.Contains("not a GenNet checkpoint", foreign.Message);
    }
}
