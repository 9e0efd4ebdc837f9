using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using GenNet.Optim;
using GenNet.Training;
using Xunit;
using static GenNet.Tests.Training.TrainingTestData;
using static TorchSharp.torch;

namespace GenNet.Tests.Training;

/// <summary>Size-weighted epoch metrics, the lesson's fit/get_dls, the progress printer and the JSON-lines log.</summary>
public sealed class MetricsTests
{
    [Fact]
    public void ValidationMetricsAreWeightedBySamplesNotBatches()
    {
        using var scope = NewDisposeScope();
        var data = Classes(60, 11);
        var train = Batches(data, 10, 10, 10);
        // Unequal validation batches (20, 7, 3): a mean of batch means would differ from the per-sample mean.
        var validData = (data.x.narrow(0, 30, 30), data.y.narrow(0, 30, 30));
        var valid = Batches(validData, 20, 7, 3);
        using var metrics = new MetricsCallback(new AccuracyMetric());
        var learner = new Learner(Model(11), train, valid, CrossEntropy, ps => new Sgd(ps, 0.5), new Callback[] { metrics }, CPU);
        learner.Fit(1);

        var result = learner.History.Single();
        learner.Model.eval();
        using (no_grad())
        {
            var preds = learner.Model.call(validData.Item1);
            var expectedLoss = CrossEntropy(preds, validData.Item2).item<float>();
            var expectedAccuracy = preds.argmax(1).eq(validData.Item2).to(ScalarType.Float64).mean().item<double>();
            Assert.Equal(expectedLoss, result.ValidLoss, 5);
            Assert.Equal(expectedAccuracy, result.ValidAccuracy, 10);

            var batchMeans = valid.Select(b => (double)CrossEntropy(learner.Model.call(b.x), b.y).item<float>()).Average();
            Assert.NotEqual(expectedLoss, batchMeans, 5);
        }
    }

    [Fact]
    public void LessonFitReturnsWeightedValidationLossAndAccuracyAndPrintsEpochLines()
    {
        using var scope = NewDisposeScope();
        var train = Classes(200, 12);
        var valid = Classes(70, 13);
        var (trainDl, validDl) = TrainingLoop.GetDls(train, valid, batchSize: 16, seed: 1);
        Assert.Equal(32, validDl.First().X.shape[0]); // validation batches are twice as large
        Assert.Equal(16, trainDl.First().X.shape[0]);

        var model = Model(12);
        using var opt = new Sgd(model.parameters(), 0.2);
        var output = new StringWriter();
        var (loss, accuracy) = TrainingLoop.Fit(3, model, CrossEntropy, opt, trainDl, validDl, output);

        var lines = output.ToString().Split('\n', System.StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("epoch 3 ", lines[2]);
        Assert.DoesNotContain('\r', output.ToString()); // no progress bar when not on a terminal
        model.eval();
        using (no_grad())
        {
            var preds = model.call(valid.x);
            Assert.Equal(CrossEntropy(preds, valid.y).item<float>(), loss, 5);
            Assert.Equal(preds.argmax(1).eq(valid.y).to(ScalarType.Float64).mean().item<double>(), accuracy, 10);
        }
        Assert.True(accuracy > 0.8, $"synthetic classes should be learnt; accuracy {accuracy}");
    }

    [Fact]
    public void ShuffledBatchesCoverEverySampleOnceAndChangeOrderBetweenEpochs()
    {
        using var scope = NewDisposeScope();
        var x = arange(0, 25, dtype: ScalarType.Float32).reshape(25, 1);
        var y = arange(0, 25, dtype: ScalarType.Int64);
        var (train, _) = TrainingLoop.GetDls((x, y), (x, y), batchSize: 4, seed: 5);
        long[] Epoch() => train.SelectMany(b => b.Y.data<long>().ToArray()).ToArray();
        var first = Epoch();
        var second = Epoch();
        Assert.Equal(Enumerable.Range(0, 25).Select(i => (long)i), first.OrderBy(v => v));
        Assert.Equal(Enumerable.Range(0, 25).Select(i => (long)i), second.OrderBy(v => v));
        Assert.NotEqual(first, second);
        Assert.Equal(7, train.Count);
    }

    [Fact]
    public void JsonLinesLoggerWritesOneParsableLinePerEpoch()
    {
        using var scope = NewDisposeScope();
        var folder = Directory.CreateTempSubdirectory("gennet-log-").FullName;
        try
        {
            var path = Path.Combine(folder, "sub", "metrics.jsonl");
            var data = Classes(40, 14);
            using var metrics = new MetricsCallback(new AccuracyMetric());
            using var logger = new JsonLinesLogger(path);
            var learner = new Learner(Model(14), Batches(data, 10, 10), Batches((data.x.narrow(0, 20, 20), data.y.narrow(0, 20, 20)), 20),
                CrossEntropy, ps => new Sgd(ps, 0.1), new Callback[] { logger, metrics }, CPU);
            learner.Fit(3);

            var lines = File.ReadAllLines(path);
            Assert.Equal(3, lines.Length);
            for (var i = 0; i < 3; i++)
            {
                using var json = JsonDocument.Parse(lines[i]);
                Assert.Equal(i + 1, json.RootElement.GetProperty("epoch").GetInt32());
                Assert.Equal(learner.History[i].ValidAccuracy, json.RootElement.GetProperty("valid_accuracy").GetDouble());
                Assert.Equal(learner.History[i].TrainLoss, json.RootElement.GetProperty("train_loss").GetDouble());
            }
            learner.Fit(1); // a second fit of the same learner appends
            Assert.Equal(4, File.ReadAllLines(path).Length);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
