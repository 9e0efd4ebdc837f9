using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using GenNet.Data;
using GenNet.Hub;
using GenNet.Imaging;
using static GenNet.Hub.Datasets;
using static GenNet.Samples.Benchmarks.Statistics;
using static TorchSharp.torch;

namespace GenNet.Samples.Benchmarks;

/// <summary>
/// <c>bench hub</c>: Fashion-MNIST through <see cref="Datasets.LoadDataset(string, HubOptions?)"/>. All 70k images from
/// the IDX files into one float tensor; from a parquet copy (written here from the IDX files, PNG bytes as HF stores
/// them) with parallel PNG decode; and the lazy path (PNG decode + transform per batch on 2 loader workers) against
/// the PIL-decode PyTorch loader of <c>bench loader</c>'s reference script, in the same run.
/// </summary>
internal static class HubBench
{
    private const int BatchSize = 50;

    public static Command Create()
    {
        var rounds = new Option<int>("--rounds") { Description = "Measured rounds per figure (median), after one warm-up.", DefaultValueFactory = _ => 3 };
        var noPython = new Option<bool>("--no-pytorch") { Description = "Skip the PyTorch reference script." };
        var command = new Command("hub", "Hub datasets: IDX and parquet load times, lazy DataLoader throughput against PyTorch's PIL loader.");
        command.Options.Add(rounds);
        command.Options.Add(noPython);
        command.SetAction(parse => Run(Math.Max(1, parse.GetValue(rounds)), !parse.GetValue(noPython)));
        return command;
    }

