using System;
using System.Collections.Generic;
using System.Linq;
using GenNet.Optim;
using GenNet.Training;
using Xunit;
using static GenNet.Tests.Training.TrainingTestData;
using static TorchSharp.torch;

namespace GenNet.Tests.Training;

/// <summary>The Learner's event order, callback ordering, cancellation, and callbacks changing state.</summary>
public sealed class LearnerCallbackTests
{
    private sealed class Recorder : Callback
    {
        private readonly int _order;
        private readonly Action<string, Learner>? _onEvent;

        public Recorder(List<string> log, int order = 0, string name = "", Action<string, Learner>? onEvent = null)
        {
            (Log, _order, Name, _onEvent) = (log, order, name, onEvent);
        }

        public List<string> Log { get; }
        public string Name { get; }
        public override int Order => _order;

        private void Record(string e, Learner l)
        {
            Log.Add(Name + e);
            _onEvent?.Invoke(e, l);
        }

        public override void BeforeFit(Learner l) => Record("BeforeFit", l);
        public override void AfterFit(Learner l) => Record("AfterFit", l);
        public override void AfterCancelFit(Learner l) => Record("AfterCancelFit", l);
        public override void BeforeEpoch(Learner l) => Record("BeforeEpoch", l);
        public override void AfterEpoch(Learner l) => Record("AfterEpoch", l);
        public override void AfterCancelEpoch(Learner l) => Record("AfterCancelEpoch", l);
        public override void BeforeTrain(Learner l) => Record("BeforeTrain", l);
        public override void AfterTrain(Learner l) => Record("AfterTrain", l);
        public override void BeforeValidate(Learner l) => Record("BeforeValidate", l);
        public override void AfterValidate(Learner l) => Record("AfterValidate", l);
        public override void BeforeBatch(Learner l) => Record("BeforeBatch", l);
        public override void AfterBatch(Learner l) => Record("AfterBatch", l);
        public override void AfterCancelBatch(Learner l) => Record("AfterCancelBatch", l);
        public override void AfterPredict(Learner l) => Record("AfterPredict", l);
        public override void AfterLoss(Learner l) => Record("AfterLoss", l);
        public override void BeforeBackward(Learner l) => Record("BeforeBackward", l);
        public override void AfterBackward(Learner l) => Record("AfterBackward", l);
        public override void BeforeStep(Learner l) => Record("BeforeStep", l);
        public override void AfterStep(Learner l) => Record("AfterStep", l);
    }

    private static readonly string[] TrainBatchEvents =
        { "BeforeBatch", "AfterPredict", "AfterLoss", "BeforeBackward", "AfterBackward", "BeforeStep", "AfterStep", "AfterBatch" };
    private static readonly string[] ValidBatchEvents = { "BeforeBatch", "AfterPredict", "AfterLoss", "AfterBatch" };

    private static Learner MakeLearner(IEnumerable<Callback> callbacks, (Tensor x, Tensor y) data, int[] trainSizes, int[] validSizes)
    {
        var train = Batches(data, trainSizes);
        var valid = Batches((data.x.narrow(0, trainSizes.Sum(), validSizes.Sum()), data.y.narrow(0, trainSizes.Sum(), validSizes.Sum())), validSizes);
        return new Learner(Model(1), train, valid, CrossEntropy, ps => new Sgd(ps, 0.1), callbacks, CPU);
    }

    [Fact]
    public void EventsRunInTheDocumentedOrder()
    {
        using var scope = NewDisposeScope();
        var log = new List<string>();
        var learner = MakeLearner(new[] { new Recorder(log) }, Classes(40, 1), new[] { 10, 10 }, new[] { 20 });
        learner.Fit(1);

        var expected = new List<string> { "BeforeFit", "BeforeEpoch", "BeforeTrain" };
        expected.AddRange(TrainBatchEvents);
        expected.AddRange(TrainBatchEvents);
        expected.AddRange(new[] { "AfterTrain", "BeforeValidate" });
        expected.AddRange(ValidBatchEvents);
        expected.AddRange(new[] { "AfterValidate", "AfterEpoch", "AfterFit" });
        Assert.Equal(expected, log);
        Assert.Equal(2, learner.TrainingSteps);
    }

    [Fact]
    public void CallbacksRunByOrderThenByInsertion()
    {
        using var scope = NewDisposeScope();
        var log = new List<string>();
        var callbacks = new[] { new Recorder(log, 5, "late:"), new Recorder(log, -1, "early:"), new Recorder(log, 5, "late2:"), new Recorder(log, 0, "mid:") };
        var learner = MakeLearner(callbacks, Classes(20, 2), new[] { 10 }, new[] { 10 });
        learner.Fit(1);
        Assert.Equal(new[] { "early:BeforeFit", "mid:BeforeFit", "late:BeforeFit", "late2:BeforeFit" }, log.Where(e => e.EndsWith(":BeforeFit")).ToArray());
    }

