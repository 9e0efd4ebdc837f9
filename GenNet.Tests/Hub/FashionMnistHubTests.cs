using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using GenNet.Hub;
using GenNet.Imaging;
using GenNet.Tests.Support;
using Xunit;
using static GenNet.Hub.Datasets;

namespace GenNet.Tests.Hub;

/// <summary>
/// The real Fashion-MNIST (Debian's dataset-fashion-mnist, installed by .ci/run): the lesson's cells, counts, class
/// names, pixel sums computed independently by numpy from the same files, and identical rows from the IDX source and
/// from a parquet copy written the way HF writes it.
/// </summary>
public sealed class FashionMnistHubTests : IDisposable
{
    private const string Debian = "/usr/share/datasets/fashion-mnist";
    private readonly string _root = Directory.CreateTempSubdirectory("gennet-fmnist-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private HubOptions Offline => new() { Offline = true, CacheDir = Path.Combine(_root, "empty-cache"), DatasetsCacheDir = Path.Combine(_root, "datasets-cache") };

    [Fact]
    public void TheLessonsCellsGiveTheLessonsAnswers()
    {
        var builder = LoadDatasetBuilder("fashion_mnist", Offline);
        Assert.Equal(DatasetSourceKind.SystemPackage, builder.SourceKind);
        var (x, y) = builder.Info.Features;
        Assert.Equal(("image", "label"), (x, y));
        Assert.Equal(new long[] { 60000, 10000 }, builder.Info.Splits.Select(s => s.NumExamples));

        var dsd = builder.Load();
        Assert.Equal(
            "DatasetDict({\n    train: Dataset({\n        features: ['image', 'label'],\n        num_rows: 60000\n    })\n" +
            "    test: Dataset({\n        features: ['image', 'label'],\n        num_rows: 10000\n    })\n})", dsd.ToString());
        var train = dsd["train"];
        Assert.Equal("{'image': <Image mode=L size=28x28>, 'label': 9}", train[0].ToString());
        var yb = train[..5][y];
        Assert.Equal(new object?[] { 9L, 0L, 0L, 3L, 0L }, yb);
        var names = (ClassLabel)train.Features[y];
        Assert.Equal(new[] { "Ankle boot", "T - shirt / top", "T - shirt / top", "Dress", "T - shirt / top" }, names.Int2Str(yb.Cast<long>()));
        Assert.Equal(10, names.NumClasses);
        Assert.Contains("Invalid key: 'valid'", Assert.Throws<System.Collections.Generic.KeyNotFoundException>(() => dsd["valid"]).Message);
    }

    [Fact]
    public async Task IdxAndParquetGiveIdenticalRowsAndNumpysPixelSums()
    {
        var idx = LoadDataset("fashion_mnist", Offline);
        // The second load reads the decompressed copies the first one left in the datasets cache, with the same rows.
        Assert.Equal(4, Directory.GetFiles(Path.Combine(_root, "datasets-cache", "gennet-idx")).Length);
        var again = LoadDataset("fashion_mnist", Offline);
        Assert.True(idx["train"].ToTensors()["image"].equal(again["train"].ToTensors()["image"]).all().item<bool>());

        // numpy's answer from the same IDX files: the first image's pixel sum, the whole split's, and label counts.
        const string script =
            "import gzip, json, sys, numpy as np\n" +
            "d = sys.argv[1]\n" +
            "x = np.frombuffer(gzip.open(d + '/t10k-images-idx3-ubyte.gz').read(), np.uint8, offset=16).reshape(-1, 784)\n" +
            "y = np.frombuffer(gzip.open(d + '/t10k-labels-idx1-ubyte.gz').read(), np.uint8, offset=8)\n" +
            "print(json.dumps({'first': int(x[0].sum()), 'total': int(x.astype(np.int64).sum()), 'counts': np.bincount(y).tolist()}))\n";
        var run = ProcessRunner.Run("/usr/bin/python3", new[] { "-c", script, Debian }, _root, TimeSpan.FromMinutes(2));
        Assert.True(run.ExitCode == 0, run.Output);
        var numpy = JsonNode.Parse(run.StandardOutput)!;

        // A parquet copy, as HF lays it out: features in the huggingface metadata, images as PNG bytes, two shards.
        var folder = Path.Combine(_root, "parquet", "fashion_mnist");
        Directory.CreateDirectory(folder);
        var test = idx["test"];
        await test.ToParquetAsync(Path.Combine(folder, "test-00000-of-00001.parquet"), rowsPerGroup: 4000);
        var parquet = LoadDataset(Path.Combine(_root, "parquet"), Offline);
        Assert.Equal(new[] { "test" }, parquet.Keys);
        Assert.Equal(test.Features.ToString(), parquet["test"].Features.ToString());

        var fromIdx = test.ToTensors();
        var fromParquet = parquet["test"].ToTensors();
        Assert.Equal(new long[] { 10000, 1, 28, 28 }, fromParquet["image"].shape);
        Assert.True(fromIdx["image"].equal(fromParquet["image"]).all().item<bool>());
        Assert.True(fromIdx["label"].equal(fromParquet["label"]).all().item<bool>());
        Assert.Equal((long)numpy["first"]!, parquet["test"][0].Get<Image8>("image").Pixels.Sum(p => (long)p));
        Assert.Equal((long)numpy["total"]!, fromParquet["image"].to_type(TorchSharp.torch.ScalarType.Int64).sum().item<long>());
        Assert.Equal(((JsonArray)numpy["counts"]!).Select(c => (long)c!), fromParquet["label"].bincount(null, 0).data<long>().ToArray());
        foreach (var i in new[] { 0, 1, 4999, 9999 })
        {
            Assert.Equal(test[i]["label"], parquet["test"][i]["label"]);
            Assert.Equal(test[i].Get<Image8>("image").Pixels, parquet["test"][i].Get<Image8>("image").Pixels);
        }
    }
}
