using System;
using System.Collections.Generic;
using System.Linq;
using GenNet.Data;
using GenNet.Tests.Generators.Harness;
using GenNet.Training;
using Microsoft.CodeAnalysis;
using Xunit;
using static TorchSharp.torch;

namespace GenNet.Tests.Data;

public sealed class LoaderFactoryTests
{
    /// <summary>The newcomer program, data half: the README's ordinary imports, a loader and a DataLoaders pair built
    /// by the factories, the arity-1 loader type spelled out, all without qualifying or aliasing anything.</summary>
    private const string NewcomerSource = """
        using System;
        using System.Collections.Generic;
        using TorchSharp;
        using TorchSharp.Modules;
        using static TorchSharp.torch;
        using GenNet;
        using GenNet.Data;
        using GenNet.Optim;
        using GenNet.Training;

        public static class NewcomerProgram
        {
            public static int Run()
            {
                var x = rand(100, 784);
                var y = randint(0, 10, 100);
                var ds = Dataset.FromTensors(x, y);
                DataLoader<(Tensor X, Tensor Y)> dl = ds.ToDataLoader(batchSize: 64, shuffle: true, numWorkers: 2);
                IReadOnlyCollection<(Tensor X, Tensor Y)> sized = dl;
                var rows = new MemoryDataset<float, long>(new float[20], 2, new long[10]);
                var perItem = rows.ToDataLoader(batchSize: 4, shuffle: true);
                var custom = Dataset.FromFunc(10, i => (new float[] { i }, (long)i));
                var collated = custom.ToDataLoader(items => tensor(new float[items.Count]), batchSize: 5);
                DataLoader<Tensor> check = collated;
                DataLoaders<(Tensor X, Tensor Y)> dls = DataLoaders.Create(ds, ds, 64);
                var (train, valid) = dls;
                var fromItems = DataLoaders.Create(rows, rows, 2, numWorkers: 1);
                DataLoaders<(Tensor X, Tensor Y)> lesson = TrainingLoop.GetDls((x, y), (x, y), 64);
                var count = 0;
                foreach (var (xb, yb) in perItem)
                    count += (int)yb.shape[0];
                return count + sized.Count + train.Count + valid.Count + check.Count + fromItems.Train.Count + lesson.Valid.Count;
            }
        }
        """;