    [Fact]
    public void CancelBatchSkipsTheRestOfThatBatchOnly()
    {
        using var scope = NewDisposeScope();
        var log = new List<string>();
        var canceller = new Recorder(log, onEvent: (e, l) =>
        {
            if (e == "AfterLoss" && l.Training && l.Iteration == 0)
                throw new CancelBatchException();
        });
        var learner = MakeLearner(new[] { canceller }, Classes(40, 3), new[] { 10, 10, 10 }, new[] { 10 });
        learner.Fit(1);

        Assert.Equal(2, learner.TrainingSteps); // the first batch never stepped
        var firstBatch = log.SkipWhile(e => e != "BeforeBatch").TakeWhile(e => e != "AfterBatch").Append("AfterBatch").ToArray();
        Assert.Equal(new[] { "BeforeBatch", "AfterPredict", "AfterLoss", "AfterCancelBatch", "AfterBatch" }, firstBatch);
        Assert.Equal(1, log.Count(e => e == "AfterCancelBatch"));
        Assert.Contains("AfterValidate", log);
    }

    [Fact]
    public void CancelEpochSkipsValidationAndContinuesWithTheNextEpoch()
    {
        using var scope = NewDisposeScope();
        var log = new List<string>();
        var canceller = new Recorder(log, onEvent: (e, l) =>
        {
            if (e == "AfterTrain" && l.Epoch == 0)
                throw new CancelEpochException();
        });
        var learner = MakeLearner(new[] { canceller }, Classes(30, 4), new[] { 10, 10 }, new[] { 10 });
        learner.Fit(2);

        Assert.Equal(1, log.Count(e => e == "BeforeValidate")); // only the second epoch validated
        Assert.Equal(2, log.Count(e => e == "AfterEpoch"));
        var firstEpochEnd = log.SkipWhile(e => e != "AfterTrain").Take(3).ToArray();
        Assert.Equal(new[] { "AfterTrain", "AfterCancelEpoch", "AfterEpoch" }, firstEpochEnd);
        Assert.Equal(4, learner.TrainingSteps);
    }

    [Fact]
    public void CancelFitStopsEarlyAndStillRunsAfterFit()
    {
        using var scope = NewDisposeScope();
        var log = new List<string>();
        var stopper = new Recorder(log, order: 50, onEvent: (e, l) =>
        {
            if (e == "AfterEpoch" && l.Epoch == 1)
                throw new CancelFitException("early stopping");
        });
        var learner = MakeLearner(new[] { stopper }, Classes(30, 5), new[] { 10, 10 }, new[] { 10 });
        learner.Fit(10);

        Assert.Equal(2, log.Count(e => e == "BeforeEpoch"));
        Assert.Equal(new[] { "AfterCancelFit", "AfterFit" }, log.TakeLast(2).ToArray());
        Assert.Equal(4, learner.TrainingSteps);
    }

    [Fact]
    public void CallbacksCanChangeLearnerState()
    {
        using var scope = NewDisposeScope();
        var log = new List<string>();
        // Freezes training by setting the learning rate to zero, and swaps the loss for a scaled one.
        var changer = new Recorder(log, onEvent: (e, l) =>
        {
            if (e == "BeforeFit")
                l.Optimizer.LearningRate = 0;
            if (e == "AfterLoss" && !l.Training)
                l.Loss = l.Loss! * 0;
        });
        using var metrics = new MetricsCallback();
        var learner = MakeLearner(new Callback[] { changer, metrics }, Classes(30, 6), new[] { 10, 10 }, new[] { 10 });
        var before = Flatten(learner.Model.parameters());
        learner.Fit(2);

        Assert.Equal(before, Flatten(learner.Model.parameters()));
        Assert.Equal(0.0, learner.History[^1].ValidLoss);
        Assert.True(learner.History[^1].TrainLoss > 0);
    }

    [Fact]
    public void LearnerCreatesTheOptimizerFromTheMovedModel()
    {
        using var scope = NewDisposeScope();
        var data = Classes(10, 7);
        var model = Model(7);
        var learner = new Learner(model, Batches(data, 10), null, CrossEntropy, ps => new Sgd(ps, 0.1), device: CPU);
        Assert.Equal(model.parameters().Select(p => p.Handle), learner.Optimizer.Parameters.Select(p => p.Handle));
        Assert.Equal(TorchSharp.DeviceType.CPU, learner.Device.type);
    }

    [Fact]
    public void LearnerRejectsAnOptimizerOverOtherParameters()
    {
        using var scope = NewDisposeScope();
        var data = Classes(10, 8);
        using var foreign = new Sgd(Model(8).parameters(), 0.1);
        var error = Assert.Throws<ArgumentException>(() => new Learner(Model(9), Batches(data, 10), null, CrossEntropy, foreign));
        Assert.Contains("optimizer", error.Message);
    }
}
