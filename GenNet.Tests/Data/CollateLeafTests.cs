using System;
using System.Collections.Generic;
using System.Linq;
using GenNet.Data;
using Xunit;
using static TorchSharp.torch;

namespace GenNet.Tests.Data;

/// <summary>Users add leaf types to the default collate (PyTorch's <c>default_collate_fn_map</c>); the typed plans and the
/// general recursion both find them.</summary>
public sealed class CollateLeafTests
{
    private readonly record struct Rgb(byte R, byte G, byte B);

    private interface IShape
    {
        float Area { get; }
    }

    private sealed class Square(float side) : IShape
    {
        public float Area => side * side;
    }

    private static Tensor Colors(IReadOnlyList<Rgb> column) =>
        tensor(column.SelectMany(c => new float[] { c.R, c.G, c.B }).ToArray(), [column.Count, 3]);

    [Fact]
    public void ARegisteredLeafIsUsedByTheTypedPathTheBoxedPathAndTheLoader()
    {
        using var scope = NewDisposeScope();
        var before = Assert.Throws<ArgumentException>(() => DefaultCollate.Collate(new[] { new Rgb(1, 2, 3) }));
        Assert.Contains(nameof(Rgb), before.Message);

        DefaultCollate.RegisterLeaf<Rgb>(Colors);
        try
        {
            // Typed: (Rgb, int) pairs take the boxing-free plan.
            var typed = (object[])DefaultCollate.Collate(new[] { (new Rgb(1, 2, 3), 0), (new Rgb(4, 5, 6), 1) });
            Assert.Equal(new long[] { 2, 3 }, ((Tensor)typed[0]).shape);
            Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, ((Tensor)typed[0]).data<float>().ToArray());

            // Boxed: inside dictionary rows.
            var rows = new[]
            {
                new Dictionary<string, object> { ["color"] = new Rgb(7, 8, 9), ["label"] = 2 },
                new Dictionary<string, object> { ["color"] = new Rgb(1, 1, 1), ["label"] = 3 },
            };
            var boxed = (Dictionary<string, object>)DefaultCollate.Collate(rows);
            Assert.Equal(new float[] { 7, 8, 9, 1, 1, 1 }, ((Tensor)boxed["color"]).data<float>().ToArray());

            // A mismatched value in the column is named like any other.
            var mixed = Assert.Throws<ArgumentException>(() => DefaultCollate.Collate(new object[] { new Rgb(1, 2, 3), 5 }));
            Assert.Contains("item 1", mixed.Message);

            // Through a loader.
            var ds = Dataset.FromFunc(4, i => (new Rgb((byte)i, 0, 0), (long)i));
            using var loader = ds.ToDataLoader(batchSize: 4);
            var (x, y) = loader.Single();
            Assert.Equal(new float[] { 0, 1, 2, 3 }, x[.., 0].data<float>().ToArray());
            Assert.Equal(new long[] { 0, 1, 2, 3 }, y.data<long>().ToArray());
        }
        finally
        {
            Assert.True(DefaultCollate.UnregisterLeaf<Rgb>());
        }
        // Removing it takes effect on plans that were already built too.
        Assert.Throws<ArgumentException>(() => DefaultCollate.Collate(new[] { (new Rgb(1, 2, 3), 0) }));
        Assert.False(DefaultCollate.UnregisterLeaf<Rgb>());
    }

    [Fact]
    public void AnInterfaceLeafCoversItsImplementationsAndAnExactOneWins()
    {
        using var scope = NewDisposeScope();
        DefaultCollate.RegisterLeaf<IShape>(column => tensor(column.Select(s => s.Area).ToArray()));
        try
        {
            var areas = (Tensor)DefaultCollate.Collate(new IShape[] { new Square(2), new Square(3) });
            Assert.Equal(new float[] { 4, 9 }, areas.data<float>().ToArray());
            var viaClass = (Tensor)DefaultCollate.Collate(new[] { new Square(1), new Square(2) });
            Assert.Equal(new float[] { 1, 4 }, viaClass.data<float>().ToArray());

            DefaultCollate.RegisterLeaf<Square>(column => full(column.Count, -1f));
            try
            {
                Assert.Equal(new float[] { -1, -1 }, ((Tensor)DefaultCollate.Collate(new[] { new Square(1), new Square(2) })).data<float>().ToArray());
            }
            finally
            {
                DefaultCollate.UnregisterLeaf<Square>();
            }
        }
        finally
        {
            DefaultCollate.UnregisterLeaf<IShape>();
        }
    }

    [Fact]
    public void ALeafThatFailsIsReportedWithItsPathAndType()
    {
        DefaultCollate.RegisterLeaf<Square>(_ => throw new InvalidOperationException("boom"));
        try
        {
            var error = Assert.Throws<ArgumentException>(() => DefaultCollate.Collate(new[] { (new Square(1), 1) }));
            Assert.Contains("item[0]", error.Message);
            Assert.Contains(nameof(Square), error.Message);
            Assert.Contains("boom", error.Message);
        }
        finally
        {
            DefaultCollate.UnregisterLeaf<Square>();
        }
    }
}
