using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using GenNet.Data;
using GenNet.Hub;
using GenNet.Imaging;
using static GenNet.Hub.Datasets;
using static TorchSharp.torch;

namespace GenNet.Samples.Lesson;

/// <summary>
/// <c>lesson datasets</c>: notebook 05's Hugging Face cells, cell for cell, with their printed output. The data comes
/// from the first source that has it (a local folder, the HF cache, Debian's package, the Hub at <c>HF_ENDPOINT</c>).
/// </summary>
internal static class DatasetsLesson
{
    public static Command Create()
    {
        var name = new Option<string>("--dataset") { Description = "Hub dataset id or local folder.", DefaultValueFactory = _ => "fashion_mnist" };
        var verbose = new Option<bool>("--verbose") { Description = "Log every source tried and every download." };
        var command = new Command("datasets", "load_dataset_builder, load_dataset, features, with_transform, inplace, collate_dict and DataLoaders.from_dd.");
        command.Options.Add(name);
        command.Options.Add(verbose);
        command.SetAction(parse => Run(parse.GetValue(name)!, parse.GetValue(verbose)));
        return command;
    }

    private static void Cell(string python)
    {
        Console.WriteLine();
        Console.WriteLine($">>> {python}");
    }

    private static int Run(string name, bool verbose)
    {
        using var scope = NewDisposeScope();
        var options = new HubOptions { Log = verbose ? Console.Out : null };
        DatasetBuilder builder;
        try
        {
            Cell($"ds_builder = load_dataset_builder('{name}')");
            builder = LoadDatasetBuilder(name, options);
        }
        catch (DatasetNotFoundException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 3;
        }
        Console.WriteLine($"// C#: var dsBuilder = LoadDatasetBuilder(\"{name}\");   → {builder.SourceKind}: {builder.Source}");
        foreach (var line in builder.Tried)
            Console.WriteLine($"//   tried: {line}");

        Cell("ds_builder.info.description");
        Console.WriteLine(builder.Info.Description.Length == 0 ? "''   (today's cards keep the description in the card body, not in dataset_info)" : builder.Info.Description);

        Cell("ds_builder.info.features");
        Console.WriteLine(builder.Info.Features);

        Cell("ds_builder.info.splits");
        Console.WriteLine(builder.Info.SplitsRepr);

        Cell($"dsd = load_dataset('{name}'); dsd");
        var dsd = builder.Load();
        Console.WriteLine("// C#: var dsd = LoadDataset(name);");
        Console.WriteLine(dsd);

        Cell("train, test = dsd['train'], dsd['test']; train[0]");
        var train = dsd.Values.First();
        Console.WriteLine(train[0]);

        Cell("x, y = ds_builder.info.features; x, y");
        var (x, y) = builder.Info.Features;
        Console.WriteLine($"('{x}', '{y}')   // C#: var (x, y) = dsBuilder.Info.Features;");

        Cell("x, y = 'image', 'label'; img = train[0][x]; img");
        var img = train[0].Get<Image8>(x);
        Console.WriteLine($"{img.Describe()}   // an Image8: {img.Width}x{img.Height}, {img.Channels} channel(s), {img.Pixels.Length} bytes");

        Cell("xb = train[:5][x]; yb = train[:5][y]; yb");
        var batch = train[..5];
        var yb = batch[y].Cast<long>().ToArray();
        Console.WriteLine($"[{string.Join(", ", yb)}]   // C#: train[..5][y]");

        Cell("featy = train.features[y]; featy");
        var featy = (ClassLabel)train.Features[y];
        Console.WriteLine(featy);

        Cell("featy.int2str(yb)");
        Console.WriteLine(Features.ListRepr(featy.Int2Str(yb)));

        Cell("def collate_fn(b): return {x: torch.stack([TF.to_tensor(o[x]) for o in b]), y: tensor([o[y] for o in b])}");
        Cell("dl = DataLoader(train, collate_fn=collate_fn, batch_size=16); b = next(iter(dl)); b[x].shape, b[y]");
        Dictionary<string, Tensor> CollateFn(IReadOnlyList<HubRow> b) => new()
        {
            [x] = stack(b.Select(o => o.Get<Image8>(x).ToTensor()).ToArray()),
            [y] = tensor(b.Select(o => (long)o[y]!).ToArray()),
        };
        using (var dl = new DatasetLoader<HubRow, Dictionary<string, Tensor>>(train, 16, collate: CollateFn))
        {
            var b = dl.First();
            Console.WriteLine($"(torch.Size([{string.Join(", ", b[x].shape)}]), tensor([{string.Join(", ", b[y].data<long>().ToArray())}]))");
        }

        Cell("def transforms(b): b[x] = [TF.to_tensor(o) for o in b[x]]; return b");
        Cell("tds = train.with_transform(transforms); dl = DataLoader(tds, batch_size=16); b = next(iter(dl)); b[x].shape, b[y]");
        ColumnBatch Transforms(ColumnBatch b)
        {
            b[x] = b[x].Select(o => (object?)((Image8)o!).ToTensor()).ToList();
            return b;
        }
        var tds = train.WithTransform(Transforms);
        using (var dl = new DatasetLoader<HubRow, Dictionary<string, Tensor>>(tds, 16))
        {
            var b = dl.First();
            Console.WriteLine($"(torch.Size([{string.Join(", ", b[x].shape)}]), tensor([{string.Join(", ", b[y].data<long>().ToArray())}]))");
        }

        Cell("def _transformi(b): b[x] = [torch.flatten(TF.to_tensor(o)) for o in b[x]]");
        Cell("transformi = inplace(_transformi); tdsf = train.with_transform(transformi); r = tdsf[0]; r[x].shape, r[y]");
        var transformi = Inplace(b => b[x] = b[x].Select(o => (object?)((Image8)o!).ToFloats()).ToList());
        var tdsf = train.WithTransform(transformi);
        var r = tdsf[0];
        Console.WriteLine($"(torch.Size([{((float[])r[x]!).Length}]), {r[y]})   // ToFloats(): to_tensor + flatten as managed floats (collates without per-item tensors)");

        Cell("ig = itemgetter('a', 'c'); ig({'a': 1, 'b': 2, 'c': 3})");
        Console.WriteLine("(1, 3)   // C#: collate_dict below does this with the dataset's feature names");

        Cell("collate_dict(tdsf); dl = DataLoader(tdsf, batch_size=4, collate_fn=collate_dict(tdsf)); xb, yb = next(iter(dl)); xb.shape, yb");
        using (var dl = new DatasetLoader<HubRow, (Tensor, Tensor)>(tdsf, 4, collate: CollateDict(tdsf)))
        {
            var (xb4, yb4) = dl.First();
            Console.WriteLine($"(torch.Size([{string.Join(", ", xb4.shape)}]), tensor([{string.Join(", ", yb4.data<long>().ToArray())}]))");
        }

        Cell("dls = DataLoaders.from_dd(dsd.with_transform(transformi), batch_size=256); xb, yb = next(iter(dls.train)); xb.shape, yb[:10]");
        using (var dls = DataLoaders.FromDatasetDict(dsd.WithTransform(transformi), batchSize: 256, numWorkers: 2, seed: 42))
        {
            var (xb, ybTrain) = dls.Train.First();
            Console.WriteLine($"(torch.Size([{string.Join(", ", xb.shape)}]), tensor([{string.Join(", ", ybTrain[..10].data<long>().ToArray())}]))   // shuffled; valid batches are {2 * 256}");
            Console.WriteLine($"len(dls.train) = {dls.Train.Count}, len(dls.valid) = {dls.Valid.Count}");
        }
        return 0;
    }
}
