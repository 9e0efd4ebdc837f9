using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GenNet.Data;
using GenNet.Hub;
using GenNet.Imaging;
using static GenNet.Hub.Datasets;
using static TorchSharp.torch;

namespace GenNet.Samples;

/// <summary>The main job's data, the lesson's way: <c>load_dataset_builder</c>, <c>load_dataset</c>, <c>with_transform</c>, <c>DataLoaders.from_dd</c>.</summary>
internal static partial class MainJob
{
    private const string RepositoryCopy = "Data/fashion-mnist";
    private const int InputSize = 28 * 28;
    private const int OutputSize = 10;

    /// <summary>The loaders, a one-line description, and the first 16 training images with their class names (for
    /// <c>samples.png</c>).</summary>
    private sealed record HubData(DataLoaders<(Tensor, Tensor)> Loaders, string Description,
        IReadOnlyList<Image8> SampleImages, IReadOnlyList<string> SampleTitles);

    private static HubData? LoadHubData(string dataset, string? dataFolder, int batchSize, int seed, out int exitCode)
    {
        exitCode = 0;
        DatasetBuilder builder;
        try
        {
            if (!string.IsNullOrWhiteSpace(dataFolder))
            {
                var folder = Path.GetFullPath(dataFolder);
                if (!Directory.Exists(folder))
                {
                    Console.Error.WriteLine($"error: --data '{folder}' does not exist (give a folder with the dataset's parquet files, or the four Fashion-MNIST IDX files).");
                    exitCode = 2;
                    return null;
                }
                builder = LoadDatasetBuilder(folder);
            }
            else
            {
                builder = LoadBuilderOrRepositoryCopy(dataset);
            }
        }
        catch (DatasetNotFoundException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            exitCode = 3;
            return null;
        }

        // The lesson prints the builder's info before loading anything.
        Console.WriteLine($"builder: {builder.Name} ({builder.SourceKind}: {builder.Source})");
        Console.WriteLine($"info.features: {builder.Info.Features}");
        Console.WriteLine($"info.splits: {builder.Info.SplitsRepr}");

        DatasetDict dsd;
        try
        {
            dsd = builder.Load();
        }
        catch (InvalidDataException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            exitCode = 3;
            return null;
        }
        if (dsd.Count < 2)
        {
            Console.Error.WriteLine($"error: {builder.Name} has {dsd.Count} split(s) ({string.Join(", ", dsd.Keys)}); training needs a training and a validation split.");
            exitCode = 3;
            return null;
        }
        var (x, y) = dsd.First().Value.Features;
        if (dsd.First().Value.Features[x] is not ImageFeature || dsd.First().Value.Features[y] is not ClassLabel labels)
        {
            Console.Error.WriteLine($"error: {builder.Name} has features {dsd.First().Value.Features}; the MLP needs (image, class label).");
            exitCode = 3;
            return null;
        }
        var sample = dsd.First().Value[0].Get<Image8>(x);
        if (sample.Width * sample.Height * sample.Channels != InputSize || labels.NumClasses > OutputSize)
        {
            Console.Error.WriteLine($"error: {builder.Name}'s images are {sample.Width}x{sample.Height}x{sample.Channels} with {labels.NumClasses} classes; the MLP takes {InputSize} pixels and at most {OutputSize} classes.");
            exitCode = 3;
            return null;
        }

        // The lesson's transformi: image → flat 784 floats in [0, 1], applied per batch on the loader's workers.
        var transformi = Inplace(b => b[x] = b[x].Select(img => (object?)((Image8)img!).ToFloats()).ToList());
        var tdsd = dsd.WithTransform(transformi);
        var loaders = DataLoaders.FromDatasetDict(tdsd, batchSize, numWorkers: 0, seed: seed);
        var splits = dsd.ToList();
        var description = $"{builder.Name} from {builder.Source} (train {splits[0].Value.Count}, valid {splits[1].Value.Count})";
        // The lesson's show_images(xb[:16], titles=featy.int2str(yb[:16])): the first rows of the training split.
        var firstRows = Enumerable.Range(0, Math.Min(16, splits[0].Value.Count)).Select(i => splits[0].Value[i]).ToList();
        var images = firstRows.Select(row => row.Get<Image8>(x)).ToList();
        var titles = labels.Int2Str(firstRows.Select(row => Convert.ToInt64(row[y], System.Globalization.CultureInfo.InvariantCulture)));
        return new HubData(loaders, description, images, titles);
    }

    /// <summary>
    /// <c>load_dataset_builder(dataset)</c>, falling back to the repository's copy of Fashion-MNIST when that is the
    /// dataset asked for and no other source has it.
    /// </summary>
    /// <exception cref="DatasetNotFoundException">No source has the dataset.</exception>
    internal static DatasetBuilder LoadBuilderOrRepositoryCopy(string dataset)
    {
        try
        {
            return LoadDatasetBuilder(dataset);
        }
        catch (DatasetNotFoundException e) when (SystemFashionMnist(dataset) && LocateRepositoryCopy() is { } copy)
        {
            Console.WriteLine($"hub: {dataset} not found ({e.Tried.Count} sources tried); using the repository copy {copy}");
            return LoadDatasetBuilder(copy);
        }
    }

    // The repository copy is Fashion-MNIST, so it stands in only for that dataset.
    private static bool SystemFashionMnist(string dataset) => dataset is "fashion_mnist" or "zalando-datasets/fashion_mnist";

    private static string? LocateRepositoryCopy()
    {
        var candidates = new List<string> { Path.Combine(AppContext.BaseDirectory, RepositoryCopy) };
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            candidates.Add(Path.Combine(dir.FullName, "GenNet.Samples", RepositoryCopy));
        return candidates.FirstOrDefault(c => Directory.Exists(c) && File.Exists(Path.Combine(c, "train-images-idx3-ubyte.gz")));
    }
}