    private static int Run(int rounds, bool runPyTorch)
    {
        set_num_threads(1);
        var idxFolder = new[] { "/usr/share/datasets/fashion-mnist", Path.Combine(AppContext.BaseDirectory, "Data", "fashion-mnist") }
            .FirstOrDefault(f => File.Exists(Path.Combine(f, "train-images-idx3-ubyte.gz")));
        if (idxFolder is null)
        {
            Console.Error.WriteLine("error: no Fashion-MNIST IDX files (install dataset-fashion-mnist or build GenNet.Samples with its data copy).");
            return 3;
        }
        Console.WriteLine($"data: Fashion-MNIST IDX files in {idxFolder}; {Environment.ProcessorCount} cores; median of {rounds} rounds after a warm-up");
        var pytorchBefore = runPyTorch ? LoaderBench.RunPyTorch(Path.Combine(idxFolder, "train-images-idx3-ubyte.gz"), epochs: 1, pngEpochs: 2) : null;

        // 1. IDX → one float tensor [70000, 784]: the first load decompresses the gzip files into the datasets cache
        // (a fresh one here), later loads read that copy, as HF datasets reuses its Arrow cache.
        var idxCache = Directory.CreateTempSubdirectory("gennet-bench-idx-").FullName;
        var idxOptions = new HubOptions { DatasetsCacheDir = idxCache };
        var coldClock = Stopwatch.StartNew();
        using (NewDisposeScope())
            LoadAll(LoadDataset(idxFolder, idxOptions));
        var idxCold = coldClock.Elapsed.TotalSeconds;
        var idxTimes = Measure(rounds, () =>
        {
            using var scope = NewDisposeScope();
            var all = LoadAll(LoadDataset(idxFolder, idxOptions));
            return all.shape[0];
        });
        Directory.Delete(idxCache, recursive: true);
        var idxCpu = LastCpu;

        // The main job's path: IDX rows, the lesson's transform per batch, no workers.
        var idxTrain = LoadDataset(idxFolder)["train"];
        var idxTds = idxTrain.WithTransform(Inplace(b => b["image"] = b["image"].Select(img => (object?)((Image8)img!).ToFloats()).ToList()));
        using var idxLoader = new DatasetLoader<HubRow, (Tensor, Tensor)>(idxTds, BatchSize, shuffle: true, collate: CollateDict(idxTds), seed: 0);
        var idxLazyTimes = Measure(rounds, () => Drain(idxLoader));
        var idxLazyCpu = LastCpu;

        // 2. The same data as HF stores it (PNG bytes in parquet), then parquet + parallel PNG decode → one float tensor.
        var parquetRoot = Directory.CreateTempSubdirectory("gennet-bench-hub-").FullName;
        try
        {
            var folder = Path.Combine(parquetRoot, "fashion_mnist");
            Directory.CreateDirectory(folder);
            var clock = Stopwatch.StartNew();
            var idx = LoadDataset(idxFolder);
            foreach (var (split, ds) in idx)
                ds.ToParquetAsync(Path.Combine(folder, $"{split}-00000-of-00001.parquet")).GetAwaiter().GetResult();
            var parquetBytes = Directory.GetFiles(folder).Sum(f => new FileInfo(f).Length);
            Console.WriteLine($"wrote the parquet copy ({parquetBytes / 1e6:F1} MB, PNG images) in {clock.Elapsed.TotalSeconds:F1} s");

            var parquetTimes = Measure(rounds, () =>
            {
                using var scope = NewDisposeScope();
                var all = LoadAll(LoadDataset(parquetRoot));
                return all.shape[0];
            });
            var parquetCpu = LastCpu;

            // 3. Lazy: PNG decode + the lesson's transform per batch, on 2 loader workers, one shuffled epoch of 60k.
            var train = LoadDataset(parquetRoot)["train"];
            var tds = train.WithTransform(Inplace(b => b["image"] = b["image"].Select(img => (object?)((Image8)img!).ToFloats()).ToList()));
            using var loader = new DatasetLoader<HubRow, (Tensor, Tensor)>(tds, BatchSize, shuffle: true, numWorkers: 2, collate: CollateDict(tds), seed: 0);
            var lazyTimes = Measure(rounds, () => Drain(loader));
            var lazyCpu = LastCpu;
            var lazyRate = train.Count / Median(lazyTimes);

            var pytorchAfter = runPyTorch ? LoaderBench.RunPyTorch(Path.Combine(idxFolder, "train-images-idx3-ubyte.gz"), epochs: 1, pngEpochs: 2) : null;
            var pytorch = new[] { pytorchBefore, pytorchAfter }.Where(p => p is not null && p.ContainsKey("png_2w")).Select(p => p!["png_2w"]).DefaultIfEmpty(double.NaN).Max();

            var idxS = Median(idxTimes);
            var parquetS = Median(parquetTimes);
            Console.WriteLine();
            Console.WriteLine($"{"figure",-30} {"median",10} {"wall s per round",-24} {"cpu s per round",-24} target");
            Console.WriteLine($"{"idx → float tensor (70k)",-30} {idxS,9:F3}s {Runs(idxTimes),-24} {Runs(idxCpu),-24} < 0.3 s: {(idxS < 0.3 ? "met" : "NOT met")}");
            Console.WriteLine($"{"idx, first load (gunzip + copy)",-30} {idxCold,9:F3}s");
            Console.WriteLine($"{"parquet + PNG decode (70k)",-30} {parquetS,9:F3}s {Runs(parquetTimes),-24} {Runs(parquetCpu),-24} < 2 s: {(parquetS < 2 ? "met" : "NOT met")}");
            Console.WriteLine($"{"lazy DataLoader, 2 workers",-30} {lazyRate,8:N0}/s {Runs(lazyTimes),-24} {Runs(lazyCpu),-24}");
            Console.WriteLine($"{"lazy IDX loader, 0 workers",-30} {idxTrain.Count / Median(idxLazyTimes),8:N0}/s {Runs(idxLazyTimes),-24} {Runs(idxLazyCpu),-24}");
            Console.WriteLine($"load average at the end: {LoadAverage()}");
            Console.WriteLine($"{"PyTorch PIL loader, 2 workers",-34} {(double.IsNaN(pytorch) ? "na" : pytorch.ToString("N0", CultureInfo.InvariantCulture) + "/s"),10}");
            if (!double.IsNaN(pytorch))
                Console.WriteLine($"lazy / PyTorch png_2w = {lazyRate / pytorch:F1}× (target ≥ 5×: {(lazyRate / pytorch >= 5 ? "met" : "NOT met")})");
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "hub: idx_load_s={0:F3} parquet_load_s={1:F3} lazy_loader={2:F0}/s pytorch_png_2w={3}",
                idxS, parquetS, lazyRate, double.IsNaN(pytorch) ? "na" : pytorch.ToString("F0", CultureInfo.InvariantCulture) + "/s"));
            return 0;
        }
        finally
        {
            Directory.Delete(parquetRoot, recursive: true);
        }
    }

    /// <summary>Every split's images, decoded in parallel, as one float tensor [N, 784] in [0, 1].</summary>
    private static Tensor LoadAll(DatasetDict dsd)
    {
        var parts = dsd.Values.Select(ds => ds.ToTensors(2)).ToList();
        var images = cat(parts.Select(p => p["image"]).ToArray());
        var result = images.reshape(images.shape[0], -1).to_type(ScalarType.Float32).div_(255f);
        foreach (var p in parts)
        {
            foreach (var t in p.Values)
                t.Dispose();
        }
        return result;
    }

    /// <summary>Wall seconds per round; the process's CPU seconds per round go to <see cref="LastCpu"/> (on a shared
    /// machine the wall time includes waiting for a core, the CPU time does not).</summary>
    private static List<double> Measure(int rounds, Func<long> run)
    {
        run();
        var times = new List<double>();
        LastCpu = new List<double>();
        var process = Process.GetCurrentProcess();
        for (var r = 0; r < rounds; r++)
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            run();
            times.Add(clock.Elapsed.TotalSeconds);
            process.Refresh();
            LastCpu.Add((process.TotalProcessorTime - cpu).TotalSeconds);
        }
        return times;
    }

    private static List<double> LastCpu { get; set; } = new();

    private static long Drain(DataLoader<(Tensor, Tensor)> loader)
    {
        long n = 0;
        foreach (var (xb, yb) in loader)
        {
            n += xb.shape[0];
            xb.Dispose();
            yb.Dispose();
        }
        return n;
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "na";
        }
    }

    private static string Runs(List<double> times) => string.Join(" ", times.Select(t => t.ToString("F3", CultureInfo.InvariantCulture)));
}
