using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using GenNet.Optim;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GenNet.Samples.Benchmarks;

/// <summary>
/// <c>bench optim</c>: does the flat parameter layout pay? Time per training iteration (forward, backward, step,
/// zero-grad) with torch.optim, GenNet's optimizer, and GenNet's optimizer with <c>flat: true</c> (SGD, SGD with
/// momentum, Adam), on the lesson's MLP
/// (4 parameter tensors) and on a deep narrow MLP (80 tensors), interleaved, medians.
/// </summary>
internal static class OptimBench
{
    public static Command Create()
    {
        var rounds = new Option<int>("--rounds") { Description = "Interleaved rounds (median reported); many short rounds ride out the machine's slow phases.", DefaultValueFactory = _ => 21 };
        var iterations = new Option<int>("--iterations") { Description = "Training iterations per round.", DefaultValueFactory = _ => 60 };
        var command = new Command("optim", "Per-iteration cost of torch.optim vs GenNet optimizers, per-parameter vs flat layout.");
        command.Options.Add(rounds);
        command.Options.Add(iterations);
        command.SetAction(r => Run(Math.Max(1, r.GetValue(rounds)), Math.Max(10, r.GetValue(iterations))));
        return command;
    }

    private static int Run(int rounds, int iterations)
    {
        Native.TorchNative.EnsureLoaded();
        torch.set_num_threads(2);
        Console.WriteLine($"bench optim: µs per training iteration (batch 50), median of {rounds} interleaved rounds × {iterations} iterations; 2 threads; shared machine, compare ratios");
        Console.WriteLine($"{"model",-22} {"optimizer",-10} {"torch.optim",12} {"gennet",9} {"gennet_flat",12} {"flat/gennet",12}");
        var c = CultureInfo.InvariantCulture;
        foreach (var (name, make, features) in new (string, Func<Module<Tensor, Tensor>>, int)[]
                 {
                     ("mlp 784-50-10 (4)", () => new Mlp(), 784),
                     ("deep 40x32 (80)", () => Sequential(Enumerable.Range(0, 40).Select(_ => (Module<Tensor, Tensor>)Sequential(Linear(32, 32), ReLU())).ToArray()), 32),
                 })
        {
            foreach (var kind in new[] { "sgd", "sgd m=0.9", "adam" })
            {
                var x = randn(50, features).DetachFromDisposeScope();
                var y = randint(0, Math.Min(10, features), new long[] { 50 }).DetachFromDisposeScope();
                var variants = new (string Name, Module<Tensor, Tensor> Model, Action Step, Action Zero)[3];
                for (var v = 0; v < 3; v++)
                {
                    torch.manual_seed(1);
                    var model = make();
                    if (v == 0)
                    {
                        torch.optim.Optimizer opt = kind == "adam"
                            ? torch.optim.Adam(model.parameters(), 1e-3, beta1: 0.9, beta2: 0.999)
                            : torch.optim.SGD(model.parameters(), 0.01, momentum: kind == "sgd" ? 0 : 0.9);
                        variants[v] = ("torch.optim", model, () => opt.step(), opt.zero_grad);
                    }
                    else
                    {
                        Optimizer opt = kind == "adam"
                            ? new AdamOptimizer(model.parameters(), flat: v == 2)
                            : new Sgd(model.parameters(), 0.01, momentum: kind == "sgd" ? 0 : 0.9, flat: v == 2);
                        variants[v] = (v == 2 ? "gennet_flat" : "gennet", model, opt.Step, () => opt.ZeroGrad());
                    }
                }
                var times = variants.Select(_ => new List<double>()).ToArray();
                foreach (var variant in variants)
                    Iterate(variant, x, y, iterations / 3);
                for (var round = 0; round < rounds; round++)
                    for (var v = 0; v < variants.Length; v++)
                        times[v].Add(Iterate(variants[v], x, y, iterations));
                var medians = times.Select(t => t.OrderBy(s => s).ElementAt(t.Count / 2) * 1e6 / iterations).ToArray();
                Console.WriteLine(string.Format(c, "{0,-22} {1,-10} {2,12:F1} {3,9:F1} {4,12:F1} {5,12:F2}",
                    name, kind, medians[0], medians[1], medians[2], medians[2] / medians[1]));
                x.Dispose();
                y.Dispose();
            }
        }
        return 0;
    }

    private static double Iterate((string Name, Module<Tensor, Tensor> Model, Action Step, Action Zero) variant, Tensor x, Tensor y, int iterations)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            using var scope = NewDisposeScope();
            functional.cross_entropy(variant.Model.call(x), y).backward();
            variant.Step();
            variant.Zero();
        }
        return clock.Elapsed.TotalSeconds;
    }
}
