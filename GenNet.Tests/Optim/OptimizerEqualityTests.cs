using System;
using System.Collections.Generic;
using System.Linq;
using GenNet.Optim;
using TorchSharp;
using Parameter = TorchSharp.Modules.Parameter;
using Sequential = TorchSharp.Modules.Sequential;
using Xunit;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GenNet.Tests.Optim;

/// <summary>GenNet's optimizers against TorchSharp's torch.optim: same model, data and seed, 100 steps.</summary>
public sealed class OptimizerEqualityTests
{
    private const int Steps = 100;

    public static IEnumerable<object[]> Cases()
    {
        foreach (var flat in new[] { false, true })
        {
            yield return new object[] { "sgd", flat };
            yield return new object[] { "sgd-momentum-dampening-decay", flat };
            yield return new object[] { "sgd-nesterov-decay", flat };
            yield return new object[] { "adam", flat };
            yield return new object[] { "adam-decay-amsgrad", flat };
            yield return new object[] { "adamw", flat };
            yield return new object[] { "adamw-amsgrad", flat };
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTorchSharpOverAHundredSteps(string kind, bool flat)
    {
        using var scope = NewDisposeScope();
        random.manual_seed(7);
        var reference = MakeModel();
        var ours = MakeModel();
        ours.load_state_dict(reference.state_dict());
        var x = randn(64, 6);
        var y = randint(0, 3, new long[] { 64 });

        var torchOpt = TorchOptimizer(kind, reference.parameters());
        using var gennetOpt = GenNetOptimizer(kind, ours.parameters(), flat);
        for (var step = 0; step < Steps; step++)
        {
            using var stepScope = NewDisposeScope();
            torchOpt.zero_grad();
            functional.cross_entropy(reference.call(x), y).backward();
            torchOpt.step();

            gennetOpt.ZeroGrad();
            functional.cross_entropy(ours.call(x), y).backward();
            gennetOpt.Step();
        }

        var maxDelta = reference.parameters().Zip(ours.parameters())
            .Max(pair => (pair.First - pair.Second).abs().max().item<float>());
        Assert.True(maxDelta < 1e-6, $"{kind} (flat={flat}): max |Δparameter| = {maxDelta:E3} after {Steps} steps");
        // The comparison is only meaningful if the optimizer actually moved the parameters.
        var initial = MakeModelWithSeed7();
        var moved = initial.parameters().Zip(ours.parameters()).Max(pair => (pair.First - pair.Second).abs().max().item<float>());
        Assert.True(moved > 1e-3, $"{kind}: parameters barely moved ({moved:E3})");
    }

    [Fact]
    public void AdamWDefaultsToPyTorchsWeightDecay()
    {
        using var scope = NewDisposeScope();
        using var opt = new AdamWOptimizer(MakeModel().parameters());
        Assert.Equal(0.01, opt.WeightDecay);
        Assert.Equal(1e-3, opt.LearningRate);
        Assert.Equal(0.999, opt.Beta2);
    }

    [Fact]
    public void FlatLayoutKeepsParametersAsViewsOfOneBuffer()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(3);
        var model = MakeModel();
        var before = model.parameters().Select(p => p.detach().clone()).ToArray();
        using var opt = new Sgd(model.parameters(), 0.1, flat: true);
        Assert.True(opt.IsFlat);
        // Same values after re-layout, and the model still trains through its own Parameter objects.
        Assert.All(model.parameters().Zip(before), pair => Assert.True(pair.First.eq(pair.Second).all().item<bool>()));
        var x = randn(8, 6);
        var y = randint(0, 3, new long[] { 8 });
        functional.cross_entropy(model.call(x), y).backward();
        opt.Step();
        Assert.Contains(model.parameters().Zip(before), pair => !pair.First.eq(pair.Second).all().item<bool>());
    }

    [Fact]
    public void FlatLayoutRejectsGradientsReplacedByModuleZeroGrad()
    {
        using var scope = NewDisposeScope();
        var model = MakeModel();
        using var opt = new Sgd(model.parameters(), 0.1, flat: true);
        model.zero_grad(); // sets gradients to null; the next backward allocates fresh ones outside the flat buffer
        functional.cross_entropy(model.call(randn(4, 6)), randint(0, 3, new long[] { 4 })).backward();
        var error = Assert.Throws<InvalidOperationException>(() => opt.Step());
        Assert.Contains("Optimizer.ZeroGrad()", error.Message);
    }

    [Fact]
    public void FlatLayoutRejectsAReplacedGradientOfTheFirstAndOnlyParameter()
    {
        // One parameter: its gradient view starts at offset 0, like any freshly allocated gradient, so the guard must
        // identify the tensor by its memory, not by its offset, or the step silently uses the stale flat gradient.
        using var scope = NewDisposeScope();
        random.manual_seed(3);
        var model = Sequential(Linear(6, 3, hasBias: false));
        using var opt = new Sgd(model.parameters(), 0.1, flat: true);
        model.zero_grad();
        functional.cross_entropy(model.call(randn(4, 6)), randint(0, 3, new long[] { 4 })).backward();
        var error = Assert.Throws<InvalidOperationException>(() => opt.Step());
        Assert.Contains("parameter 0", error.Message);
    }

    [Fact]
    public void FlatLayoutRejectsAReplacedGradientOfParameterZeroOfMany()
    {
        using var scope = NewDisposeScope();
        var model = MakeModel();
        using var opt = new Sgd(model.parameters(), 0.1, flat: true);
        functional.cross_entropy(model.call(randn(4, 6)), randint(0, 3, new long[] { 4 })).backward();
        var first = model.parameters().First();
        first.grad = first.grad!.clone(); // same values and offset 0, but no longer the flat buffer's view
        var error = Assert.Throws<InvalidOperationException>(() => opt.Step());
        Assert.Contains("parameter 0", error.Message);
    }

    [Fact]
    public void FlatLayoutStepsWithTheGradientsBackwardWroteAfterOptimizerZeroGrad()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(5);
        var model = Sequential(Linear(6, 3, hasBias: false));
        using var opt = new Sgd(model.parameters(), 0.1, flat: true);
        var w = model.parameters().Single();
        for (var i = 0; i < 2; i++)
        {
            var before = w.detach().clone();
            functional.cross_entropy(model.call(randn(4, 6)), randint(0, 3, new long[] { 4 })).backward();
            var expected = before - 0.1 * w.grad!;
            opt.Step();
            opt.ZeroGrad();
            Assert.True(w.allclose(expected), $"step {i}");
        }
    }

