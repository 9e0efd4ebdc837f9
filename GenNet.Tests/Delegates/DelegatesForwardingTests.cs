using System;
using TorchSharp;
using Xunit;

namespace GenNet.Tests.Delegates;

/// <summary>
/// Calls the overloads the generator emitted into this test assembly (see DelegatesFixtures.cs) and checks what
/// arrives at the targets, against a direct call of the target for the defaults.
/// </summary>
public sealed class DelegatesForwardingTests
{
    [Fact]
    public void EachNamedValueArrivesAtAStaticTarget()
    {
        var received = Wrappers.CallStatic(7, name: "own", scale: 9.5, shade: Shade.Light, limit: 4, money: 2.25m,
            separator: '|', ratio: 0.5f, big: 3L);

        Assert.Equal(new Received(7, "own", 9.5, Shade.Light, 4, 2.25m, '|', 0.5f, 3L, "static"), received);
    }

    [Fact]
    public void OmittedValuesAreTheTargetsDefaults()
    {
        // The wrapper declares `name` itself with its own default; everything else is the target's.
        Assert.Equal(Targets.Static(7, name: "wrapper"), Wrappers.CallStatic(7));
        Assert.Equal(Targets.Static(7, name: "wrapper", limit: 1), Wrappers.CallStatic(7, limit: 1));
    }

    [Fact]
    public void APreparedBagCanBePassedToTheWrappersOwnSignature()
    {
        var received = Wrappers.CallStatic(1, kwargs: new Wrappers.CallStaticKwargs { Scale = 4.0 });

        Assert.Equal(Targets.Static(1, name: "wrapper", scale: 4.0), received);
        Assert.Equal(Targets.Static(1).Scale, new Wrappers.CallStaticKwargs().Scale);
    }

    [Fact]
    public void InstanceTargetsGetTheReceiverTheWrapperPasses()
    {
        var targets = new Targets("mine");

        Assert.Equal(targets.Instance(3, name: "x", scale: 0.5), Wrappers.CallInstance(targets, 3, scale: 0.5, name: "x"));
        Assert.Equal(targets.Instance(3), Wrappers.CallInstance(targets, 3));
    }

    [Fact]
    public void InstanceWrappersDelegateToTheirOwnType()
    {
        var greeter = new Greeter { Greeting = "Hi" };

        Assert.Equal(greeter.Greet("Ada", repeat: 2).ToUpperInvariant(), greeter.GreetLoudly("Ada", repeat: 2));
        Assert.Equal(greeter.Greet("Ada", "?").ToUpperInvariant(), greeter.GreetLoudly("Ada", punctuation: "?"));
    }

    [Fact]
    public void GenericTargetsAndWrappersInferTheTypeArgument()
    {
        Assert.Equal("[" + Targets.Generic(42, times: 3, separator: "-") + "]", Wrappers.Repeat(42, times: 3, separator: "-"));
        Assert.Equal("[" + Targets.Generic("ab") + "]", Wrappers.Repeat("ab"));
    }

    [Fact]
    public void ConstructedGenericTypeTargetsTakeTheirTypeArgument()
    {
        Assert.Equal(Box<int>.Describe(0, fallback: 7, width: 3), Wrappers.DescribeInt(0, fallback: 7, width: 3));
        Assert.Equal(Box<int>.Describe(5), Wrappers.DescribeInt(5));
    }

    [Fact]
    public void ChainsGainEveryLevelsOptions()
    {
        // A gains B's b1 and, through B, C's c1 and c2; A passes a1 as B's required x.
        Assert.Equal(Chain.B(100, b1: 5, kwargs: new Chain.BKwargs { C1 = 3, C2 = "z" }) + ":100", Chain.A(c2: "z", b1: 5, c1: 3));
        Assert.Equal("100:3:z:5:100", Chain.A(c2: "z", b1: 5, c1: 3));
        Assert.Equal(Chain.B(100) + ":100", Chain.A());
        Assert.Equal(Chain.B(8, c1: 2) + ":8", Chain.A(8, c1: 2));
    }

    [Fact]
    public void KeepAcceptsNamedValuesAndABagTogether()
    {
        var received = Wrappers.CallKeep(1, scale: 3.0, kwargs: new Wrappers.CallKeepKwargs { Limit = 4 });

        Assert.Equal(Targets.Static(1, scale: 3.0, limit: 4), received);
        Assert.Equal(Targets.Static(1), Wrappers.CallKeep(1));
    }

    [Fact]
    public void KeepRejectsAValueGivenBothByNameAndInTheBag()
    {
        var error = Assert.Throws<ArgumentException>(() => Wrappers.CallKeep(1, scale: 3.0, kwargs: new Wrappers.CallKeepKwargs { Scale = 4.0 }));

        Assert.Equal("scale", error.ParamName);
        Assert.Contains("CallKeep", error.Message);
    }

    [Fact]
    public void TorchSharpFactoryInAReferencedAssemblyGetsTheForwardedValues()
    {
        using var plain = torch.nn.Linear(3, 2);
        using var dense = Wrappers.Dense(3, 2);
        using var custom = Wrappers.Dense(3, 2, hasBias: false, dtype: torch.ScalarType.Float64);

        Assert.Equal(plain.bias is null, dense.bias is null);
        Assert.Equal(plain.weight!.dtype, dense.weight!.dtype);
        Assert.Null(custom.bias);
        Assert.Equal(torch.ScalarType.Float64, custom.weight!.dtype);
        Assert.Equal(new long[] { 2, 3 }, custom.weight.shape);
        using var y = custom.forward(torch.ones(5, 3, dtype: torch.ScalarType.Float64));
        Assert.Equal(new long[] { 5, 2 }, y.shape);
    }
}
