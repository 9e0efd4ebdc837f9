using System.Linq;
using GenNet.Generators.Module;
using GenNet.Tests.Generators.Harness;
using Microsoft.CodeAnalysis;
using Xunit;

namespace GenNet.Tests.Api;

/// <summary>
/// A lesson-14 program with exactly the imports users write compiles, against the real TorchSharp and GenNet
/// assemblies with the [Module] generator running, naming GenNet's optimizers, Learner, callbacks and datasets
/// unqualified and passing a loss module; and it trains.
/// </summary>
public sealed class LessonImportsCompileTests
{
    private const string Program = """
        using System;
        using System.Collections.Generic;
        using TorchSharp;
        using TorchSharp.Modules;
        using static TorchSharp.torch;
        using GenNet;
        using GenNet.Data;
        using GenNet.Optim;
        using GenNet.Training;

        [Module]
        public partial class Cnn : nn.Module<Tensor, Tensor>
        {
            public partial Sequential Layers { get; set; }

            public Cnn() : base(nameof(Cnn))
            {
                Layers = nn.Sequential(nn.Conv2d(1, 4, 3, stride: 2, padding: 1), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 4 * 4, 3));
                RegisterComponents();
            }

            public override Tensor forward(Tensor x) => Layers.call(x);
        }

        public sealed class CountBatches : Callback
        {
            public int Batches { get; private set; }
            public override int Order => 30;
            public override void AfterBatch(Learner learner) => Batches++;
        }

        public static class Lesson
        {
            public static int Run()
            {
                torch.manual_seed(1);
                var x = randn(40, 1, 8, 8);
                var y = randint(0, 3, new long[] { 40 });
                var train = new List<(Tensor, Tensor)> { (x[..20], y[..20]), (x[20..], y[20..]) };
                // A GenNet.Data type named unqualified next to TorchSharp.Modules (which has its own TensorDataset).
                IDataset<(ReadOnlyMemory<float> X, int Y)> ds = new MemoryDataset<float, int>(new float[40 * 2], 2, new int[40]);
                var counter = new CountBatches();
                using var metrics = new MetricsCallback(new AccuracyMetric());
                var learner = new Learner(new Cnn(), train, train, nn.CrossEntropyLoss(), ps => new AdamWOptimizer(ps, lr: 1e-3),
                    new Callback[] { metrics, counter }, CPU);
                learner.Fit(2);
                using Optimizer adam = new AdamOptimizer(learner.Model.parameters());
                using Optimizer sgd = new Sgd(learner.Model.parameters(), 0.1, momentum: 0.9);
                var lesson = new Learner(learner.Model, train, null, (preds, t) => nn.functional.cross_entropy(preds, t), sgd);
                lesson.Fit(1);
                return counter.Batches + ds.Count;
            }
        }
        """;

    [Fact]
    public void TheOrdinaryImportsNameGenNetsTypesUnqualifiedAndTheProgramTrains()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(new[] { Program }, assemblyName: nameof(LessonImportsCompileTests)), new ModuleGenerator());

        Assert.Empty(run.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.True(run.CompilationErrors.Count == 0, string.Join("\n", run.CompilationErrors));
        var lesson = run.EmitAndLoad().GetType("Lesson")!;
        // 2 epochs x (2 train + 2 valid) batches seen by the callback, plus the dataset's 40 samples.
        Assert.Equal(8 + 40, (int)lesson.GetMethod("Run")!.Invoke(null, null)!);
    }
}
