using System;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.Linq;
using GenNet.Data;
using GenNet.Data.Idx;
using GenNet.Samples.Data;
using static TorchSharp.torch;

namespace GenNet.Samples.Lesson;

/// <summary>
/// <c>lesson data</c>: lesson 14's data pipeline rebuilt step by step, from a naive loader to GenNet's DataLoader.
/// </summary>
internal static class DataLesson
{
    private const int BatchSize = 50;

    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Folder with the Fashion-MNIST IDX .gz files (default: Debian's package, else the repository copy)." };
        var randomData = new Option<bool>("--random-data") { Description = "Use random data of Fashion-MNIST's shape instead of the real images." };
        var command = new Command("data", "Datasets, samplers, batch samplers, collate, workers and the full DataLoader, step by step.");
        command.Options.Add(data);
        command.Options.Add(randomData);
        command.SetAction(parse => Run(parse.GetValue(data), parse.GetValue(randomData)));
        return command;
    }

    private static int Run(string? dataOption, bool randomData)
    {
        using var scope = NewDisposeScope();
        if (LoadTrainingSet(dataOption, randomData) is not var (x, y, source))
            return 1;
        Console.WriteLine($"Training set: {source}: x {Shape(x)} {x.dtype}, y {Shape(y)} {y.dtype}");

        Step("1. A dataset: length + indexer, item i is (x[i], y[i])");
        var ds = new TensorPairDataset(x, y);
        var (x0, y0) = ds[0];
        Console.WriteLine($"ds.Count = {ds.Count}; ds[0] = (x {Shape(x0)}, y {y0.item<long>()})");

        Step("2. A naive loader: consecutive slices of the dataset");
        var naive = Enumerable.Range(0, ds.Count / BatchSize).Select(b => ds.GetBatch(Enumerable.Range(b * BatchSize, BatchSize).ToArray()));
        var (xb, yb) = naive.First();
        Console.WriteLine($"first batch: xb {Shape(xb)}, yb[..10] = {Format(yb, 10)} (always the same order: no shuffling)");

        Step("3. Samplers: the order of the indices, a new permutation every epoch when random");
        Console.WriteLine($"SequentialSampler: {string.Join(", ", new SequentialSampler(ds.Count).Take(5))}, …");
        var random = new RandomSampler(ds.Count, seed: 42);
        Console.WriteLine($"RandomSampler epoch 0: {string.Join(", ", random.Take(5))}, …");
        Console.WriteLine($"RandomSampler epoch 1: {string.Join(", ", random.Take(5))}, …  (same seed → same sequence of epochs)");

        Step("4. BatchSampler: chunks of the sampler's indices (PyTorch's counts, dropLast optional)");
        var batches = new BatchSampler(new RandomSampler(ds.Count, seed: 1), BatchSize);
        Console.WriteLine($"batches per epoch: {batches.Count} (dropLast: {new BatchSampler(new SequentialSampler(ds.Count + 7), BatchSize, dropLast: true).Count} " +
                          $"vs {new BatchSampler(new SequentialSampler(ds.Count + 7), BatchSize).Count} for {ds.Count + 7} items)");
        Console.WriteLine($"first batch of indices: {string.Join(", ", batches.First().Take(6))}, …");

        Step("5. Collate: a list of items becomes one batch (stack per position or key)");
        var firstBatch = batches.First(); // enumerating the sampler again would be a new epoch, with other indices
        var items = firstBatch.Select(i => ds[i]).ToList();
        var (cx, cy) = DefaultCollate.For<(Tensor, Tensor), (Tensor, Tensor)>()(items);
        Console.WriteLine($"collate({items.Count} items of (x {Shape(items[0].Item1)}, y {Shape(items[0].Item2)})) = (x {Shape(cx)}, y {Shape(cy)})");
        var rows = new MemoryDataset<float, long>(x.data<float>().ToArray(), 784, y.data<long>().ToArray());
        var (mx, my) = DefaultCollate.For<(ReadOnlyMemory<float>, long), (Tensor, Tensor)>()(firstBatch.Select(i => rows[i]).ToList());
        Console.WriteLine($"from managed rows (no tensor per item): (x {Shape(mx)} {mx.dtype}, y {Shape(my)} {my.dtype}); same data: " +
                          $"{mx.allclose(cx)}");

        Step("6. Workers: threads load whole batches ahead, and batches still arrive in sampler order");
        foreach (var workers in new[] { 0, 2 })
        {
            using var loader = new DatasetLoader<(ReadOnlyMemory<float>, long), (Tensor, Tensor)>(rows, batchSize: BatchSize, shuffle: true, seed: 7, numWorkers: workers);
            var clock = Stopwatch.StartNew();
            long[]? first = null;
            foreach (var (bx, by) in loader)
            {
                first ??= by.data<long>().Take(8).ToArray();
                bx.Dispose();
                by.Dispose();
            }
            Console.WriteLine($"{workers} workers: first labels {string.Join(",", first!)}; epoch in {clock.Elapsed.TotalMilliseconds:0} ms");
        }

        Step("7. The full DataLoader: PyTorch's options, Count = batches, each enumeration is an epoch");
        using (var train = new DatasetLoader<(Tensor, Tensor), (Tensor, Tensor)>(ds, batchSize: BatchSize, shuffle: true, dropLast: true, numWorkers: 2, seed: 1))
        using (var valid = new DatasetLoader<(Tensor, Tensor), (Tensor, Tensor)>(ds, batchSize: BatchSize * 2))
        {
            Console.WriteLine($"train: {train.Count} batches of {train.BatchSize}, shuffled; valid: {valid.Count} batches of {valid.BatchSize}");
            var (tx, ty) = train.First();
            Console.WriteLine($"first training batch: x {Shape(tx)}, y[..10] = {Format(ty, 10)}  (batches belong to you: still valid after First())");
            try
            {
                _ = new DatasetLoader<(Tensor, Tensor), (Tensor, Tensor)>(ds, batchSize: BatchSize, shuffle: true, sampler: new SequentialSampler(ds.Count));
            }
            catch (ArgumentException e)
            {
                Console.WriteLine($"PyTorch's rules hold: {e.Message}");
            }
        }
        return 0;
    }

