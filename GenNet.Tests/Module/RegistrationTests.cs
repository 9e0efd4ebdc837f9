using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GenNet.Modules;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace GenNet.Tests.Module;

/// <summary>
/// [Module] classes compiled by the generator behave as the equivalent PyTorch models: names, shapes, state_dict keys,
/// registration order, assignment semantics, and every parameter reaching to(), zero_grad() and the optimizer.
/// </summary>
public sealed class RegistrationTests
{
    [Fact]
    public void MlpParametersHavePyTorchNamesAndShapes()
    {
        using var model = new Mlp(784, 50, 10);

        Assert.Equal(PyTorchReference.Lines("mlp.named_parameters"), PyTorchReference.NamedParameters(model));
        Assert.Equal(PyTorchReference.Lines("mlp.state_dict"), model.state_dict().Keys);
    }

    [Fact]
    public void NestedContainersGiveDottedNamesAsInPyTorch()
    {
        using var model = new Block();

        Assert.Equal(PyTorchReference.Lines("block.named_parameters"), PyTorchReference.NamedParameters(model));
        Assert.Equal(PyTorchReference.Lines("block.state_dict").OrderBy(k => k, StringComparer.Ordinal),
            model.state_dict().Keys.OrderBy(k => k, StringComparer.Ordinal));
    }

    [Fact]
    public void ParameterCountIsTheSumOfTheLayers()
    {
        const int nIn = 784, nH = 50, nOut = 10;
        using var model = new Mlp(nIn, nH, nOut);

        long count = model.parameters().Sum(p => p.numel());

        Assert.Equal((nIn + 1) * nH + (nH + 1) * nOut, count);
    }

    [Fact]
    public void RegistrationOrderIsDeclarationOrderWhateverTheAssignmentOrder()
    {
        using var model = new Reversed();

        // "extra" was added by hand after Third; declared members are ordered among themselves, around it.
        Assert.Equal(new[] { "first", "second", "third", "extra" }, model.named_children().Select(c => c.name));
    }

    [Fact]
    public void AssigningAPropertyReplacesTheChildInPlaceAndNullRemovesIt()
    {
        using var model = new Mlp(4, 3, 2);
        var replacement = nn.Linear(4, 3, hasBias: false);

        model.L1 = replacement;
        Assert.Equal(new[] { "l1", "act", "l2" }, model.named_children().Select(c => c.name));
        Assert.Same(replacement, model.named_children().First().module);
        Assert.DoesNotContain("l1.bias", model.state_dict().Keys);

        model.Act = null!;
        Assert.Equal(new[] { "l1", "l2" }, model.named_children().Select(c => c.name));

        model.Act = nn.ReLU();
        Assert.Equal(new[] { "l1", "act", "l2" }, model.named_children().Select(c => c.name));
    }

    [Fact]
    public void RegisterComponentsCanRunAgainWithoutDuplicating()
    {
        using var model = new Mlp(4, 3, 2);
        using var parent = nn.Sequential(("mlp", model)); // registering a child calls its RegisterComponents again

        Assert.Equal(new[] { "mlp.l1.weight", "mlp.l1.bias", "mlp.l2.weight", "mlp.l2.bias" }, parent.named_parameters().Select(p => p.name));
    }

    [Fact]
    public void TensorMembersArePersistentBuffersNonPersistentBuffersOrParameters()
    {
        using var model = new Affine(3);

        Assert.Equal(new[] { "weight", "bias", "gain" }, model.named_parameters().Select(p => p.name));
        Assert.Equal(new[] { "mean", "mask" }, model.named_buffers().Select(b => b.name));
        Assert.Equal(new[] { "weight", "bias", "gain", "mean" }, model.state_dict().Keys);
    }

