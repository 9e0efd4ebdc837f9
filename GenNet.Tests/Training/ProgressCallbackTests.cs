using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using GenNet.Optim;
using GenNet.Training;
using Xunit;
using static GenNet.Tests.Training.TrainingTestData;
using static TorchSharp.torch;

namespace GenNet.Tests.Training;

/// <summary>The progress bar's text, its total, its throttling (on a manual clock) and the redirected lines.</summary>
public sealed class ProgressCallbackTests
{
    /// <summary>A clock that moves only when told to.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = 1_000_000;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => _ticks;
        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }

    /// <summary>Advances the clock by a fixed time per batch, before the progress callback looks at it.</summary>
    private sealed class BatchTime(ManualClock clock, TimeSpan perBatch) : Callback
    {
        public override int Order => 15;
        public override void AfterBatch(Learner learner) => clock.Advance(perBatch);
    }

    private sealed class Sized(List<(Tensor x, Tensor y)> batches) : IReadOnlyCollection<(Tensor x, Tensor y)>
    {
        public int Count => batches.Count;
        public IEnumerator<(Tensor x, Tensor y)> GetEnumerator() => batches.GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private static IEnumerable<(Tensor x, Tensor y)> Iterate(List<(Tensor x, Tensor y)> batches)
    {
        foreach (var b in batches)
            yield return b;
    }

    private static readonly Regex PlainLine = new(@"^epoch (\d+)  train_loss=(\d+\.\d{4})  valid_loss=(\d+\.\d{4})  seconds=\d+\.\d$");

    [Fact]
    public void TheBarShowsDoneTotalPercentageElapsedRemainingAndLoss()
    {
        var line = ProgressText.Bar(1, 5, "train", 50, 200, TimeSpan.FromSeconds(10), 0.5, unicode: false);

        Assert.Equal("epoch 1/5 train |" + new string('#', 7) + new string('-', 23) + "| 25.0% 50/200 00:10<00:30 train_loss 0.5000", line);
        Assert.Contains("|" + new string('█', 30) + "| 100.0% 9/9 01:05<00:00 valid_loss 0.1235",
            ProgressText.Bar(2, 2, "valid", 9, 9, TimeSpan.FromSeconds(65), 0.12345, unicode: true));
    }

    [Fact]
    public void WithoutATotalTheBarShowsTheCountAndElapsedTimeOnly()
    {
        Assert.Equal("epoch 2/3 valid 7 batches 00:02", ProgressText.Bar(2, 3, "valid", 7, null, TimeSpan.FromSeconds(2.4), double.NaN, unicode: true));
    }

    [Fact]
    public void RemainingTimeAndDurationsFollowFastprogress()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), ProgressText.Remaining(25, 100, TimeSpan.FromSeconds(10)));
        Assert.Equal(TimeSpan.Zero, ProgressText.Remaining(0, 100, TimeSpan.FromSeconds(10)));
        Assert.Equal("00:00", ProgressText.Duration(TimeSpan.FromSeconds(0.4)));
        Assert.Equal("01:05", ProgressText.Duration(TimeSpan.FromSeconds(65)));
        Assert.Equal("1:02:05", ProgressText.Duration(TimeSpan.FromSeconds(3725)));
    }

    [Fact]
    public void TheTotalComesFromTheSourcesLengthWhenItHasOne()
    {
        using var scope = NewDisposeScope();
        var data = Classes(60, 1);
        var list = Batches(data, 10, 10, 10, 10, 10, 10);
        var (train, valid) = TrainingLoop.GetDls(data, data, batchSize: 8);

        Assert.Equal(6, ProgressCallback.CountOf(list));
        Assert.Equal(6, ProgressCallback.CountOf(list.ToArray()));
        Assert.Equal(6, ProgressCallback.CountOf(new Sized(list)));
        Assert.Null(ProgressCallback.CountOf(Iterate(list)));
        Assert.Equal(8, ProgressCallback.CountOf(train));   // GenNet's DataLoader: ceil(60 / 8)
        Assert.Equal(4, ProgressCallback.CountOf(valid));   // validation batches are twice as large
    }

    [Fact]
    public void TheBarIsRedrawnAtMostTenTimesASecond()
    {
        using var scope = NewDisposeScope();
        var clock = new ManualClock();
        var output = new StringWriter();
        var data = Classes(100, 2);
        var learner = new Learner(Model(1), Batches(data, Enumerable.Repeat(2, 50).ToArray()), null, CrossEntropy, ps => new Sgd(ps, 0.1),
            new Callback[] { new BatchTime(clock, TimeSpan.FromMilliseconds(30)), new ProgressCallback(output, showBar: true, clock) }, CPU);

        learner.Fit(1);

        // Drawn when the phase starts, then whenever 100 ms have passed: batches 4, 8, ..., 48 at 30 ms each.
        var draws = output.ToString().Split('\r').Where(s => s.StartsWith("epoch 1/1 train", StringComparison.Ordinal)).ToList();
        Assert.Equal(13, draws.Count);
        Assert.StartsWith("epoch 1/1 train |" + new string('-', 30) + "| 0.0% 0/50 00:00<00:00", draws[0]);
        Assert.Matches(@"\| 8\.0% 4/50 00:00<00:01 train_loss \d\.\d{4}$", draws[1]);
        Assert.Matches(@"\| 96\.0% 48/50 00:01<00:00 train_loss \d\.\d{4}$", draws[12]);
    }

    [Fact]
    public void AFastLoopIsDrawnOncePerPhaseOnly()
    {
        using var scope = NewDisposeScope();
        var clock = new ManualClock();
        var output = new StringWriter();
        var data = Classes(100, 2);
        var learner = new Learner(Model(1), Batches(data, Enumerable.Repeat(2, 40).ToArray()), Batches(data, 50, 50), CrossEntropy,
            ps => new Sgd(ps, 0.1), new Callback[] { new ProgressCallback(output, showBar: true, clock) }, CPU);

        learner.Fit(2);

        var text = output.ToString();
        Assert.Equal(2, Regex.Matches(text, @"epoch \d/2 train \|").Count);
        Assert.Equal(2, Regex.Matches(text, @"epoch \d/2 valid \|").Count);
    }

    [Fact]
    public void ProgressAloneOnATerminalPrintsTheTableOfLosses()
    {
        using var scope = NewDisposeScope();
        var output = new StringWriter();
        var data = Classes(80, 3);
        var learner = new Learner(Model(1), Batches(data, 20, 20, 20), Batches(data, 40), CrossEntropy, ps => new Sgd(ps, 0.1),
            new Callback[] { new ProgressCallback(output, showBar: true, new ManualClock()) }, CPU);

        learner.Fit(2);

        // After the last carriage return: the table, the bar erased.
        var lines = output.ToString().Split('\n').Select(l => l[(l.LastIndexOf('\r') + 1)..]).Where(l => l.Trim().Length > 0).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Equal("epoch      train_loss valid_loss time", lines[0]);
        Assert.Matches(@"^1          \d\.\d{6}   \d\.\d{6}   00:00$", lines[1]);
        Assert.Matches(@"^2          \d\.\d{6}   \d\.\d{6}   00:00$", lines[2]);
    }

    [Fact]
    public void WithMetricsTheTableHasAColumnPerMetric()
    {
        using var scope = NewDisposeScope();
        var output = new StringWriter();
        var data = Classes(80, 3);
        using var metrics = new MetricsCallback(new AccuracyMetric());
        var learner = new Learner(Model(1), Batches(data, 20, 20, 20), Batches(data, 40), CrossEntropy, ps => new Sgd(ps, 0.1),
            new Callback[] { metrics, new ProgressCallback(output, showBar: true) }, CPU);

        learner.Fit(1);

        var lines = output.ToString().Split('\n').Select(l => l[(l.LastIndexOf('\r') + 1)..]).Where(l => l.Trim().Length > 0).ToList();
        Assert.Equal("epoch      train_loss valid_loss accuracy   time", lines[0]);
        var accuracy = learner.History[0].ValidAccuracy.ToString("F6", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Matches($@"^1          \d\.\d{{6}}   \d\.\d{{6}}   {Regex.Escape(accuracy)}   \d\d:\d\d$", lines[1]);
    }

    [Fact]
    public void RedirectedOutputIsOnePlainLinePerEpochAndAloneMatchesMetricsCallback()
    {
        using var scope = NewDisposeScope();
        var data = Classes(90, 4);
        string Run(bool withMetrics)
        {
            var output = new StringWriter();
            var callbacks = new List<Callback> { new ProgressCallback(output, showBar: false) };
            using var metrics = new MetricsCallback();
            if (withMetrics)
                callbacks.Add(metrics);
            random.manual_seed(11);
            new Learner(Model(5), Batches(data, 30, 30), Batches(data, 30), CrossEntropy, ps => new Sgd(ps, 0.1), callbacks, CPU).Fit(3);
            return output.ToString();
        }

        var alone = Run(withMetrics: false);
        var withMetrics = Run(withMetrics: true);

        Assert.DoesNotContain('\r', alone);
        var lines = alone.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.All(lines, l => Assert.Matches(PlainLine, l));
        // The losses it tracks alone are the ones MetricsCallback records (same seed, same batches).
        static IEnumerable<string> Losses(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => PlainLine.Match(l)).Select(m => m.Groups[2].Value + " " + m.Groups[3].Value);
        Assert.Equal(Losses(withMetrics), Losses(alone));
    }

    [Fact]
    public void TheBarUsesBlocksOnlyWhenTheWriterCanEncodeThem()
    {
        using var scope = NewDisposeScope();
        var ascii = new StringWriterWithEncoding(Encoding.ASCII);
        var data = Classes(20, 5);
        new Learner(Model(1), Batches(data, 10, 10), null, CrossEntropy, ps => new Sgd(ps, 0.1),
            new Callback[] { new ProgressCallback(ascii, showBar: true, new ManualClock()) }, CPU).Fit(1);

        Assert.DoesNotContain('█', ascii.ToString());
        Assert.Contains("|" + new string('-', 30) + "|", ascii.ToString());
    }

    private sealed class StringWriterWithEncoding(Encoding encoding) : StringWriter
    {
        public override Encoding Encoding => encoding;
    }
}
