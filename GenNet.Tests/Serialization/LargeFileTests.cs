using System;
using System.Collections.Generic;
using System.IO;
using GenNet.Serialization;
using Xunit;
using static TorchSharp.torch;

namespace GenNet.Tests.Serialization;

/// <summary>Tensor bytes go straight between the file and native memory: loading 64 MB allocates almost nothing managed.</summary>
public sealed class LargeFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gennet-large-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(".safetensors")]
    [InlineData(".pt")]
    public void LoadingA64MBFileAllocatesLessThanOneMegabyteOfManagedMemory(string extension)
    {
        using var scope = NewDisposeScope();
        var state = new Dictionary<string, Tensor> { ["big"] = rand(4096, 4096), ["small"] = arange(10) };
        var path = Path.Combine(_folder, "big" + extension);
        if (extension == ".pt") PyTorchFiles.Save(path, state); else SafeTensors.Save(path, state);
        Assert.True(new FileInfo(path).Length > 64_000_000);

        Dictionary<string, Tensor> Load() => extension == ".pt" ? PyTorchFiles.Load(path) : SafeTensors.Load(path);
        Load(); // JIT and first-use allocations
        var before = GC.GetAllocatedBytesForCurrentThread();
        var loaded = Load();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 1_000_000, $"{allocated} managed bytes allocated while loading a {new FileInfo(path).Length}-byte file");
        Assert.True(SafeTensorsTests.Same(state["big"], loaded["big"]));
    }
}
