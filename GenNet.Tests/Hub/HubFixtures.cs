using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using GenNet.Hub;
using GenNet.Imaging;

namespace GenNet.Tests.Hub;

/// <summary>Small Hub-format datasets written by the tests: parquet shards as HF writes them and a card.</summary>
internal static class HubFixtures
{
    public static readonly string[] ColourNames = { "red", "green", "blue" };

    /// <summary>An image whose pixels encode (split, row) so rows can be told apart after a round trip.</summary>
    public static Image8 Pattern(int row, int channels, int size = 8)
    {
        var pixels = new byte[size * size * channels];
        for (var i = 0; i < pixels.Length; i++)
            pixels[i] = (byte)((row * 31 + i * 7) % 256);
        return new Image8(pixels, size, size, channels);
    }

    public static Features ImageFeatures(string imageColumn = "img") => new(new KeyValuePair<string, FeatureType>[]
    {
        new(imageColumn, new ImageFeature()),
        new("label", new ClassLabel(ColourNames)),
    });

    /// <summary>A split of <paramref name="rows"/> PNG images (row r has label r % 3) starting at <paramref name="first"/>.</summary>
    public static HubDataset Split(int first, int rows, int channels, string imageColumn = "img", string split = "train") =>
        HubDataset.FromDict(new Dictionary<string, IReadOnlyList<object?>>
        {
            [imageColumn] = Enumerable.Range(first, rows).Select(r => (object?)Png.Encode(Pattern(r, channels).Pixels, 8, 8, channels)).ToList(),
            ["label"] = Enumerable.Range(first, rows).Select(r => (object?)(r % 3)).ToList(),
        }, ImageFeatures(imageColumn), split);

    public const string Card = """
        ---
        license: mit
        dataset_info:
          config_name: colours
          features:
          - name: img
            dtype: image
          - name: label
            dtype:
              class_label:
                names:
                  '0': red
                  '1': green
                  '2': blue
          splits:
          - name: train
            num_bytes: 1234
            num_examples: 12
          - name: test
            num_bytes: 345
            num_examples: 4
          download_size: 999
          dataset_size: 1579
        configs:
        - config_name: colours
          data_files:
          - split: train
            path: colours/train-*
          - split: test
            path: colours/test-*
          default: true
        ---

        # A tiny test dataset
        """;

    /// <summary>
    /// A repository tree: README.md card, three RGB train shards (4 rows each) and one grayscale... test shard of 4 RGB
    /// rows, under <c>colours/</c>. Returns the repository paths.
    /// </summary>
    public static async Task<IReadOnlyList<string>> WriteRepoAsync(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "colours"));
        await File.WriteAllTextAsync(Path.Combine(root, "README.md"), Card);
        var paths = new List<string> { "README.md" };
        for (var shard = 0; shard < 3; shard++)
        {
            var path = $"colours/train-{shard:D5}-of-00003.parquet";
            await Split(shard * 4, 4, 3).ToParquetAsync(Path.Combine(root, path));
            paths.Add(path);
        }
        await Split(100, 4, 3, split: "test").ToParquetAsync(Path.Combine(root, "colours/test-00000-of-00001.parquet"));
        paths.Add("colours/test-00000-of-00001.parquet");
        return paths;
    }
}