    /// <summary>The real training set from the main job's sources (never random data unless asked), or null after
    /// printing how to get it.</summary>
    private static (Tensor X, Tensor Y, string Source)? LoadTrainingSet(string? dataOption, bool randomData)
    {
        if (randomData)
        {
            manual_seed(1);
            return (rand(60000, 784), randint(0, 10, [60000]), "random data of Fashion-MNIST's shape (--random-data)");
        }
        string? folder;
        try
        {
            folder = FashionMnistSource.Locate(dataOption);
        }
        catch (DirectoryNotFoundException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return null;
        }
        if (folder is null)
        {
            Console.Error.WriteLine($"error: {FashionMnistSource.HowToGetTheData} (or pass --random-data)");
            return null;
        }
        var (imagesPath, labelsPath) = FashionMnistSource.TrainingFiles(folder);
        var (images, labels) = IdxReader.ReadImagesAndLabels(imagesPath, labelsPath);
        using var pixels = images.ToTensor();
        using var targets = labels.ToTensor();
        return (pixels.reshape(images.Count, images.ItemLength).to(ScalarType.Float32).div_(255), targets.to(ScalarType.Int64), "Fashion-MNIST (" + folder + ")");
    }

    private static void Step(string title)
    {
        Console.WriteLine();
        Console.WriteLine("## " + title);
    }

    private static string Shape(Tensor t) => "[" + string.Join(", ", t.shape) + "]";

    private static string Format(Tensor t, int count) => "[" + string.Join(", ", t.data<long>().Take(count)) + "]";
}
