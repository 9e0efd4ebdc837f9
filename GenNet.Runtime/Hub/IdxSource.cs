using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GenNet.Data.Idx;
using GenNet.Imaging;

namespace GenNet.Hub;

/// <summary>
/// The MNIST family's IDX files as a dataset: <c>{train,t10k,test}-images-idx3-ubyte[.gz]</c> with the matching
/// <c>-labels-idx1-ubyte[.gz]</c>, one split per pair (<c>t10k</c> is the <c>test</c> split). IDX files carry no class
/// names: they come from a dataset card (<c>README.md</c> with <c>dataset_info</c>) in the folder, else labels are named
/// "0", "1", … as HF's <c>ClassLabel(num_classes=…)</c>.
/// </summary>
internal static class IdxSource
{
    private static readonly (string Prefix, string Split)[] Prefixes = { ("train", "train"), ("t10k", "test"), ("test", "test") };

    /// <summary>The (split, images file, labels file) triples found in <paramref name="folder"/>.</summary>
    public static IReadOnlyList<(string Split, string Images, string Labels)> Find(string folder)
    {
        var found = new List<(string, string, string)>();
        foreach (var (prefix, split) in Prefixes)
        {
            if (found.Any(f => f.Item1 == split))
                continue;
            var images = Existing(folder, $"{prefix}-images-idx3-ubyte");
            var labels = Existing(folder, $"{prefix}-labels-idx1-ubyte");
            if (images is not null && labels is not null)
                found.Add((split, images, labels));
        }
        return found;
    }

    private static string? Existing(string folder, string name) =>
        new[] { name + ".gz", name }.Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists);

    private static (IdxFile Images, IdxFile Labels) ReadPair(string imagesPath, string labelsPath, string? cacheFolder)
    {
        var images = ReadCached(imagesPath, cacheFolder);
        var labels = ReadCached(labelsPath, cacheFolder);
        if (images.Count != labels.Count)
            throw new InvalidDataException($"{imagesPath} holds {images.Count} images but {labelsPath} holds {labels.Count} labels.");
        if (images.Dimensions.Length != 3 || labels.Dimensions.Length != 1)
            throw new InvalidDataException($"{imagesPath}/{labelsPath}: expected 3-D images and 1-D labels.");
        return (images, labels);
    }

    /// <summary>
    /// Reads an IDX file; a gzip one through a decompressed copy in <paramref name="cacheFolder"/> (keyed by path, size and
    /// time), made on first use: gzip decoding is most of the load time and cannot be split across cores.
    /// </summary>
    private static IdxFile ReadCached(string path, string? cacheFolder)
    {
        if (cacheFolder is null || !path.EndsWith(".gz", StringComparison.Ordinal))
            return IdxReader.Read(path);
        var info = new FileInfo(path);
        var key = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes($"{info.FullName}|{info.Length}|{info.LastWriteTimeUtc.Ticks}")))[..16];
        var cached = Path.Combine(cacheFolder, "gennet-idx", $"{Path.GetFileNameWithoutExtension(path)}-{key}");
        if (File.Exists(cached))
        {
            try
            {
                var file = IdxReader.Read(cached);
                return new IdxFile(path, file.ElementType, file.Dimensions, file.Data);
            }
            catch (InvalidDataException)
            {
                // A damaged copy is rebuilt from the original below.
            }
        }
        var read = IdxReader.Read(path);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(cached)!);
            var temp = cached + "." + Guid.NewGuid().ToString("N") + ".tmp";
            using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                Span<byte> header = stackalloc byte[4 + 4 * read.Dimensions.Length];
                header[2] = (byte)read.ElementType;
                header[3] = (byte)read.Dimensions.Length;
                for (var d = 0; d < read.Dimensions.Length; d++)
                    System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.Slice(4 + 4 * d), read.Dimensions[d]);
                output.Write(header);
                output.Write(read.Data);
            }
            File.Move(temp, cached, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No writable cache: every load decompresses, which is only slower.
        }
        return read;
    }

    /// <summary>Reads the splits; features from <paramref name="card"/> when it names an image and a class-label column.</summary>
    public static (Features Features, Dictionary<string, StoredTable> Splits) Read(string folder, DatasetInfo? card, string? cacheFolder = null)
    {
        var pairs = Find(folder);
        var tables = new Dictionary<string, StoredTable>(StringComparer.Ordinal);
        var maxLabel = -1;
        string imageName = "image", labelName = "label";
        if (card is not null)
        {
            imageName = card.Features.FirstOrDefault(f => f.Value is ImageFeature).Key ?? imageName;
            labelName = card.Features.FirstOrDefault(f => f.Value is ClassLabel).Key ?? labelName;
        }
        var read = new (IdxFile Images, IdxFile Labels)[pairs.Count];
        System.Threading.Tasks.Parallel.For(0, pairs.Count, i => read[i] = ReadPair(pairs[i].Images, pairs[i].Labels, cacheFolder));
        for (var p = 0; p < pairs.Count; p++)
        {
            var (split, imagesPath, labelsPath) = pairs[p];
            var (images, labels) = read[p];
            if (images.ElementType != IdxElementType.UInt8 || labels.ElementType != IdxElementType.UInt8)
                throw new InvalidDataException($"'{imagesPath}'/'{labelsPath}': GenNet reads 8-bit IDX images and labels, found {images.ElementType}/{labels.ElementType}.");
            int height = images.Dimensions[1], width = images.Dimensions[2];
            var plane = height * width;
            var imageColumn = new object?[images.Count];
            var labelColumn = new object?[images.Count];
            var boxed = new object[256];
            for (var i = 0; i < boxed.Length; i++)
                boxed[i] = (long)i;
            for (var i = 0; i < images.Count; i++)
            {
                imageColumn[i] = new EncodedImage(null, null) { Block = (images.Data, i * plane, height, width) };
                labelColumn[i] = boxed[labels.Data[i]];
                maxLabel = Math.Max(maxLabel, labels.Data[i]);
            }
            tables[split] = new StoredTable(imagesPath, new[] { imageName, labelName }, new[] { imageColumn, labelColumn }, images.Count, null)
            {
                RawImageBlock = (0, images.Data, height, width),
            };
        }
        var label = card?.Features.Values.OfType<ClassLabel>().FirstOrDefault() ?? new ClassLabel(maxLabel + 1);
        var image = card?.Features.Values.OfType<ImageFeature>().FirstOrDefault() ?? new ImageFeature();
        return (new Features(new KeyValuePair<string, FeatureType>[] { new(imageName, image), new(labelName, label) }), tables);
    }
}
