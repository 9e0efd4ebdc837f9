using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GenNet.Serialization;
using Xunit;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GenNet.Tests.Serialization;

/// <summary>PyTorch's strict/non-strict load_state_dict report, through both file formats.</summary>
public sealed class StateDictLoadingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gennet-sd-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static float[] Values(nn.Module m) => m.parameters().SelectMany(p => p.detach().data<float>().ToArray()).ToArray();

    [Theory]
    [InlineData(".safetensors")]
    [InlineData(".pt")]
    public void StrictLoadListsEveryProblemInOneErrorAndChangesNothing(string extension)
    {
        using var scope = NewDisposeScope();
        random.manual_seed(1);
        var saved = Sequential(("l1", Linear(4, 8)), ("l2", Linear(8, 3)), ("extra", Linear(2, 2)));
        var path = Path.Combine(_folder, "saved" + extension);
        if (extension == ".pt") saved.SavePyTorch(path); else saved.SaveSafeTensors(path);

        random.manual_seed(2);
        var model = Sequential(("l1", Linear(4, 8)), ("l2", Linear(8, 5)), ("head", Linear(3, 1)));
        var before = Values(model);
        Action load = extension == ".pt" ? () => model.LoadPyTorch(path) : () => model.LoadSafeTensors(path);
        var error = Assert.Throws<StateDictMismatchException>(load);
        Assert.Contains($"Error(s) in loading state_dict for Sequential from '{path}':", error.Message);
        Assert.Contains("Missing key(s) in state_dict: 'head.weight', 'head.bias'.", error.Message);
        Assert.Contains("Unexpected key(s) in state_dict: 'extra.weight', 'extra.bias'.", error.Message);
        Assert.Contains("size mismatch for 'l2.weight': copying a param with shape [3, 8] from checkpoint, the shape in current model is [5, 8].", error.Message);
        Assert.Contains("size mismatch for 'l2.bias'", error.Message);
        Assert.Equal(before, Values(model));

        var report = extension == ".pt" ? model.LoadPyTorch(path, strict: false) : model.LoadSafeTensors(path, strict: false);
        Assert.Equal(new[] { "head.weight", "head.bias" }, report.MissingKeys);
        Assert.Equal(new[] { "extra.weight", "extra.bias" }, report.UnexpectedKeys);
        Assert.Equal(new[] { "l2.weight", "l2.bias" }, report.ShapeMismatches.Select(m => m.Key));
        Assert.False(report.AllMatched);
        Assert.StartsWith("_IncompatibleKeys(missing_keys=['head.weight', 'head.bias'], unexpected_keys=['extra.weight', 'extra.bias']", report.ToString());
        // What fitted was loaded; the rest kept its values.
        Assert.True(SafeTensorsTests.Same(model.get_parameter("l1.weight")!, saved.get_parameter("l1.weight")!));
        Assert.False(model.get_parameter("l2.bias")!.shape.SequenceEqual(saved.get_parameter("l2.bias")!.shape));
    }

    [Fact]
    public void BuffersTravelAndDTypesConvertOnLoad()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(3);
        var bn = BatchNorm1d(4);
        bn.train();
        bn.call(randn(16, 4) * 3 + 1);
        var path = Path.Combine(_folder, "bn.safetensors");
        bn.SaveSafeTensors(path);
        var loaded = SafeTensors.Load(path);
        Assert.Contains("running_mean", loaded.Keys);
        Assert.Contains("running_var", loaded.Keys);

        var copy = BatchNorm1d(4);
        Assert.True(copy.LoadSafeTensors(path).AllMatched);
        Assert.Equal("<All keys matched successfully>", copy.LoadSafeTensors(path).ToString());
        Assert.True(SafeTensorsTests.Same(copy.running_mean!, bn.running_mean!));

        // A float64 file loads into a float32 model, as PyTorch's copy_ converts.
        var doubles = loaded.ToDictionary(kv => kv.Key, kv => kv.Value.dtype == ScalarType.Float32 ? kv.Value.to(ScalarType.Float64) : kv.Value);
        var path64 = Path.Combine(_folder, "bn64.safetensors");
        SafeTensors.Save(path64, doubles);
        var fresh = BatchNorm1d(4);
        fresh.LoadSafeTensors(path64);
        Assert.Equal(ScalarType.Float32, fresh.running_var!.dtype);
        Assert.True(fresh.running_var.allclose(bn.running_var!));
    }
}
