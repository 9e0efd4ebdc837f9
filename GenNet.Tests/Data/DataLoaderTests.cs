using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using GenNet.Data;
using Xunit;
using static TorchSharp.torch;

namespace GenNet.Tests.Data;

public sealed class DataLoaderTests
{
    private static MemoryDataset<float, long> Rows(int n, int width = 3)
    {
        var data = new float[n * width];
        for (var i = 0; i < data.Length; i++)
            data[i] = i / width;
        return new MemoryDataset<float, long>(data, width, Enumerable.Range(0, n).Select(i => (long)i).ToArray());
    }

    private static long[] Labels((Tensor X, Tensor Y) batch) => batch.Y.data<long>().ToArray();

    private static List<long[]> Epoch<TItem>(DatasetLoader<TItem, (Tensor, Tensor)> loader)
    {
        var result = new List<long[]>();
        foreach (var batch in loader)
        {
            using var scope = NewDisposeScope();
            scope.Attach(batch.Item1);
            scope.Attach(batch.Item2);
            result.Add(Labels(batch));
        }
        return result;
    }

    [Fact]
    public void CountIsTheNumberOfBatchesAndBatchesCoverTheDatasetInOrder()
    {
        using var loader = new DatasetLoader<(ReadOnlyMemory<float>, long), (Tensor, Tensor)>(Rows(10), batchSize: 4);
        Assert.Equal(3, loader.Count);
        var batches = Epoch(loader);
        Assert.Equal(new[] { 4, 4, 2 }, batches.Select(b => b.Length));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), batches.SelectMany(b => b));

        using var dropping = new DatasetLoader<(ReadOnlyMemory<float>, long), (Tensor, Tensor)>(Rows(10), batchSize: 4, dropLast: true);
        Assert.Equal(2, dropping.Count);
        Assert.Equal(2, Epoch(dropping).Count);
    }

    [Fact]
    public void ItemsArriveAsTheRowsTheyCameFrom()
    {
        using var loader = new DatasetLoader<(ReadOnlyMemory<float>, long), (Tensor, Tensor)>(Rows(6, width: 2), batchSize: 3, shuffle: true, seed: 1, numWorkers: 2);
        foreach (var (x, y) in loader)
        {
            using var scope = NewDisposeScope();
            scope.Attach(x);
            scope.Attach(y);
            Assert.Equal(new long[] { 3, 2 }, x.shape);
            // Row i holds the value i in both columns, so x must match its labels.
            Assert.Equal(y.data<long>().ToArray(), x[.., 0].to(ScalarType.Int64).data<long>().ToArray());
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void BatchesArriveInSamplerOrderWhateverTheWorkerCount(int workers)
    {
        // Early items are slow, so later batches finish first on other workers.
        var dataset = Dataset.FromFunc(40, i =>
        {
            if (i < 8)
                Thread.Sleep(20);
            return (new float[] { i }, (long)i);
        });
        using var loader = new DatasetLoader<(float[], long), (Tensor, Tensor)>(dataset, batchSize: 4, numWorkers: workers, prefetchFactor: 3);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (long)i), Epoch(loader).SelectMany(b => b));
    }

    [Fact]
    public void TheSameSeedGivesTheSameBatchesWithZeroOneTwoAndFourWorkers()
    {
        // Each item also draws from the batch's random generator, as a random augmentation would.
        var dataset = Dataset.FromFunc(103, i => (new float[] { DataLoaderContext.Current!.Random.Next(1000) }, (long)i));
        List<(long[] Labels, float[] Noise)> Run(int workers, bool consumerLoads = false)
        {
            using var loader = new DatasetLoader<(float[], long), (Tensor, Tensor)>(
                dataset, batchSize: 10, shuffle: true, numWorkers: workers, seed: 42, consumerLoads: consumerLoads);
            var epochs = new List<(long[], float[])>();
            for (var epoch = 0; epoch < 2; epoch++)
            {
                foreach (var (x, y) in loader)
                {
                    using var scope = NewDisposeScope();
                    scope.Attach(x);
                    scope.Attach(y);
                    epochs.Add((y.data<long>().ToArray(), x.data<float>().ToArray()));
                }
            }
            return epochs;
        }
        var reference = Run(0);
        Assert.Equal(22, reference.Count);
        Assert.NotEqual(reference[0].Labels, reference[11].Labels); // a new permutation in the second epoch
        foreach (var (workers, consumerLoads) in new[] { (1, false), (2, false), (4, false), (2, true) })
        {
            var run = Run(workers, consumerLoads);
            Assert.Equal(reference.Select(r => r.Labels), run.Select(r => r.Labels));
            Assert.Equal(reference.Select(r => r.Noise), run.Select(r => r.Noise));
        }
        Assert.NotEqual(reference[0].Labels, RunWithSeed(43));

        long[] RunWithSeed(int seed)
        {
            using var loader = new DatasetLoader<(float[], long), (Tensor, Tensor)>(dataset, batchSize: 10, shuffle: true, seed: seed);
            return Epoch(loader)[0];
        }
    }

    [Fact]
    public void ABatchIndexedDatasetIsGatheredWithOneCallPerBatch()
    {
        using var scope = NewDisposeScope();
        var x = arange(20, dtype: ScalarType.Float32).reshape(10, 2);
        var y = arange(10, dtype: ScalarType.Int64);
        var counting = new CountingTensorDataset(new TensorPairDataset(x, y));
        using var loader = new DatasetLoader<(Tensor, Tensor), (Tensor, Tensor)>(counting, batchSize: 4, shuffle: true, seed: 3, numWorkers: 2);
        var labels = Epoch(loader);
        Assert.Equal(3, counting.BatchCalls);
        Assert.Equal(0, counting.ItemCalls);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), labels.SelectMany(b => b).Order());

        // With a collate function of its own the loader goes item by item.
        using var perItem = new DatasetLoader<(Tensor, Tensor), (Tensor, Tensor)>(
            counting, batchSize: 4, collate: DefaultCollate.For<(Tensor, Tensor), (Tensor, Tensor)>());
        Assert.Equal(labels.Count, Epoch(perItem).Count);
        Assert.Equal(10, counting.ItemCalls);
    }

    private sealed class CountingTensorDataset(TensorPairDataset inner) : IDataset<(Tensor, Tensor)>, IBatchDataset<(Tensor, Tensor)>
    {
        private int _batchCalls, _itemCalls;
        public int BatchCalls => _batchCalls;
        public int ItemCalls => _itemCalls;
        public int Count => inner.Count;

        public (Tensor, Tensor) this[int index]
        {
            get
            {
                Interlocked.Increment(ref _itemCalls);
                return inner[index];
            }
        }

        public (Tensor, Tensor) GetBatch(ReadOnlySpan<int> indices)
        {
            Interlocked.Increment(ref _batchCalls);
            return inner.GetBatch(indices);
        }
    }

    [Fact]
    public void OptionsFollowPyTorchsMutualExclusions()
    {
        var ds = Rows(10);
        var sampler = new SequentialSampler(10);
        var batchSampler = new BatchSampler(sampler, 2);
        void Check(string fragment, Action create) => Assert.Contains(fragment, Assert.ThrowsAny<ArgumentException>(create).Message);
        Check("sampler and shuffle", () => Create(ds, shuffle: true, sampler: sampler));
        Check("batchSampler", () => Create(ds, batchSize: 2, batchSampler: batchSampler));
        Check("batchSampler", () => Create(ds, batchSampler: batchSampler, shuffle: true));
        Check("batchSampler", () => Create(ds, batchSampler: batchSampler, sampler: sampler));
        Check("batchSampler", () => Create(ds, batchSampler: batchSampler, dropLast: true));
        Check("dropLast", () => Create(ds, batchSize: null, dropLast: true));
        Check("numWorkers", () => Create(ds, numWorkers: -1));
        Check("prefetchFactor", () => Create(ds, prefetchFactor: 2));
        Check("persistentWorkers", () => Create(ds, persistentWorkers: true));
        Check("timeout", () => Create(ds, timeout: TimeSpan.FromSeconds(-1)));
        Check("batchSize", () => Create(ds, batchSize: 0));
        Check("consumerLoads", () => new DatasetLoader<(ReadOnlyMemory<float>, long), (Tensor, Tensor)>(ds, consumerLoads: true));
        Check("consumerLoads", () => new DatasetLoader<(ReadOnlyMemory<float>, long), (Tensor, Tensor)>(
            ds, numWorkers: 1, consumerLoads: true, timeout: TimeSpan.FromSeconds(1)));

        using var viaBatchSampler = Create(ds, batchSampler: batchSampler);
        Assert.Equal(5, viaBatchSampler.Count);
        Assert.Null(viaBatchSampler.BatchSize);

        static DatasetLoader<(ReadOnlyMemory<float>, long), (Tensor, Tensor)> Create(
            IDataset<(ReadOnlyMemory<float>, long)> ds, int? batchSize = 1, bool shuffle = false, ISampler? sampler = null,
            IBatchSampler? batchSampler = null, int numWorkers = 0, bool dropLast = false, TimeSpan? timeout = null,
            int? prefetchFactor = null, bool persistentWorkers = false) =>
            new(ds, batchSize, shuffle, sampler, batchSampler, numWorkers, dropLast: dropLast, timeout: timeout,
                prefetchFactor: prefetchFactor, persistentWorkers: persistentWorkers);
    }

    [Fact]
    public void WithoutAutomaticBatchingEachItemIsConvertedAlone()
    {
        using var loader = new DatasetLoader<(ReadOnlyMemory<float>, long), (Tensor, Tensor)>(Rows(3, width: 2), batchSize: null);
        Assert.Equal(3, loader.Count);
        foreach (var (x, y) in loader)
        {
            using var scope = NewDisposeScope();
            scope.Attach(x);
            scope.Attach(y);
            Assert.Equal(new long[] { 2 }, x.shape);
            Assert.Empty(y.shape);
        }
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(2, false)]
    [InlineData(1, true)]
    public void AFailingItemSurfacesOnTheConsumerWithItsIndex(int workers, bool consumerLoads)
    {
        var dataset = Dataset.FromFunc(50, i => i == 37 ? throw new InvalidOperationException("corrupt image") : (new float[] { i }, (long)i));
        using var loader = new DatasetLoader<(float[], long), (Tensor, Tensor)>(dataset, batchSize: 5, numWorkers: workers, consumerLoads: consumerLoads);
        var delivered = 0;
        var error = Assert.Throws<DataLoaderException>(() =>
        {
            foreach (var (x, y) in loader)
            {
                x.Dispose();
                y.Dispose();
                delivered++;
            }
        });
        Assert.Equal(7, delivered); // every batch before the failing one
        Assert.Equal(37, error.Index);
        Assert.Equal(7, error.BatchIndex);
        Assert.Contains("dataset index 37", error.Message);
        Assert.Contains("corrupt image", error.Message);
        Assert.IsType<InvalidOperationException>(error.InnerException);
        if (workers > 0)
            Assert.InRange(error.WorkerId, consumerLoads ? -1 : 0, workers - 1);
        AssertNoWorkerThreads();
    }

    [Fact]
    public void ACollateFailureNamesTheBatch()
    {
        var dataset = Dataset.FromFunc(6, i => new float[i == 4 ? 2 : 3]);
        using var loader = new DatasetLoader<float[], Tensor>(dataset, batchSize: 3, numWorkers: 1);
        var error = Assert.Throws<DataLoaderException>(() => loader.Select(b => b.shape).ToList());
        Assert.Contains("collate batch 1", error.Message);
        Assert.Contains("item 1", error.Message);
        Assert.Null(error.Index);
    }

    [Fact]
    public void ASlowItemBeyondTheTimeoutRaisesAClearError()
    {
        using var release = new ManualResetEventSlim();
        var dataset = Dataset.FromFunc(8, i =>
        {
            if (i == 4)
                release.Wait(TimeSpan.FromSeconds(60), DataLoaderContext.Current!.CancellationToken); // stops with the loader
            return new float[] { i };
        });
        using var loader = new DatasetLoader<float[], Tensor>(dataset, batchSize: 2, numWorkers: 2, timeout: TimeSpan.FromSeconds(2));
        var error = Assert.Throws<TimeoutException>(() =>
        {
            foreach (var batch in loader)
                batch.Dispose();
        });
        Assert.Contains("timed out after 2 s", error.Message);
        Assert.Contains("batch 2", error.Message);
        release.Set();
        AssertNoWorkerThreads();
    }

    [Fact]
    public void AReadyBatchIsNotHeldBackByALaterBatchThatIsStillLoading()
    {
        // Batch 0 is slow, so the consumer catches up and waits; every later batch blocks until the consumer has batch 0.
        // The consumer may sleep until a few batches are ready, but only briefly: it must hand out batch 0 while the later
        // ones are still blocked, or the later ones would give up waiting.
        using var firstDelivered = new ManualResetEventSlim(false);
        var gaveUp = 0;
        var dataset = Dataset.FromFunc(200, i =>
        {
            if (i < 10)
                Thread.Sleep(50);
            else if (!firstDelivered.Wait(TimeSpan.FromSeconds(10)))
                Interlocked.Increment(ref gaveUp);
            return new float[] { i };
        });
        using var loader = new DatasetLoader<float[], Tensor>(dataset, batchSize: 10, numWorkers: 2, prefetchFactor: 8);
        var batches = 0;
        foreach (var batch in loader)
        {
            batch.Dispose();
            batches++;
            firstDelivered.Set();
        }
        Assert.Equal(20, batches);
        Assert.Equal(0, gaveUp);
        AssertNoWorkerThreads();
    }

    [Fact]
    public void CancellingStopsTheEpochAndItsWorkers()
    {
        using var cts = new CancellationTokenSource();
        var dataset = Dataset.FromFunc(1000, i =>
        {
            Thread.Sleep(1);
            return new float[] { i };
        });
        using var loader = new DatasetLoader<float[], Tensor>(dataset, batchSize: 10, numWorkers: 2);
        var seen = 0;
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var batch in loader.Iterate(cts.Token))
            {
                batch.Dispose();
                if (++seen == 3)
                    cts.Cancel();
            }
        });
        Assert.Equal(3, seen);
        AssertNoWorkerThreads();
    }

    [Fact]
    public void DisposingTheLoaderStopsPersistentWorkersAndBreakingStopsTheOthers()
    {
        var dataset = Rows(200);
        var persistent = new DatasetLoader<(ReadOnlyMemory<float>, long), (Tensor, Tensor)>(dataset, batchSize: 10, numWorkers: 3, persistentWorkers: true);
        Assert.Equal(20, Epoch(persistent).Count);
        Assert.Equal(3, DataLoaderWorkers.ActiveThreads); // kept between epochs
        Assert.Equal(20, Epoch(persistent).Count);
        foreach (var (x, y) in persistent)
        {
            x.Dispose();
            y.Dispose();
            break;
        }
        persistent.Dispose();
        AssertNoWorkerThreads();
        Assert.Throws<ObjectDisposedException>(() => persistent.First());

        using var transient = new DatasetLoader<(ReadOnlyMemory<float>, long), (Tensor, Tensor)>(dataset, batchSize: 10, numWorkers: 4);
        foreach (var (x, y) in transient)
        {
            Assert.Equal(4, DataLoaderWorkers.ActiveThreads);
            x.Dispose();
            y.Dispose();
            break;
        }
        AssertNoWorkerThreads();
    }

    [Fact]
    public void BatchesBelongToTheConsumer()
    {
        var dataset = Rows(12);
        var loader = new DatasetLoader<(ReadOnlyMemory<float>, long), (Tensor, Tensor)>(dataset, batchSize: 4, numWorkers: 2);
        var batches = loader.ToList(); // TorchSharp's loader would have disposed all but the last
        loader.Dispose();
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i), batches.SelectMany(b => b.Item2.data<long>().ToArray()));
        foreach (var (x, y) in batches)
        {
            x.Dispose();
            y.Dispose();
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void ABatchJoinsTheDisposeScopeOpenOnTheConsumersThread(int workers)
    {
        using var loader = new DatasetLoader<(ReadOnlyMemory<float>, long), (Tensor, Tensor)>(Rows(8), batchSize: 4, numWorkers: workers);
        using var enumerator = loader.GetEnumerator();
        Tensor x, y;
        using (NewDisposeScope())
        {
            Assert.True(enumerator.MoveNext());
            (x, y) = enumerator.Current;
            Assert.False(x.IsInvalid);
        }
        Assert.True(x.IsInvalid);
        Assert.True(y.IsInvalid);

        Assert.True(enumerator.MoveNext());
        (x, y) = enumerator.Current;
        using (NewDisposeScope())
        {
            // Created outside any scope: an inner scope does not take it.
        }
        Assert.False(x.IsInvalid);
        x.Dispose();
        y.Dispose();
    }

    [Fact]
    public void DictionaryItemsCollateThroughTheLoader()
    {
        var dataset = Dataset.FromFunc(6, i => new Dictionary<string, object> { ["image"] = new byte[] { (byte)i, (byte)i }, ["label"] = i });
        using var loader = new DatasetLoader<Dictionary<string, object>, Dictionary<string, Tensor>>(dataset, batchSize: 3, numWorkers: 2);
        var batches = loader.ToList();
        Assert.Equal(new[] { "image", "label" }, batches[0].Keys);
        Assert.Equal(new long[] { 3, 2 }, batches[1]["image"].shape);
        Assert.Equal(new long[] { 3, 4, 5 }, batches[1]["label"].data<long>().ToArray());
        foreach (var batch in batches)
            BatchTensors.Dispose(batch);
    }

    private static void AssertNoWorkerThreads()
    {
        // Workers are joined before Dispose returns; the generous wait only covers a loaded machine.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DataLoaderWorkers.ActiveThreads != 0 && DateTime.UtcNow < deadline)
            Thread.Sleep(20);
        Assert.Equal(0, DataLoaderWorkers.ActiveThreads);
    }
}
