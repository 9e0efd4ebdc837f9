using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using GenNet.Data;
using GenNet.Hub;
using GenNet.Imaging;
using Xunit;
using static GenNet.Hub.Datasets;
using static TorchSharp.torch;

namespace GenNet.Tests.Hub;

/// <summary>The lesson's datasets API on parquet folders written by the tests (several shards, RGB PNGs, a card).</summary>
public sealed class HubDatasetTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("gennet-hub-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private HubOptions Offline => new() { Offline = true, CacheDir = Path.Combine(_root, "no-cache"), SystemDatasetsFolder = Path.Combine(_root, "no-system"), DatasetsCacheDir = "" };

    [Fact]
    public async Task AFolderWithACardAndShardsLoadsAsTheCardDescribes()
    {
        var repo = Path.Combine(_root, "repo");
        await HubFixtures.WriteRepoAsync(repo);

        var builder = LoadDatasetBuilder(repo, Offline);
        Assert.Equal(DatasetSourceKind.LocalFolder, builder.SourceKind);
        Assert.Equal("colours", builder.ConfigName);
        Assert.Equal("{'img': Image(mode=None, decode=True), 'label': ClassLabel(names=['red', 'green', 'blue'])}", builder.Info.Features.ToString());
        Assert.Equal(1234, builder.Info.Splits[0].NumBytes);
        Assert.Equal(3, builder.DataFiles[0].Value.Length);

        var dsd = builder.Load();
        Assert.Equal(new[] { "train", "test" }, dsd.Keys);
        Assert.Equal(12, dsd["train"].Count);
        Assert.Equal(
            "DatasetDict({\n    train: Dataset({\n        features: ['img', 'label'],\n        num_rows: 12\n    })\n" +
            "    test: Dataset({\n        features: ['img', 'label'],\n        num_rows: 4\n    })\n})", dsd.ToString());

        // Rows across shard boundaries come back in order with their own pixels.
        foreach (var i in new[] { 0, 3, 4, 7, 8, 11 })
        {
            var row = dsd["train"][i];
            Assert.Equal((long)(i % 3), row["label"]);
            var image = row.Get<Image8>("img");
            Assert.Equal((8, 8, 3), (image.Width, image.Height, image.Channels));
            Assert.Equal(HubFixtures.Pattern(i, 3).Pixels, image.Pixels);
        }
        Assert.Equal("{'img': <Image mode=RGB size=8x8>, 'label': 0}", dsd["train"][0].ToString());
        Assert.Equal("{'label': [0, 1, 2, 0, 1]}", dsd["train"][..5].Let(b => { b.Remove("img"); return b; }).ToString());
        Assert.Equal(new long[] { 0, 1, 2 }, dsd["train"]["label"].Take(3).Cast<long>());
    }

    [Fact]
    public void ClassLabelConvertsBothWaysAndRejectsWhatIsNotAClass()
    {
        var label = new ClassLabel(new[] { "T - shirt / top", "Trouser", "Ankle boot" });
        Assert.Equal("Ankle boot", label.Int2Str(2));
        Assert.Equal(new[] { "Ankle boot", "T - shirt / top" }, label.Int2Str(new long[] { 2, 0 }));
        Assert.Equal(new[] { "Trouser" }, label.Int2Str(tensor(new long[] { 1 })));
        Assert.Equal(1, label.Str2Int("Trouser"));
        Assert.Equal(new[] { 2, 0 }, label.Str2Int(new[] { "Ankle boot", "T - shirt / top" }));
        Assert.Equal(3, label.NumClasses);
        Assert.Contains("3 classes", Assert.Throws<ArgumentOutOfRangeException>(() => label.Int2Str(3)).Message);
        Assert.Contains("'Sock'", Assert.Throws<ArgumentException>(() => label.Str2Int("Sock")).Message);
        Assert.Contains("appears twice", Assert.Throws<ArgumentException>(() => new ClassLabel(new[] { "a", "a" })).Message);
        Assert.Equal(new[] { "0", "1" }, new ClassLabel(2).Names);
    }

    [Fact]
    public void WithTransformRunsOncePerLoaderBatchAndCollateDictGivesTheFeaturesInOrder()
    {
        var ds = HubFixtures.Split(0, 10, 1);
        var calls = 0;
        var sizes = new List<int>();
        var transformi = Inplace(b =>
        {
            Interlocked.Increment(ref calls);
            lock (sizes)
                sizes.Add(b.RowCount);
            b["img"] = b["img"].Select(o => (object?)((Image8)o!).ToFloats()).ToList();
        });
        var tds = ds.WithTransform(transformi);
        Assert.Null(ds.Transform); // with_transform returns a copy

        using var dl = new DatasetLoader<HubRow, (Tensor, Tensor)>(tds, 4, collate: CollateDict(tds));
        var batches = dl.ToList();
        Assert.Equal(3, calls); // 4 + 4 + 2 rows, one transform call per batch
        Assert.Equal(new[] { 4, 4, 2 }, sizes);
        var (xb, yb) = batches[0];
        Assert.Equal(new long[] { 4, 64 }, xb.shape);
        Assert.Equal(ScalarType.Float32, xb.dtype);
        Assert.Equal(new long[] { 0, 1, 2, 0 }, yb.data<long>().ToArray());
        Assert.Equal(HubFixtures.Pattern(1, 1).Pixels[5] / 255f, xb[1, 5].item<float>(), 6);

        // A single row is read as a batch of one and un-nested.
        var row = tds[7];
        Assert.Equal(64, ((float[])row["img"]!).Length);
        Assert.Equal(4, calls);
    }

    [Fact]
    public void LoaderWorkersDecodeInParallelAndGiveTheSameBatchesAsNoWorkers()
    {
        var ds = HubFixtures.Split(0, 40, 3).WithTransform(Inplace(b => b["img"] = b["img"].Select(o => (object?)((Image8)o!).ToTensor()).ToList()));
        using var serial = new DatasetLoader<HubRow, (Tensor, Tensor)>(ds, 8, shuffle: true, seed: 3, collate: CollateDict(ds));
        using var parallel = new DatasetLoader<HubRow, (Tensor, Tensor)>(ds, 8, shuffle: true, seed: 3, numWorkers: 2, collate: CollateDict(ds));
        var a = serial.ToList();
        var b = parallel.ToList();
        Assert.Equal(5, b.Count);
        for (var i = 0; i < a.Count; i++)
        {
            Assert.Equal(new long[] { 8, 3, 8, 8 }, b[i].Item1.shape);
            Assert.Equal(a[i].Item1.data<float>().ToArray(), b[i].Item1.data<float>().ToArray());
            Assert.Equal(a[i].Item2.data<long>().ToArray(), b[i].Item2.data<long>().ToArray());
        }
    }

    [Fact]
    public async Task FromDatasetDictBuildsShuffledTrainAndDoubleSizedValidLoaders()
    {
        var repo = Path.Combine(_root, "repo");
        await HubFixtures.WriteRepoAsync(repo);
        var dsd = LoadDataset(repo, Offline).WithTransform(Inplace(b => b["img"] = b["img"].Select(o => (object?)((Image8)o!).ToFloats()).ToList()));
        using var dls = DataLoaders.FromDatasetDict(dsd, batchSize: 3, seed: 1);
        Assert.Equal(4, dls.Train.Count);
        Assert.Single(dls.Valid);
        var (xb, yb) = dls.Valid.First();
        Assert.Equal(new long[] { 4, 192 }, xb.shape);
        Assert.Equal(new long[] { 100 % 3, 101 % 3, 102 % 3, 103 % 3 }, yb.data<long>().ToArray());
        var trainLabels = dls.Train.SelectMany(b => b.Item2.data<long>().ToArray()).ToList();
        Assert.Equal(12, trainLabels.Count);
        Assert.NotEqual(Enumerable.Range(0, 12).Select(r => (long)(r % 3)), trainLabels); // shuffled (seeded)
    }

    [Fact]
    public void ToTensorsDecodesEveryImageIntoOneTensor()
    {
        var ds = HubFixtures.Split(0, 6, 3);
        var tensors = ds.ToTensors();
        Assert.Equal(new long[] { 6, 3, 8, 8 }, tensors["img"].shape);
        Assert.Equal(ScalarType.Byte, tensors["img"].dtype);
        var pattern = HubFixtures.Pattern(4, 3);
        // CHW: channel 1 of pixel 2 is HWC byte 2*3+1.
        Assert.Equal(pattern.Pixels[2 * 3 + 1], tensors["img"][4, 1, 0, 2].item<byte>());
        Assert.Equal(new long[] { 0, 1, 2, 0, 1, 2 }, tensors["label"].data<long>().ToArray());
    }

    [Fact]
    public async Task BadDataIsAnErrorNamingFileRowAndColumn()
    {
        // A label outside its ClassLabel.
        var bad = HubDataset.FromDict(new Dictionary<string, IReadOnlyList<object?>>
        {
            ["img"] = new object?[] { HubFixtures.Pattern(0, 1), HubFixtures.Pattern(1, 1) },
            ["label"] = new object?[] { 1, 7 },
        }, HubFixtures.ImageFeatures());
        var folder = Path.Combine(_root, "badlabel");
        Directory.CreateDirectory(folder);
        await bad.ToParquetAsync(Path.Combine(folder, "train-00000-of-00001.parquet"));
        var loaded = LoadDataset(folder, Offline)["train"];
        Assert.Equal(1L, loaded[0]["label"]);
        var e = Assert.Throws<InvalidDataException>(() => loaded[1]["label"]);
        Assert.Contains("train-00000-of-00001.parquet row 1", e.Message);
        Assert.Contains("column 'label'", e.Message);
        Assert.Contains("label 7 is outside ClassLabel(num_classes=3)", e.Message);

        // A truncated PNG.
        var png = Png.Encode(HubFixtures.Pattern(0, 1).Pixels, 8, 8, 1);
        var truncated = HubDataset.FromDict(new Dictionary<string, IReadOnlyList<object?>>
        {
            ["img"] = new object?[] { png, png[..20] },
            ["label"] = new object?[] { 0, 0 },
        }, HubFixtures.ImageFeatures());
        var pngFolder = Path.Combine(_root, "badpng");
        Directory.CreateDirectory(pngFolder);
        await truncated.ToParquetAsync(Path.Combine(pngFolder, "train.parquet"));
        var t = LoadDataset(pngFolder, Offline)["train"];
        var png1 = Assert.Throws<InvalidDataException>(() => t[1]["img"]);
        Assert.Contains("train.parquet row 1", png1.Message);
        Assert.Contains("column 'img'", png1.Message);
        Assert.Contains("Not a readable PNG image (20 bytes)", png1.Message);

        // Corrupt parquet.
        var corrupt = Path.Combine(_root, "corrupt");
        Directory.CreateDirectory(corrupt);
        await File.WriteAllBytesAsync(Path.Combine(corrupt, "train.parquet"), new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 });
        var c = Assert.Throws<InvalidDataException>(() => LoadDataset(corrupt, Offline));
        Assert.Contains("train.parquet' is not a readable parquet file", c.Message);

        // The card names a column a file lacks.
        var missing = Path.Combine(_root, "missing");
        Directory.CreateDirectory(Path.Combine(missing, "colours"));
        await File.WriteAllTextAsync(Path.Combine(missing, "README.md"), HubFixtures.Card);
        await HubFixtures.Split(0, 2, 1, imageColumn: "image").ToParquetAsync(Path.Combine(missing, "colours", "train-00000-of-00001.parquet"));
        var m = Assert.Throws<InvalidDataException>(() => LoadDataset(missing, Offline));
        Assert.Contains("column 'img' is missing", m.Message);
        Assert.Contains("train-00000-of-00001.parquet", m.Message);
    }

    [Fact]
    public void OfflineAndNowhereIsOneErrorNamingEveryPlaceSearched()
    {
        var e = Assert.Throws<DatasetNotFoundException>(() => LoadDataset("someone/nothing-here", Offline));
        Assert.Contains("local folder ./someone/nothing-here: not a directory", e.Message);
        Assert.Contains("HF cache " + Path.Combine(_root, "no-cache", "datasets--someone--nothing-here"), e.Message);
        Assert.Contains("Debian packages: none for this dataset", e.Message);
        Assert.Contains("not contacted (offline: HF_HUB_OFFLINE=1)", e.Message);
        Assert.Contains("apt-get install dataset-fashion-mnist", e.Message);
        Assert.Contains("HF_ENDPOINT", e.Message);
        Assert.Equal(4, e.Tried.Count);
    }

    [Fact]
    public void JpegAndModeConversionDecodeAsPilDoes()
    {
        // A flat colour survives JPEG compression almost exactly.
        var rgb = Enumerable.Repeat(new byte[] { 200, 40, 10 }, 16 * 16).SelectMany(p => p).ToArray();
        using var jpeg = new MemoryStream();
        new StbImageWriteSharp.ImageWriter().WriteJpg(rgb, 16, 16, StbImageWriteSharp.ColorComponents.RedGreenBlue, jpeg, 95);
        var ds = HubDataset.FromDict(new Dictionary<string, IReadOnlyList<object?>>
        {
            ["img"] = new object?[] { jpeg.ToArray() },
            ["label"] = new object?[] { 2 },
        }, new Features(new KeyValuePair<string, FeatureType>[] { new("img", new ImageFeature(mode: "L")), new("label", new ClassLabel(HubFixtures.ColourNames)) }));
        var grey = ds[0].Get<Image8>("img");
        Assert.Equal((16, 16, 1), (grey.Width, grey.Height, grey.Channels));
        // PIL's L = (R*19595 + G*38470 + B*7471 + 0x8000) >> 16 = 84 for (200, 40, 10); JPEG may move it by a little.
        Assert.InRange(grey.Pixels[100], 81, 87);
        Assert.Equal("Image(mode='L', decode=True)", ds.Features["img"].ToString());
        Assert.Equal(new byte[] { 76 }, ImageCodec.Convert(new Image8(new byte[] { 255, 0, 0 }, 1, 1, 3), "L").Pixels);
        Assert.Equal(new byte[] { 9, 9, 9, 255 }, ImageCodec.Convert(new Image8(new byte[] { 9 }, 1, 1, 1), "RGBA").Pixels);
        Assert.Throws<ArgumentException>(() => new ImageFeature(mode: "CMYK"));
    }

    [Fact]
    public void UnsafeRepositoryPathsAreRefused()
    {
        var folder = Path.Combine(_root, "snap");
        foreach (var bad in new[] { "../x.parquet", "a/../../x", "/etc/passwd", "a//b", "a\\b", "./a", "C:/x" })
            Assert.Throws<InvalidDataException>(() => HubCache.SafeJoin(folder, bad));
        Assert.Equal(Path.Combine(folder, "a", "b.parquet"), HubCache.SafeJoin(folder, "a/b.parquet"));
    }
}

