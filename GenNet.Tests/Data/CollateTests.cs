using System;
using System.Collections.Generic;
using System.Linq;
using CommunityToolkit.HighPerformance;
using GenNet.Data;
using Xunit;
using static TorchSharp.torch;

namespace GenNet.Tests.Data;

public sealed class CollateTests
{
    [Fact]
    public void TensorsAreStackedAlongANewFirstDimension()
    {
        using var scope = NewDisposeScope();
        var items = new[] { tensor(new float[] { 1, 2 }), tensor(new float[] { 3, 4 }), tensor(new float[] { 5, 6 }) };
        var batch = (Tensor)DefaultCollate.Collate(items);
        Assert.Equal(new long[] { 3, 2 }, batch.shape);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, batch.data<float>().ToArray());
    }

    [Fact]
    public void ManagedRowsAndScalarsBecomeOneTensorEachWithTheirDtypes()
    {
        using var scope = NewDisposeScope();
        var rows = new float[] { 1, 2, 3, 4, 5, 6 };
        var items = new List<(ReadOnlyMemory<float>, int, double, bool)>
        {
            (rows.AsMemory(0, 3), 7, 0.5, true),
            (rows.AsMemory(3, 3), 9, 1.5, false),
        };
        var batch = DefaultCollate.For<(ReadOnlyMemory<float>, int, double, bool), object[]>()(items);
        var x = (Tensor)batch[0];
        Assert.Equal(new long[] { 2, 3 }, x.shape);
        Assert.Equal(ScalarType.Float32, x.dtype);
        Assert.Equal(rows, x.data<float>().ToArray());
        var labels = (Tensor)batch[1];
        Assert.Equal(ScalarType.Int64, labels.dtype);
        Assert.Equal(new long[] { 7, 9 }, labels.data<long>().ToArray());
        Assert.Equal(ScalarType.Float64, ((Tensor)batch[2]).dtype);
        Assert.Equal(new[] { true, false }, ((Tensor)batch[3]).data<bool>().ToArray());
    }

    [Fact]
    public void ArraysOfEveryShapeKeepTheirShape()
    {
        using var scope = NewDisposeScope();
        var grid = new byte[,] { { 1, 2, 3 }, { 4, 5, 6 } };
        var viaArray = (Tensor)DefaultCollate.Collate(new[] { grid, grid });
        Assert.Equal(new long[] { 2, 2, 3 }, viaArray.shape);
        Assert.Equal(ScalarType.Byte, viaArray.dtype);
        var flat = new byte[] { 1, 2, 3, 4, 5, 6 };
        var viaMemory2D = (Tensor)DefaultCollate.Collate(new[] { new ReadOnlyMemory2D<byte>(flat, 2, 3), new ReadOnlyMemory2D<byte>(flat, 2, 3) });
        Assert.Equal(viaArray.data<byte>().ToArray(), viaMemory2D.data<byte>().ToArray());
        var ints = (Tensor)DefaultCollate.Collate(new[] { new[] { 1, 2 }, new[] { 3, 4 } });
        Assert.Equal(ScalarType.Int32, ints.dtype);
    }

    [Fact]
    public void TuplesBecomeTypedTupleBatches()
    {
        using var scope = NewDisposeScope();
        var items = new[] { (tensor(new[] { 1f, 2f }), tensor(0L)), (tensor(new[] { 3f, 4f }), tensor(1L)) };
        var (x, y) = DefaultCollate.For<(Tensor, Tensor), (Tensor, Tensor)>()(items);
        Assert.Equal(new long[] { 2, 2 }, x.shape);
        Assert.Equal(new long[] { 0, 1 }, y.data<long>().ToArray());
    }

    [Fact]
    public void DictionariesKeepTheirKeysInOrderAndNest()
    {
        using var scope = NewDisposeScope();
        Dictionary<string, object> Item(int i) => new()
        {
            ["label"] = i,
            ["image"] = new float[] { i, i + 1 },
            ["meta"] = (i * 2L, "name" + i),
        };
        var batch = DefaultCollate.For<Dictionary<string, object>, Dictionary<string, object>>()(new[] { Item(1), Item(2), Item(3) });
        Assert.Equal(new[] { "label", "image", "meta" }, batch.Keys);
        Assert.Equal(new long[] { 1, 2, 3 }, ((Tensor)batch["label"]).data<long>().ToArray());
        Assert.Equal(new long[] { 3, 2 }, ((Tensor)batch["image"]).shape);
        var meta = (object[])batch["meta"];
        Assert.Equal(new long[] { 2, 4, 6 }, ((Tensor)meta[0]).data<long>().ToArray());
        Assert.Equal(new[] { "name1", "name2", "name3" }, (string[])meta[1]);
    }

    [Fact]
    public void MiniaisDictionaryExampleGivesAListOfTensorsPerKey()
    {
        // default_collate([{a:[1],b:[2]},{a:[3],b:[4]}]) → {'a': [tensor([1,3])], 'b': [tensor([2,4])]}
        using var scope = NewDisposeScope();
        var items = new[]
        {
            new Dictionary<string, List<int>> { ["a"] = [1], ["b"] = [2] },
            new Dictionary<string, List<int>> { ["a"] = [3], ["b"] = [4] },
        };
        var batch = (Dictionary<string, object>)DefaultCollate.Collate(items);
        Assert.Equal(new long[] { 1, 3 }, ((Tensor)((object[])batch["a"])[0]).data<long>().ToArray());
        Assert.Equal(new long[] { 2, 4 }, ((Tensor)((object[])batch["b"])[0]).data<long>().ToArray());
    }

    [Fact]
    public void ItemsThatDoNotStackNameTheKeyTheItemAndTheShapes()
    {
        using var scope = NewDisposeScope();
        var items = new[]
        {
            new Dictionary<string, object> { ["image"] = new float[4], ["label"] = 1 },
            new Dictionary<string, object> { ["image"] = new float[4], ["label"] = 1 },
            new Dictionary<string, object> { ["image"] = new float[5], ["label"] = 1 },
        };
        var error = Assert.Throws<ArgumentException>(() => DefaultCollate.Collate(items));
        Assert.Contains("item['image']", error.Message);
        Assert.Contains("item 2", error.Message);
        Assert.Contains("[5]", error.Message);
        Assert.Contains("[4]", error.Message);
    }

    [Fact]
    public void TensorsOfDifferentShapesNameThePositionAndShapes()
    {
        using var scope = NewDisposeScope();
        var items = new[] { (zeros(2, 3), 1), (zeros(3, 2), 2) };
        var error = Assert.Throws<ArgumentException>(() => DefaultCollate.Collate(items));
        Assert.Contains("item[0]", error.Message);
        Assert.Contains("[3, 2]", error.Message);
        Assert.Contains("[2, 3]", error.Message);
    }

    [Fact]
    public void TypedAndBoxedPathsGiveTheSameBatchesAndErrors()
    {
        using var scope = NewDisposeScope();
        var pairs = new[] { (new float[] { 1, 2 }, 3), (new float[] { 4, 5 }, 6) };
        var typed = (object[])DefaultCollate.Collate(pairs); // (float[], int) pairs take the boxing-free plan
        var boxed = (object[])DefaultCollate.Collate(pairs.Select(p => (object)p).ToArray());
        Assert.Equal(((Tensor)boxed[0]).data<float>().ToArray(), ((Tensor)typed[0]).data<float>().ToArray());
        Assert.Equal(((Tensor)boxed[1]).dtype, ((Tensor)typed[1]).dtype);
        Assert.Equal(new long[] { 3, 6 }, ((Tensor)typed[1]).data<long>().ToArray());

        var ragged = new[] { (new float[3].AsMemory(), 1L), (new float[2].AsMemory(), 2L) };
        var error = Assert.Throws<ArgumentException>(() => DefaultCollate.Collate(ragged.Select(p => ((ReadOnlyMemory<float>)p.Item1, p.Item2)).ToArray()));
        Assert.Contains("item[0]", error.Message);
        Assert.Contains("item 1", error.Message);
        Assert.Contains("[2]", error.Message);
        Assert.Contains("[3]", error.Message);
    }

    [Fact]
    public void AMissingKeyIsNamed()
    {
        var items = new[]
        {
            new Dictionary<string, int> { ["x"] = 1, ["y"] = 2 },
            new Dictionary<string, int> { ["x"] = 1, ["z"] = 2 },
        };
        var error = Assert.Throws<ArgumentException>(() => DefaultCollate.Collate(items));
        Assert.Contains("missing 'y'", error.Message);
        Assert.Contains("item 1", error.Message);
    }

    [Fact]
    public void UnsupportedItemsAndBatchTypesAreRejectedClearly()
    {
        var error = Assert.Throws<ArgumentException>(() => DefaultCollate.Collate(new[] { new Uri("http://a"), new Uri("http://b") }));
        Assert.Contains("System.Uri", error.Message);
        var typeError = Assert.Throws<ArgumentException>(() => DefaultCollate.For<int, List<int>>());
        Assert.Contains("own collate", typeError.Message);
        Assert.Throws<ArgumentException>(() => DefaultCollate.Collate(Array.Empty<int>()));
    }

    [Fact]
    public void ConvertAddsNoBatchDimension()
    {
        using var scope = NewDisposeScope();
        var converted = (object[])DefaultCollate.Convert((new float[] { 1, 2, 3 }, 4));
        Assert.Equal(new long[] { 3 }, ((Tensor)converted[0]).shape);
        Assert.Equal(4L, ((Tensor)converted[1]).item<long>());
    }
}