    [Fact]
    public void TheOrdinaryImportsCompileALoaderProgramWithoutQualification()
    {
        var compilation = GeneratorHarness.CreateCompilation(NewcomerSource);
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public void PairItemsInferATupleOfTensorsBatch()
    {
        var rows = new MemoryDataset<float, long>(Enumerable.Range(0, 20).Select(i => (float)i).ToArray(), 2, Enumerable.Range(0, 10).Select(i => (long)i).ToArray());
        using var loader = rows.ToDataLoader(batchSize: 4);
        Assert.IsType<DatasetLoader<(ReadOnlyMemory<float>, long), (Tensor, Tensor)>>(loader);
        Assert.Equal(3, loader.Count);
        var (x, y) = loader.First();
        Assert.Equal(new long[] { 4, 2 }, x.shape);
        Assert.Equal(new long[] { 0, 1, 2, 3 }, y.data<long>().ToArray());
    }

    private sealed class CountingBatches(int count) : IDataset<(Tensor X, Tensor Y)>, IBatchDataset<(Tensor X, Tensor Y)>
    {
        public int ItemCalls;
        public int BatchCalls;
        public int Count => count;
        public (Tensor X, Tensor Y) this[int index]
        {
            get
            {
                System.Threading.Interlocked.Increment(ref ItemCalls);
                return (tensor(new float[] { index }), tensor((long)index));
            }
        }

        public (Tensor X, Tensor Y) GetBatch(ReadOnlySpan<int> indices)
        {
            System.Threading.Interlocked.Increment(ref BatchCalls);
            var values = indices.ToArray();
            return (tensor(values.Select(i => (float)i).ToArray()).unsqueeze(1), tensor(values.Select(i => (long)i).ToArray()));
        }
    }

    [Fact]
    public void ADatasetThatIsBothBatchAndItemIndexedGetsTheBatchPath()
    {
        var ds = new CountingBatches(10);
        using var loader = ds.ToDataLoader(batchSize: 5);
        Assert.IsType<DatasetLoader<(Tensor X, Tensor Y), (Tensor X, Tensor Y)>>(loader);
        Assert.Same(ds, ((DatasetLoader<(Tensor X, Tensor Y), (Tensor X, Tensor Y)>)loader).Dataset);
        Assert.Equal(new long[] { 5, 6, 7, 8, 9 }, loader.Last().Y.data<long>().ToArray());
        Assert.Equal((2, 0), (ds.BatchCalls, ds.ItemCalls));

        // batchSize null is the item path (no automatic batching), which the batch overload does not take.
        using var single = ds.ToDataLoader(batchSize: null);
        Assert.Equal(10, single.Count);
        Assert.Equal(0, single.First().X.dim() - 1);
        Assert.Equal(2, ds.BatchCalls);
    }

    private sealed class OnlyBatches(int count) : IBatchDataset<Tensor>
    {
        public int Count => count;
        public Tensor GetBatch(ReadOnlySpan<int> indices) => tensor(indices.ToArray().Select(i => (long)i).ToArray());
    }

    [Fact]
    public void ADatasetWithOnlyBatchesGetsALoaderOfItsBatchType()
    {
        using var loader = new OnlyBatches(7).ToDataLoader(batchSize: 3);
        Assert.Equal(new[] { 3, 3, 1 }, loader.Select(b => (int)b.shape[0]));
    }

    [Fact]
    public void TensorItemsDictionaryRowsAndCollateFunctionsInferTheirBatchTypes()
    {
        var tensors = Dataset.FromFunc(6, i => full(2, 3, (float)i));
        using DataLoader<Tensor> stacked = tensors.ToDataLoader(batchSize: 4);
        Assert.Equal(new long[] { 4, 2, 3 }, stacked.First().shape);

        var rows = Dataset.FromFunc(5, i => (IReadOnlyDictionary<string, object>)new Dictionary<string, object> { ["image"] = new float[] { i, i }, ["label"] = i });
        using DataLoader<Dictionary<string, Tensor>> dictionaries = rows.ToDataLoader(batchSize: 5);
        var batch = dictionaries.Single();
        Assert.Equal(new[] { "image", "label" }, batch.Keys);
        Assert.Equal(new long[] { 5, 2 }, batch["image"].shape);
        Assert.Equal(ScalarType.Int64, batch["label"].dtype);

        var items = Dataset.FromFunc(4, i => i);
        using var summed = items.ToDataLoader(list => list.Sum(), batchSize: 2);
        Assert.Equal(new[] { 1, 5 }, summed.ToArray());
    }

    [Fact]
    public void DataLoadersCreateWithoutCollateShufflesTrainAndDoublesTheValidationBatch()
    {
        var x = arange(40, dtype: ScalarType.Float32).reshape(20, 2);
        var y = arange(20, dtype: ScalarType.Int64);
        var ds = new TensorPairDataset(x, y);
        using var dls = DataLoaders.Create(ds, ds, batchSize: 4, seed: 3);
        var (train, valid) = dls;
        Assert.Equal((5, 3), (train.Count, valid.Count));
        Assert.Equal(8, valid.First().Y.shape[0]);
        var order = train.SelectMany(b => b.Y.data<long>().ToArray()).ToArray();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), order.Order());
        Assert.NotEqual(Enumerable.Range(0, 20).Select(i => (long)i), order);

        using var lesson = TrainingLoop.GetDls((x, y), (x, y), batchSize: 4, seed: 3);
        Assert.IsType<DataLoaders<(Tensor X, Tensor Y)>>(lesson);
        Assert.Equal(order, lesson.Train.SelectMany(b => b.Y.data<long>().ToArray()));
    }
}

public sealed class DataNameClashTests
{
    /// <summary>Simple names (with generic arity) a file with the ordinary imports can reach from TorchSharp: the types of
    /// the TorchSharp and TorchSharp.Modules namespaces and the nested types of <c>torch</c> (<c>using static</c>).</summary>
    private static HashSet<string> TorchSharpNames()
    {
        var assembly = typeof(TorchSharp.torch).Assembly;
        var names = new HashSet<string>();
        foreach (var type in assembly.GetExportedTypes())
        {
            if (!type.IsNested && type.Namespace is "TorchSharp" or "TorchSharp.Modules")
                names.Add(type.Name);
        }
        foreach (var nested in typeof(TorchSharp.torch).GetNestedTypes())
            names.Add(nested.Name);
        return names;
    }

    [Fact]
    public void NoPublicDataTypeSharesANameWithATypeTheOrdinaryImportsReach()
    {
        var torch = TorchSharpNames();
        var clashes = typeof(DataLoaderWorkers).Assembly.GetExportedTypes()
            .Where(t => !t.IsNested && t.Namespace == "GenNet.Data" && torch.Contains(t.Name))
            // The two-argument loader keeps its name on purpose: users reach it through ToDataLoader and name the
            // one-argument DataLoader<TBatch>, which TorchSharp does not have.
            .Where(t => t != typeof(DatasetLoader<,>))
            .Select(t => t.FullName)
            .ToList();
        Assert.True(clashes.Count == 0, "clash with TorchSharp: " + string.Join(", ", clashes));
    }
}
