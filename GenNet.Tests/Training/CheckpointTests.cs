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

        var error = Assert.Throws<GenNet.Serialization.StateDictMismatchException>(() => Checkpoint.Load(path, wider));
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
        var error = Assert.Throws<GenNet.Serialization.StateDictMismatchException>(() => Checkpoint.Load(path, deeper));
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

    [Fact]
    public void TheFileIsSafetensorsWithPrefixedEntriesAndThePositionInItsMetadata()
    {
        using var scope = NewDisposeScope();
        var model = Model(36);
        using var opt = new Sgd(model.parameters(), 0.1, momentum: 0.9);
        TrainSteps(model, opt, Classes(16, 36), 2);
        var path = Path.Combine(_folder, "checkpoint.safetensors");
        Checkpoint.Save(path, model, opt, new TrainingPosition(3, 7, 123));

        var tensors = GenNet.Serialization.SafeTensors.Load(path, out var metadata);
        Assert.Equal("gennet-checkpoint", metadata["format"]);
        Assert.Equal(("3", "7", "123"), (metadata["epoch"], metadata["batch"], metadata["step"]));
        Assert.Contains("model.0.weight", tensors.Keys);
        Assert.Contains("optimizer.lr", tensors.Keys);
        Assert.Contains("optimizer.momentum_buffer.0", tensors.Keys);
        Assert.Equal(new TrainingPosition(3, 7, 123), Checkpoint.Load(path, Model(37), new Sgd(Model(37).parameters(), 0.1, momentum: 0.9)));
    }

    [Fact]
    public void TheRandomGeneratorIsRestoredOnlyWhenAsked()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(_folder, "rng.safetensors");
        var model = Model(38); // seeds the generator itself, so it is made first
        random.manual_seed(5);
        Checkpoint.Save(path, model);
        var expected = rand(4).data<float>().ToArray();
        random.manual_seed(6);
        var unseeded = rand(4).data<float>().ToArray();
        random.manual_seed(6);
        Checkpoint.Load(path, model);
        Assert.Equal(unseeded, rand(4).data<float>().ToArray());
        Checkpoint.Load(path, model, restoreRandomState: true);
        Assert.Equal(expected, rand(4).data<float>().ToArray());
    }

    [Fact]
    public void AnOptimizerThatDoesNotFitLeavesTheModelUnchanged()
    {
        using var scope = NewDisposeScope();
        var model = Model(39);
        using var adam = new AdamOptimizer(model.parameters(), lr: 0.01);
        TrainSteps(model, adam, Classes(16, 39), 1);
        var path = Path.Combine(_folder, "adam.safetensors");
        Checkpoint.Save(path, model, adam);
        var other = Model(40);
        var before = Flatten(other.parameters());
        using var sgd = new Sgd(other.parameters(), 0.1, momentum: 0.9);
        var error = Assert.Throws<InvalidOperationException>(() => Checkpoint.Load(path, other, sgd));
        Assert.Contains("does not belong to this optimizer", error.Message);
        Assert.Equal(before, Flatten(other.parameters()));
    }

    [Fact]
    public void CheckpointsInTheFirstFormatStillLoad()
    {
        using var scope = NewDisposeScope();
        var model = Model(41);
        using var opt = new AdamOptimizer(model.parameters(), lr: 0.02);
        TrainSteps(model, opt, Classes(16, 41), 2);
        var path = Path.Combine(_folder, "old.ckpt");
        WriteFirstFormat(path, model, opt);

        var restored = Model(42);
        using var restoredOpt = new AdamOptimizer(restored.parameters(), lr: 0.5);
        Assert.Null(Checkpoint.Load(path, restored, restoredOpt));
        Assert.Equal(Flatten(model.parameters()), Flatten(restored.parameters()));
        Assert.Equal(0.02, restoredOpt.LearningRate);
    }

    // The GNCKPT01 writer as it shipped before safetensors became the default.
    private static void WriteFirstFormat(string path, TorchSharp.Modules.Sequential model, Optimizer optimizer)
    {
        using var writer = new BinaryWriter(File.Create(path), System.Text.Encoding.UTF8);
        writer.Write("GNCKPT01"u8.ToArray());
        foreach (var state in new[] { model.state_dict(), optimizer.StateDict() })
        {
            writer.Write(state.Count);
            foreach (var (name, tensor) in state)
            {
                writer.Write(name);
                writer.Write((int)tensor.dtype);
                writer.Write(tensor.shape.Length);
                foreach (var d in tensor.shape)
                    writer.Write(d);
                writer.Write(tensor.detach().cpu().contiguous().bytes);
            }
        }
    }
}
