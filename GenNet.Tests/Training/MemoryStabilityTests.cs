using System;
using System.Collections.Generic;
using System.Linq;
using System.Diagnostics;
using GenNet.Optim;
using GenNet.Training;
using Xunit;
using Xunit.Abstractions;
using static GenNet.Tests.Training.TrainingTestData;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GenNet.Tests.Training;

/// <summary>One dispose scope per batch: live tensors and process memory stay flat across 20 epochs.</summary>
public sealed class MemoryStabilityTests
{
    private readonly ITestOutputHelper _output;

    public MemoryStabilityTests(ITestOutputHelper output) => _output = output;

    private sealed class Sampler : Callback
    {
        public List<(long Tensors, long Rss)> Samples { get; } = new();
        public override int Order => 50;

        public override void AfterEpoch(Learner learner)
        {
            // Managed garbage (tensor wrappers awaiting collection) is not what this test is about: collect it first,
            // so the figure tracks native memory.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            using var process = Process.GetCurrentProcess();
            Samples.Add((Tensor.TotalCount, process.WorkingSet64));
        }
    }

    [Fact]
    public void LiveTensorCountAndRssDoNotGrowAcrossTwentyEpochs()
    {
        // Batches large enough that leaking one epoch's activations (16 batches × ~1.5 MB) would show in RSS.
        var (x, y) = Classes(2048, 21);
        x = x.repeat(1, 43).narrow(1, 0, 256).DetachFromDisposeScope(); // 256 features
        random.manual_seed(21);
        var model = Sequential(Linear(256, 512), ReLU(), Linear(512, 3));
        var (train, valid) = TrainingLoop.GetDls((x, y), (x.narrow(0, 0, 512), y.narrow(0, 0, 512)), batchSize: 128, seed: 21);
        var sampler = new Sampler();
        using var metrics = new MetricsCallback(new AccuracyMetric());
        var learner = new Learner(model, train, valid, CrossEntropy, ps => new AdamOptimizer(ps), new Callback[] { metrics, sampler }, CPU);
        learner.Fit(20);

        // Epochs 1-2 warm up (optimizer state, allocator pools); from then on nothing may accumulate.
        var (tensorsAfterWarmUp, rssAfterWarmUp) = sampler.Samples[2];
        var (tensorsAtEnd, rssAtEnd) = sampler.Samples[^1];
        _output.WriteLine("RSS MB per epoch: " + string.Join(" ", sampler.Samples.Select(s => (s.Rss / 1e6).ToString("F0"))));
        _output.WriteLine($"live tensors: {tensorsAfterWarmUp} → {tensorsAtEnd}; RSS: {rssAfterWarmUp / 1e6:F1} MB → {rssAtEnd / 1e6:F1} MB");
        Assert.Equal(20, sampler.Samples.Count);
        Assert.True(tensorsAtEnd <= tensorsAfterWarmUp, $"live tensors grew from {tensorsAfterWarmUp} to {tensorsAtEnd}");
        // 17 more epochs × 16 batches: a per-batch leak of even one activation (256 KB) would add > 70 MB.
        Assert.True(rssAtEnd - rssAfterWarmUp < 32_000_000, $"RSS grew by {(rssAtEnd - rssAfterWarmUp) / 1e6:F1} MB");
        x.Dispose();
        y.Dispose();
    }
}
