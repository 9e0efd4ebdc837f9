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

    /// <summary>Reads the splits; features from <paramref name="card"/> when it names an image and a class-label column.</summary>
    public static (Features Features, Dictionary<string, StoredTable> Splits) Read(string folder, DatasetInfo? card)
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
        System.Threading.Tasks.Parallel.For(0, pairs.Count, i => read[i] = IdxReader.ReadImagesAndLabels(pairs[i].Images, pairs[i].Labels));
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