    [Fact]
    public void BadHyperparametersAreRejectedByName()
    {
        using var scope = NewDisposeScope();
        var ps = MakeModel().parameters().ToArray();
        Assert.Equal("LearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(ps, -1)).ParamName);
        Assert.Equal("nesterov", Assert.Throws<ArgumentException>(() => new Sgd(ps, 0.1, nesterov: true)).ParamName);
        Assert.Equal("beta1", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamOptimizer(ps, beta1: 1.0)).ParamName);
        Assert.Contains("no parameters", Assert.Throws<ArgumentException>(() => new Sgd(Array.Empty<Parameter>(), 0.1)).Message);
    }

    private static Sequential MakeModel() => Sequential(Linear(6, 16), ReLU(), Linear(16, 3));

    private static Sequential MakeModelWithSeed7()
    {
        random.manual_seed(7);
        return MakeModel();
    }

    private static torch.optim.Optimizer TorchOptimizer(string kind, IEnumerable<Parameter> ps) => kind switch
    {
        "sgd" => torch.optim.SGD(ps, 0.1),
        "sgd-momentum-dampening-decay" => torch.optim.SGD(ps, 0.05, momentum: 0.9, dampening: 0.1, weight_decay: 0.01),
        "sgd-nesterov-decay" => torch.optim.SGD(ps, 0.05, momentum: 0.9, weight_decay: 0.001, nesterov: true),
        // TorchSharp's factories default beta2 to 0.99, so every PyTorch default is spelled out.
        "adam" => torch.optim.Adam(ps, lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8),
        "adam-decay-amsgrad" => torch.optim.Adam(ps, lr: 1e-2, beta1: 0.8, beta2: 0.99, eps: 1e-7, weight_decay: 0.01, amsgrad: true),
        "adamw" => torch.optim.AdamW(ps, lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.01),
        "adamw-amsgrad" => torch.optim.AdamW(ps, lr: 5e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.1, amsgrad: true),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static Optimizer GenNetOptimizer(string kind, IEnumerable<Parameter> ps, bool flat) => kind switch
    {
        "sgd" => new Sgd(ps, 0.1, flat: flat),
        "sgd-momentum-dampening-decay" => new Sgd(ps, 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 0.01, flat: flat),
        "sgd-nesterov-decay" => new Sgd(ps, 0.05, momentum: 0.9, weightDecay: 0.001, nesterov: true, flat: flat),
        "adam" => new AdamOptimizer(ps, flat: flat),
        "adam-decay-amsgrad" => new AdamOptimizer(ps, lr: 1e-2, beta1: 0.8, beta2: 0.99, eps: 1e-7, weightDecay: 0.01, amsgrad: true, flat: flat),
        "adamw" => new AdamWOptimizer(ps, flat: flat),
        "adamw-amsgrad" => new AdamWOptimizer(ps, lr: 5e-3, weightDecay: 0.1, amsgrad: true, flat: flat),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
