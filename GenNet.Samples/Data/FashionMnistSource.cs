using System;
using System.Collections.Generic;
using System.IO;
using GenNet.Data.Idx;
using static TorchSharp.torch;

namespace GenNet.Samples.Data;

/// <summary>Fashion-MNIST as in-memory tensors: images flattened to 784 floats in [0, 1], labels as int64 class indices.</summary>
/// <param name="TrainX">60,000 × 784 training images.</param>
/// <param name="TrainY">60,000 training labels.</param>
/// <param name="ValidX">10,000 × 784 test images, used for validation as in the lesson.</param>
/// <param name="ValidY">10,000 test labels.</param>
/// <param name="Folder">Where the files were read from.</param>
internal sealed record FashionMnist(Tensor TrainX, Tensor TrainY, Tensor ValidX, Tensor ValidY, string Folder);

/// <summary>
/// Finds and reads Fashion-MNIST's four IDX gzip files. Sources, in order: the <c>--data</c> folder; Debian's
/// <c>dataset-fashion-mnist</c> package; the copy kept in this repository (GenNet.Samples/Data/fashion-mnist, copied
/// next to the program at build time).
/// Kept behind this small seam so a Hugging Face-style loader (a later issue) can become another source.
/// </summary>
internal static class FashionMnistSource
{
    public const string DebianFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>Overrides where Debian's package is looked for (tests point it at a missing folder to see the fallback).</summary>
    public const string DebianFolderVariable = "GENNET_FASHION_MNIST_DEBIAN";
    private const string EmbeddedRelative = "Data/fashion-mnist";
    private static readonly string[] Files =
    {
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
    };

    public static string HowToGetTheData =>
        "Fashion-MNIST was not found. Pass --data <folder> with its four IDX .gz files (" + string.Join(", ", Files) + "), " +
        $"or install Debian's package (apt-get install -y dataset-fashion-mnist → {DebianFolder}), " +
        $"or restore the repository copy in GenNet.Samples/{EmbeddedRelative} (git checkout -- GenNet.Samples/{EmbeddedRelative}).";

    /// <summary>The folder to read from, or <c>null</c> when no source has all four files.</summary>
    /// <exception cref="DirectoryNotFoundException">An explicit <paramref name="dataOption"/> lacks the files.</exception>
    public static string? Locate(string? dataOption)
    {
        if (!string.IsNullOrWhiteSpace(dataOption))
        {
            var folder = Path.GetFullPath(dataOption);
            if (!HasAllFiles(folder))
                throw new DirectoryNotFoundException($"--data '{folder}' does not contain the four Fashion-MNIST files ({string.Join(", ", Files)}).");
            return folder;
        }
        foreach (var candidate in Candidates())
            if (HasAllFiles(candidate))
                return candidate;
        return null;
    }

    private static IEnumerable<string> Candidates()
    {
        yield return Environment.GetEnvironmentVariable(DebianFolderVariable) is { Length: > 0 } debian ? debian : DebianFolder;
        yield return Path.Combine(AppContext.BaseDirectory, EmbeddedRelative);
        // Run from a source tree without the copy in the output folder: walk up to the repository.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            yield return Path.Combine(dir.FullName, "GenNet.Samples", EmbeddedRelative);
    }

    private static bool HasAllFiles(string folder) => Array.TrueForAll(Files, f => File.Exists(Path.Combine(folder, f)));

    /// <summary>The training images and labels files of a located folder (the benchmarks read only those).</summary>
    public static (string Images, string Labels) TrainingFiles(string folder) =>
        (Path.Combine(folder, Files[0]), Path.Combine(folder, Files[1]));

    /// <summary>Reads the four files; tensors are created outside any dispose scope the caller may hold.</summary>
    /// <exception cref="InvalidDataException">A file's header, length or content is wrong; the message names the file.</exception>
    public static FashionMnist Load(string folder)
    {
        var (trainX, trainY) = Read(Path.Combine(folder, Files[0]), Path.Combine(folder, Files[1]));
        var (validX, validY) = Read(Path.Combine(folder, Files[2]), Path.Combine(folder, Files[3]));
        return new FashionMnist(trainX, trainY, validX, validY, folder);
    }

    /// <summary>
    /// IdxReader validates the format (magic, dimensions, lengths, matching counts) before allocating; what is
    /// checked here is what makes the files Fashion-MNIST: 28×28 images and labels 0–9.
    /// </summary>
    private static (Tensor Images, Tensor Labels) Read(string imagesPath, string labelsPath)
    {
        var (images, labels) = IdxReader.ReadImagesAndLabels(imagesPath, labelsPath);
        if (images.Dimensions[1] != 28 || images.Dimensions[2] != 28)
            throw new InvalidDataException($"'{imagesPath}' holds {string.Join("×", images.Dimensions)} images; Fashion-MNIST's are N×28×28.");
        var bad = Array.FindIndex(labels.Data, b => b > 9);
        if (bad >= 0)
            throw new InvalidDataException($"'{labelsPath}': label {bad} is {labels.Data[bad]}, outside 0–9.");

        using var scope = NewDisposeScope();
        var x = images.ToTensor().reshape(images.Count, 28 * 28).to(ScalarType.Float32).div_(255f);
        var y = labels.ToTensor().to(ScalarType.Int64);
        return (x.DetachFromDisposeScope(), y.DetachFromDisposeScope());
    }
}
