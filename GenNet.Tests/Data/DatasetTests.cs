using System;
using System.Linq;
using GenNet.Data;
using Xunit;
using static TorchSharp.torch;

namespace GenNet.Tests.Data;

public sealed class DatasetTests
{
    [Fact]
    public void TensorDatasetGathersTheSameRowsAsIndexSelect()
    {
        using var scope = NewDisposeScope();
        var x = arange(60, dtype: ScalarType.Float32).reshape(12, 5);
        var y = arange(12, dtype: ScalarType.Int64) * 10;
        int[] indices = [11, 0, 3, 3, 7];
        using var index = tensor(indices.Select(i => (long)i).ToArray());
        foreach (var source in new[] { x, x.t().contiguous().t() })
        {
            // The second source is not contiguous, so it takes the index_select path.
            var ds = new TensorPairDataset(source, y);
            var (xb, yb) = ds.GetBatch(indices);
            Assert.Equal(source.index_select(0, index).data<float>().ToArray(), xb.data<float>().ToArray());
            Assert.Equal(new long[] { 110, 0, 30, 30, 70 }, yb.data<long>().ToArray());
            Assert.Equal(new long[] { 5, 5 }, xb.shape);
        }
        var (x3, y3) = new TensorPairDataset(x, y)[3];
        Assert.Equal(new float[] { 15, 16, 17, 18, 19 }, x3.data<float>().ToArray());
        Assert.Equal(30L, y3.item<long>());
    }

    [Fact]
    public void TensorDatasetGathersRowsOfEveryWidthAndDtypeLikeIndexSelect()
    {
        using var scope = NewDisposeScope();
        int[] indices = [5, 1, 1, 9, 0, 7];
        using var index = tensor(indices.Select(i => (long)i).ToArray());
        // One-element rows of 8 and 4 bytes, odd-width rows and multi-dimensional rows take different copy loops.
        var sources = new[]
        {
            arange(10, dtype: ScalarType.Int64) * 7,
            arange(10, dtype: ScalarType.Int32) - 3,
            arange(10, dtype: ScalarType.Float64) / 4,
            arange(30, dtype: ScalarType.Int32).to_type(ScalarType.Byte).reshape(10, 3),
            arange(10 * 2 * 3 * 5, dtype: ScalarType.Float32).reshape(10, 2, 3, 5),
        };
        foreach (var source in sources)
        {
            var (xb, yb) = new TensorPairDataset(source, source).GetBatch(indices);
            var expected = source.index_select(0, index);
            Assert.Equal(expected.shape, xb.shape);
            Assert.Equal(expected.dtype, xb.dtype);
            Assert.True(expected.eq(xb).all().item<bool>(), $"rows of {source.dtype} {TensorPairDataset.Shape(source)} differ");
            Assert.True(expected.eq(yb).all().item<bool>());
        }
    }

    [Fact]
    public void TensorDatasetRefusesATensorResizedAfterCreation()
    {
        using var scope = NewDisposeScope();
        var x = zeros(10, 4);
        var ds = new TensorPairDataset(x, arange(10));
        x.set_(zeros(5, 4));
        var error = Assert.Throws<InvalidOperationException>(() => ds.GetBatch([0, 1]));
        Assert.Contains("X now holds 80 bytes but held 160", error.Message);
    }

    [Fact]
    public void DatasetsRejectInconsistentInputAndBadIndices()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => new TensorPairDataset(zeros(4, 2), zeros(3)));
        Assert.Contains("4 items", error.Message);
        Assert.Contains("3", error.Message);
        var ds = new TensorPairDataset(zeros(4, 2), zeros(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => ds.GetBatch([0, 4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ds[-1]);

        var memoryError = Assert.Throws<ArgumentException>(() => new MemoryDataset<float, int>(new float[10], 3, new int[3]));
        Assert.Contains("3 labels × 3", memoryError.Message);
    }

    [Fact]
    public void MemoryDatasetItemsAreRowsOfTheBuffer()
    {
        var ds = new MemoryDataset<byte, string>(new byte[] { 1, 2, 3, 4, 5, 6 }, 2, new[] { "a", "b", "c" });
        Assert.Equal(3, ds.Count);
        var (row, label) = ds[1];
        Assert.Equal(new byte[] { 3, 4 }, row.ToArray());
        Assert.Equal("b", label);
    }

    [Fact]
    public void MapAndFromListAreLazyViews()
    {
        var calls = 0;
        var ds = Dataset.FromList(new[] { 1, 2, 3 }).Map(v =>
        {
            calls++;
            return v * 10;
        });
        Assert.Equal(0, calls);
        Assert.Equal(3, ds.Count);
        Assert.Equal(20, ds[1]);
        Assert.Equal(1, calls);
    }
}
