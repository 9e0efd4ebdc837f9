using System;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using GenNet.Native;
using GenNet.Optim;
using GenNet.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GenNet.Samples;

/// <summary>
/// The program a new user runs first: <c>dotnet run --project GenNet.Samples -c Release</c> trains the lesson's MLP
/// (784-50-ReLU-10, SGD) on Fashion-MNIST, prints one line per epoch and, last, a <c>final:</c> summary line.
/// </summary>
internal static partial class MainJob
{
    public static RootCommand CreateCommand()
    {
        var epochs = new Option<int>("--epochs") { Description = "Number of epochs.", DefaultValueFactory = _ => 5 };
        var lr = new Option<double>("--lr") { Description = "SGD learning rate.", DefaultValueFactory = _ => 0.1 };
        var batchSize = new Option<int>("--batch-size") { Description = "Training batch size (validation uses twice as much).", DefaultValueFactory = _ => 50 };
        var device = new Option<string>("--device") { Description = "auto (CUDA when available), cpu, cuda or cuda:N.", DefaultValueFactory = _ => "auto" };
        var seed = new Option<int>("--seed") { Description = "Random seed (weights and shuffling).", DefaultValueFactory = _ => 42 };
        var data = new Option<string?>("--data") { Description = "A local dataset folder: parquet files, or the four Fashion-MNIST IDX .gz files (default: --dataset's sources, then the repository copy)." };
        var dataset = new Option<string>("--dataset") { Description = "Hub dataset id, loaded with LoadDataset (local cache, Debian package, then the Hub).", DefaultValueFactory = _ => "fashion_mnist" };
        var output = new Option<string?>("--output") { Description = OutputDescription, DefaultValueFactory = _ => DefaultOutputFolder };
        var root = new RootCommand("GenNet samples: the main job (default), benchmarks (bench) and the lesson walk-through (lesson).");
        foreach (var option in new Option[] { epochs, lr, batchSize, device, seed, data, dataset, output })
            root.Options.Add(option);
        root.Options.Add(ResumeOption);
        root.SetAction(result => Run(ReadCheckpointOptions(result, new Settings(result.GetValue(epochs), result.GetValue(lr), result.GetValue(batchSize),
            result.GetValue(device)!, result.GetValue(seed), result.GetValue(data), result.GetValue(output), result.GetValue(dataset)!))));
        return root;
    }

    private sealed partial record Settings(int Epochs, double Lr, int BatchSize, string Device, int Seed, string? Data, string? Output, string Dataset);

    private static int Run(Settings settings)
    {
        TorchNative.EnsureLoaded();
        if (settings.Epochs < 1 || settings.BatchSize < 1 || !(settings.Lr > 0))
        {
            Console.Error.WriteLine($"error: --epochs and --batch-size must be at least 1 and --lr positive (got {settings.Epochs}, {settings.BatchSize}, {settings.Lr}).");
            return 2;
        }
        if (PrepareCheckpoints(ref settings) is { } invalid)
            return invalid;
        Device device;
        try
        {
            device = Devices.Parse(settings.Device);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        if (LoadHubData(settings.Dataset, settings.Data, settings.BatchSize, settings.Seed, out var exitCode) is not { } hub)
            return exitCode;
        Console.WriteLine($"data: {hub.Description}");
        if (settings.Output is not null)
            WriteSamples(settings.Output, hub.SampleImages, hub.SampleTitles);

        torch.manual_seed(settings.Seed);
        // The MLP is too small for intra-op threads: idle OpenMP threads spinning between steps take the cores that the
        // per-batch data work (decode + transform + collate) needs, 3-5x slower epochs on a loaded 2-core machine.
        torch.set_num_threads(1);
        var model = new Mlp();
        var (trainDl, validDl) = hub.Loaders;
        using var metrics = new MetricsCallback(new AccuracyMetric());
        var callbacks = new Callback[] { metrics, new ProgressCallback() }.ToList();
        JsonLinesLogger? log = null;
        if (settings.Output is not null)
        {
            log = new JsonLinesLogger(Path.Combine(settings.Output, "metrics.jsonl"));
            callbacks.Add(log);
        }
        // The learner moves the model to the device first and then builds the optimizer from the moved parameters.
        var learner = new Learner(model, trainDl, validDl, (preds, y) => nn.functional.cross_entropy(preds, y), ps => new Sgd(ps, settings.Lr), callbacks, device);
        Console.WriteLine(model); // the [Module]-generated, PyTorch-format repr
        Console.WriteLine($"model on {device}, SGD lr={settings.Lr.ToString(CultureInfo.InvariantCulture)}, batch {settings.BatchSize}, {settings.Epochs} epochs");

        if (!TryStartCheckpoints(settings, learner, trainDl, out var checkpoints))
            return 2;
        var clock = Stopwatch.StartNew();
        try
        {
            learner.Fit(settings.Epochs, startEpoch: checkpoints.StartEpoch);
        }
        finally
        {
            log?.Dispose(); // also when Fit throws: the lines written so far are flushed and the file is closed
        }
        clock.Stop();

        if (FinishCheckpoints(checkpoints, settings, learner) is { } interrupted)
            return interrupted;
        if (settings.Output is not null)
            FinishOutputs(settings.Output, learner.History);
        var last = learner.History[^1];
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "final: epochs={0} valid_loss={1:F4} valid_accuracy={2:F4} seconds={3:F1}",
            learner.History.Count, last.ValidLoss, last.ValidAccuracy, clock.Elapsed.TotalSeconds));
        return 0;
    }
}
