using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using GenNet.Data;
using static TorchSharp.torch;

namespace GenNet.Hub;

/// <summary>
/// The lesson's Hugging Face calls: <c>load_dataset_builder</c>, <c>load_dataset</c>, <c>collate_dict</c> and
/// <c>inplace</c>. With <c>using static GenNet.Hub.Datasets;</c> the notebook's cells read the same in C#.
/// </summary>
/// <remarks>
/// Sources, tried in this order (each one tried is listed in <see cref="DatasetBuilder.Tried"/>, the log and the error):
/// <list type="number">
/// <item>a local folder: the path names a directory with parquet files (or the MNIST family's IDX files);</item>
/// <item>the Hugging Face cache in <c>huggingface_hub</c>'s layout (shared with Python);</item>
/// <item>a Debian dataset package (<c>dataset-fashion-mnist</c>: IDX files under <c>/usr/share/datasets</c>);</item>
/// <item>the Hub over HTTPS (<c>HF_ENDPOINT</c>, <c>HF_TOKEN</c>), unless <c>HF_HUB_OFFLINE=1</c>; files are downloaded into the cache.</item>
/// </list>
/// </remarks>
public static class Datasets
{
    /// <summary>HF's <c>load_dataset_builder(path)</c>: finds the dataset and reads its metadata, not its data.</summary>
    /// <param name="path">A local folder, or a Hub dataset id (<c>fashion_mnist</c>, <c>ylecun/mnist</c>).</param>
    /// <param name="options">Revision, config, cache, endpoint, offline mode and log.</param>
    /// <exception cref="DatasetNotFoundException">No source has the dataset; the message lists every place searched.</exception>
    public static DatasetBuilder LoadDatasetBuilder(string path, HubOptions? options = null) =>
        LoadDatasetBuilderAsync(path, options).GetAwaiter().GetResult();

    /// <inheritdoc cref="LoadDatasetBuilder"/>
    public static Task<DatasetBuilder> LoadDatasetBuilderAsync(string path, HubOptions? options = null, CancellationToken cancellationToken = default) =>
        SourceResolver.ResolveAsync(path, options ?? new HubOptions(), cancellationToken);

    /// <summary>HF's <c>load_dataset(path)</c>: every split, as a <see cref="DatasetDict"/>.</summary>
    /// <inheritdoc cref="LoadDatasetBuilder" path="/param"/>
    /// <exception cref="DatasetNotFoundException">No source has the dataset; the message lists every place searched.</exception>
    /// <exception cref="InvalidDataException">A data file is corrupt or lacks a column; the message names file, row and column.</exception>
    public static DatasetDict LoadDataset(string path, HubOptions? options = null) => LoadDatasetAsync(path, options).GetAwaiter().GetResult();

    /// <inheritdoc cref="LoadDataset(string, HubOptions?)"/>
    public static async Task<DatasetDict> LoadDatasetAsync(string path, HubOptions? options = null, CancellationToken cancellationToken = default)
    {
        var builder = await LoadDatasetBuilderAsync(path, options, cancellationToken).ConfigureAwait(false);
        return await builder.LoadAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>HF's <c>load_dataset(path, split=...)</c>: one split.</summary>
    public static HubDataset LoadDataset(string path, string split, HubOptions? options = null) => LoadDataset(path, options)[split];

    /// <summary>
    /// The lesson's <c>inplace</c>: turns a transform that changes a batch into one that returns it, for
    /// <see cref="HubDataset.WithTransform"/>.
    /// </summary>
    public static Func<ColumnBatch, ColumnBatch> Inplace(Action<ColumnBatch> transform)
    {
        ArgumentNullException.ThrowIfNull(transform);
        return batch =>
        {
            transform(batch);
            return batch;
        };
    }

    /// <summary>
    /// The lesson's <c>collate_dict(ds)</c> for a loader: reads the batch's rows together (decode + transform once per
    /// batch), collates them with <see cref="DefaultCollate"/> and returns the features in order, as <c>(xb, yb)</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The dataset does not have exactly two features (use <see cref="CollateDict{TBatch}"/>).</exception>
    public static Func<IReadOnlyList<HubRow>, (Tensor, Tensor)> CollateDict(HubDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.Features.Count != 2)
            throw new ArgumentException($"CollateDict gives (xb, yb) for two features; this dataset has {dataset.Features.Count} ({Features.ListRepr(dataset.Features.Names)}). Use CollateDict<object[]>.", nameof(dataset));
        return CollateDict<(Tensor, Tensor)>(dataset);
    }

    /// <summary>
    /// <c>collate_dict(ds)</c> with a chosen batch type: <c>object[]</c> or <c>Tensor[]</c> for any number of features,
    /// <c>(Tensor, Tensor)</c> or <c>(Tensor, Tensor, Tensor)</c> for two or three.
    /// </summary>
    public static Func<IReadOnlyList<HubRow>, TBatch> CollateDict<TBatch>(HubDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var names = dataset.Features.Names.ToArray();
        var collate = DefaultCollate.For<object?[], TBatch>();
        return rows =>
        {
            var values = ReadRows(rows);
            var items = new object?[values.Count][];
            for (var i = 0; i < items.Length; i++)
            {
                var row = values[i];
                var item = new object?[names.Length];
                for (var f = 0; f < names.Length; f++)
                {
                    if (!row.TryGetValue(names[f], out item[f]))
                        throw new KeyNotFoundException($"collate_dict: row {i} of the batch has no '{names[f]}' (it has {Features.ListRepr(row.Keys)}); the transform must keep every feature.");
                }
                items[i] = item;
            }
            return collate(items);
        };
    }

    /// <summary>The rows' values; rows of one dataset not yet read are read with one batch call (HF's <c>__getitems__</c>).</summary>
    internal static IReadOnlyList<IReadOnlyDictionary<string, object?>> ReadRows(IReadOnlyList<HubRow> rows)
    {
        if (rows.Count > 0 && rows.All(r => !r.IsRead && ReferenceEquals(r.Dataset, rows[0].Dataset)))
        {
            var indices = new int[rows.Count];
            for (var i = 0; i < indices.Length; i++)
                indices[i] = rows[i].Index;
            var read = rows[0].Dataset.GetItems(indices);
            for (var i = 0; i < indices.Length; i++)
                rows[i].Fill(read[i]);
            return read;
        }
        return rows;
    }
}

/// <summary>No source has the dataset: the message lists every place searched and how to provide it.</summary>
public sealed class DatasetNotFoundException : FileNotFoundException
{
    /// <summary>Creates the exception.</summary>
    public DatasetNotFoundException(string name, IReadOnlyList<string> tried, Exception? inner = null)
        : base(Compose(name, tried), name, inner) => Tried = tried;

    /// <summary>The sources tried, in order, with what each had.</summary>
    public IReadOnlyList<string> Tried { get; }

    private static string Compose(string name, IReadOnlyList<string> tried) =>
        $"Dataset '{name}' was not found. Searched, in order:\n" + string.Join('\n', tried.Select((t, i) => $"  {i + 1}. {t}")) +
        "\nTo fix: pass a local folder with its parquet (or IDX) files; or fill the cache (run once online, or copy a huggingface_hub cache " +
        "and set HF_HUB_CACHE); or for Fashion-MNIST install Debian's package (apt-get install dataset-fashion-mnist); or set HF_ENDPOINT " +
        "to a reachable Hub (mirror) and unset HF_HUB_OFFLINE.";
}