    [Fact]
    public void ToDtypeMovesEveryTensorAndTheMembersFollow()
    {
        using var model = new Affine(3);

        model.to(ScalarType.Float64);

        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float64, p.dtype));
        Assert.All(model.buffers(), b => Assert.Equal(ScalarType.Float64, b.dtype));
        var registered = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Same(registered["weight"], model.Weight);
        Assert.Same(registered["bias"], model.Bias); // a readonly field
        Assert.Same(registered["gain"], model.Scale);
        Assert.Same(model.named_buffers().Single(b => b.name == "mean").buffer, model.Mean);
        Assert.Same(model.named_buffers().Single(b => b.name == "mask").buffer, model.Mask);
        Assert.Equal(new[] { "weight", "bias", "gain", "mean" }, model.state_dict().Keys); // mask stays non-persistent
        using var y = model.call(ones(2, 3, dtype: ScalarType.Float64));
        Assert.Equal(ScalarType.Float64, y.dtype);
    }

    [Fact]
    public void ToDeviceMovesNestedModules()
    {
        var device = cuda.is_available() ? CUDA : CPU;
        using var model = new Net(4, 3);

        model.to(device);

        Assert.All(model.parameters(), p => Assert.Equal(device.type, p.device_type));
        Assert.All(model.buffers(), b => Assert.Equal(device.type, b.device_type));
        using var y = model.call(randn(5, 4, device: device));
        Assert.Equal(new long[] { 5, 3 }, y.shape);
    }

    [Fact]
    public void DerivedModuleRegistersBaseMembersFirst()
    {
        using var model = new Net(4, 3);

        Assert.Equal(new[] { "stem", "classifier", "norm" }, model.named_children().Select(c => c.name));
        Assert.Contains("classifier.out.weight", model.state_dict().Keys);
        Assert.Contains("norm.running_mean", model.state_dict().Keys);
    }

    [Fact]
    public void GenericModuleRegistersTypeParameterAndInterfaceMembers()
    {
        var inner = nn.Linear(2, 3);
        using var model = new Wrapper<Linear>(inner);

        Assert.Equal(new[] { "inner", "activation" }, model.named_children().Select(c => c.name));
        Assert.Equal($"Wrapper(\n  (inner): {inner.Repr()}\n  (activation): ReLU()\n)", model.ToString());
    }

    [Fact]
    public void TrainAndEvalReachEveryDescendant()
    {
        using var model = new Net(4, 3);

        model.eval();
        Assert.All(model.modules(), m => Assert.False(m.training, m.GetName()));
        model.train();
        Assert.All(model.modules(), m => Assert.True(m.training, m.GetName()));
    }

    [Fact]
    public void ZeroGradClearsTheGradientOfEveryParameter()
    {
        using var model = new Net(4, 3);
        model.train();
        model.call(randn(8, 4)).sum().backward();
        Assert.All(model.parameters(), p => Assert.NotNull(p.grad));

        model.zero_grad();

        Assert.All(model.parameters(), p => Assert.True(p.grad is null || p.grad.count_nonzero().item<long>() == 0));
    }

    [Fact]
    public void AnOptimizerStepChangesEveryParameter()
    {
        using var model = new Mlp(6, 5, 3);
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        using var optimizer = optim.SGD(model.parameters(), 0.1);

        using var loss = nn.functional.cross_entropy(model.call(randn(16, 6)), randint(0, 3, 16));
        loss.backward();
        optimizer.step();

        Assert.Equal(4, before.Count);
        foreach (var (name, parameter) in model.named_parameters())
            Assert.False(before[name].Equals(parameter), $"{name} did not change");
    }

    [Fact]
    public void StateDictAndSaveLoadRoundTripBetweenInstances()
    {
        using var source = new Block();
        using var target = new Block();
        using (no_grad())
            source.Scale.mul_(3);

        target.load_state_dict(source.state_dict());
        Assert.True(target.Scale.Equals(source.Scale));

        var saved = new MemoryStream();
        source.save(saved); // closes the stream; its bytes stay readable
        using var loaded = new Block();
        loaded.load(new MemoryStream(saved.ToArray()));
        Assert.True(loaded.Scale.Equals(source.Scale));
        Assert.True(loaded.RunningMean.Equals(source.RunningMean));
    }
}
