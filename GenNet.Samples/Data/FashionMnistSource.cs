using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
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
/// MERGE SEAM: the IDX reading here is a minimal stand-in; use the data pipeline's IDX reader (GenNet.Runtime/Data/Idx,
/// issue 5) once merged, and the Hub loader (a later issue) as another source.
/// </summary>
internal static class FashionMnistSource
{
    public const string DebianFolder = "/usr/share/datasets/fashion-mnist";
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
        yield return DebianFolder;
        yield return Path.Combine(AppContext.BaseDirectory, EmbeddedRelative);
        // Run from a source tree without the copy in the output folder: walk up to the repository.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            yield return Path.Combine(dir.FullName, "GenNet.Samples", EmbeddedRelative);
    }

    private static bool HasAllFiles(string folder) => Array.TrueForAll(Files, f => File.Exists(Path.Combine(folder, f)));

    /// <summary>Reads the four files; tensors are created outside any dispose scope the caller may hold.</summary>
    /// <exception cref="InvalidDataException">A file's header or length is wrong; the message names the file.</exception>
    public static FashionMnist Load(string folder)
    {
        var trainX = ReadImages(Path.Combine(folder, Files[0]));
        var trainY = ReadLabels(Path.Combine(folder, Files[1]), trainX.shape[0]);
        var validX = ReadImages(Path.Combine(folder, Files[2]));
        var validY = ReadLabels(Path.Combine(folder, Files[3]), validX.shape[0]);
        return new FashionMnist(trainX, trainY, validX, validY, folder);
    }

    private static Tensor ReadImages(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        var header = ReadExactly(gzip, 16, path, "header");
        var magic = BinaryPrimitives.ReadInt32BigEndian(header);
        var count = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
        var rows = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(8));
        var cols = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(12));
        if (magic != 0x0803)
            throw new InvalidDataException($"'{path}' is not an IDX image file (magic 0x{magic:X8}, expected 0x00000803).");
        // Validated before allocating: a corrupt header must not ask for gigabytes.
        if (count is <= 0 or > 1_000_000 || rows != 28 || cols != 28)
            throw new InvalidDataException($"'{path}' has unexpected dimensions {count}×{rows}×{cols} (expected N×28×28, N ≤ 1,000,000).");
        var pixels = ReadExactly(gzip, count * rows * cols, path, "pixels");
        using var bytes = tensor(pixels, new long[] { count, rows * cols });
        return bytes.to(ScalarType.Float32).div_(255f).DetachFromDisposeScope();
    }

    private static Tensor ReadLabels(string path, long expectedCount)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        var header = ReadExactly(gzip, 8, path, "header");
        var magic = BinaryPrimitives.ReadInt32BigEndian(header);
        var count = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
        if (magic != 0x0801)
            throw new InvalidDataException($"'{path}' is not an IDX label file (magic 0x{magic:X8}, expected 0x00000801).");
        if (count != expectedCount)
            throw new InvalidDataException($"'{path}' has {count} labels but its image file has {expectedCount} images.");
        var labels = ReadExactly(gzip, count, path, "labels");
        var bad = Array.FindIndex(labels, b => b > 9);
        if (bad >= 0)
            throw new InvalidDataException($"'{path}': label {bad} is {labels[bad]}, outside 0–9.");
        using var bytes = tensor(labels, new long[] { count });
        return bytes.to(ScalarType.Int64).DetachFromDisposeScope();
    }

    private static byte[] ReadExactly(Stream stream, int length, string path, string what)
    {
        var buffer = new byte[length];
        var read = stream.ReadAtLeast(buffer, length, throwOnEndOfStream: false);
        if (read != length)
            throw new InvalidDataException($"'{path}' is truncated: its {what} needs {length} bytes, the file has {read}.");
        return buffer;
    }
}
