using System;
using GenNet.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace GenNet.Tests.Training;

/// <summary>Device selection and batch placement (the CUDA path is exercised only where CUDA exists).</summary>
public sealed class DevicesTests
{
    [Fact]
    public void ParsesDeviceOptions()
    {
        Assert.Equal(DeviceType.CPU, Devices.Parse("cpu").type);
        Assert.Equal(cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU, Devices.Parse("auto").type);
        Assert.Equal(Devices.Default.type, Devices.Parse(null).type);
        Assert.Contains("Unknown device 'tpu'", Assert.Throws<ArgumentException>(() => Devices.Parse("tpu")).Message);
    }

    [Fact]
    public void RequestingCudaWithoutCudaSaysSo()
    {
        if (cuda.is_available())
        {
            Assert.Equal(DeviceType.CUDA, Devices.Parse("cuda").type);
            return;
        }
        var error = Assert.Throws<ArgumentException>(() => Devices.Parse("cuda:0"));
        Assert.Contains("CUDA is not available", error.Message);
    }

    [Fact]
    public void BatchesAlreadyOnTheDeviceAreNotCopied()
    {
        using var scope = NewDisposeScope();
        var x = ones(4, 3);
        Assert.Same(x, Devices.ToDevice(x, CPU));
        if (cuda.is_available())
        {
            var onGpu = Devices.ToDevice(x, CUDA);
            Assert.Equal(DeviceType.CUDA, onGpu.device_type);
            Assert.True(onGpu.cpu().eq(x).all().item<bool>());
        }
    }
}
