using System;
using System.IO;
using System.Linq;
using System.Threading;
using GenNet.Data;
using GenNet.Optim;
using GenNet.Training;
using Xunit;
using static GenNet.Tests.Training.TrainingTestData;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GenNet.Tests.Training;

/// <summary>Training that stops and resumes from a checkpoint equals training that never stopped, bit for bit.</summary>
public sealed class ResumeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gennet-resume-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private sealed record Run(Learner Learner, DatasetLoader<(Tensor X, Tensor Y), (Tensor X, Tensor Y)> Train) : IDisposable
    {
        public void Dispose() => Train.Dispose();
    }

    // Dropout makes the model itself draw from the global generator, so the restored generator state matters too.
    private static Run NewRun((Tensor x, Tensor y) data, params Callback[] callbacks)
    {
        random.manual_seed(21);
        var model = Sequential(Linear(6, 16), ReLU(), Dropout(0.3), Linear(16, 3));
        var train = new DatasetLoader<(Tensor X, Tensor Y), (Tensor X, Tensor Y)>(Dataset.FromTensors(data.x, data.y), batchSize: 8, shuffle: true, seed: 11);
        var learner = new Learner(model, train, null, CrossEntropy, ps => new AdamOptimizer(ps, lr: 0.01), callbacks, CPU);
        return new Run(learner, train);
    }

    private static void Position(Run run, TrainingPosition position)
    {
        // The loader's sampler draws epoch e's order from (seed, e); a resumed run starts at the saved epoch.
        if (run.Train.Sampler is RandomSampler sampler)
            sampler.Epoch = position.Epoch;
        run.Learner.TrainingSteps = position.Step;
    }

    [Fact]
    public void TwoEpochsSavedAndOneResumedEqualThreeUninterruptedEpochs()
    {
        using var scope = NewDisposeScope();
        var data = Classes(80, 20);
        using var straight = NewRun(data);
        straight.Learner.Fit(3);

        var path = Path.Combine(_folder, "checkpoint.safetensors");
        using (var first = NewRun(data))
        {
            first.Learner.Fit(2);
            Checkpoint.Save(path, first.Learner.Model, first.Learner.Optimizer, new TrainingPosition(2, 0, first.Learner.TrainingSteps));
        }
        random.manual_seed(999); // whatever happened in between
        using var resumed = NewRun(data);
        var position = Checkpoint.Load(path, resumed.Learner.Model, resumed.Learner.Optimizer, restoreRandomState: true)!;
        Assert.Equal(new TrainingPosition(2, 0, 20), position);
        Position(resumed, position);
        resumed.Learner.Fit(3, startEpoch: position.Epoch);

        Assert.Equal(straight.Learner.TrainingSteps, resumed.Learner.TrainingSteps);
        Assert.Equal(Flatten(straight.Learner.Model.parameters()), Flatten(resumed.Learner.Model.parameters()));
    }

    [Fact]
    public void AStopRequestFinishesTheBatchAndRecordsWhereItStopped()
    {
        using var scope = NewDisposeScope();
        using var stop = new CancellationTokenSource();
        var stopper = new StopAfterBatchCallback(stop.Token);
        var batches = 0;
        using var run = NewRun(Classes(80, 22), stopper, new TestCallbacks.OnStep(l => { if (++batches == 13) stop.Cancel(); }));
        run.Learner.Fit(5);
        // 10 batches per epoch: the 13th is the third of the second epoch; nothing ran after it.
        Assert.Equal(new TrainingPosition(1, 3, 13), stopper.StoppedAt);
        Assert.Equal(13, run.Learner.TrainingSteps);
    }
}

internal static class TestCallbacks
{
    public sealed class OnStep(Action<Learner> action) : Callback
    {
        public override void AfterStep(Learner learner) => action(learner);
    }
}