internal static class TestExtensions
{
    public static TResult Let<T, TResult>(this T value, Func<T, TResult> f) => f(value);
}

/// <summary>The Hub and Imaging public types never shadow a name users get from their TorchSharp usings.</summary>
public sealed class HubNameTests
{
    [Fact]
    public void NoPublicHubOrImagingTypeSharesASimpleNameWithTorchSharpImports()
    {
        static string Key(Type t) => t.Name; // Name includes the `N arity suffix
        var torchSharp = typeof(TorchSharp.torch).Assembly;
        var reachable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in torchSharp.GetExportedTypes().Where(t => !t.IsNested && t.Namespace is "TorchSharp" or "TorchSharp.Modules"))
            reachable.Add(Key(t));
        foreach (var t in typeof(TorchSharp.torch).GetNestedTypes())
        {
            reachable.Add(Key(t));
            foreach (var inner in t.GetNestedTypes())
                reachable.Add(Key(inner)); // torch.nn.*, torch.optim.* … one level down, to be safe
        }
        var ours = typeof(HubDataset).Assembly.GetExportedTypes()
            .Where(t => t.Namespace is "GenNet.Hub" || t == typeof(ImageCodec))
            .Select(Key).ToList();
        Assert.Contains("HubDataset", ours);
        Assert.DoesNotContain(ours, reachable.Contains);
    }
}
