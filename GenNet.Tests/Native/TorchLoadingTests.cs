using System;
using GenNet.Native;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace GenNet.Tests.Native;

/// <summary>libtorch works inside the test host with no set-up call: the generated module initializer prepared it.</summary>
public sealed class TorchLoadingTests
{
    [Fact]
    public void TensorOperationsRunWithoutAnExplicitSetUpCall()
    {
        using var scope = NewDisposeScope();
        var sum = ones(2, 3).sum().item<float>();
        Assert.Equal(6f, sum);
    }

    [Fact]
    public void LinearForwardComputesTheAffineMap()
    {
        using var scope = NewDisposeScope();
        var layer = nn.Linear(3, 2);
        var x = tensor(new float[] { 1, 2, 3 }).reshape(1, 3);
        var expected = x.matmul(layer.weight!.t()) + layer.bias!;
        Assert.True(layer.call(x).allclose(expected));
    }

    [Fact]
    public void ModuleInitializerRecordedWhatItDid()
    {
        TorchNative.EnsureLoaded();
        Assert.Null(TorchNative.Failure);
        if (OperatingSystem.IsLinux())
            Assert.NotNull(TorchNative.Preparation);
    }
}
