using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace GenNet.Hub;

/// <summary>HF's <c>SplitInfo</c>: a split's name, size in bytes and number of examples.</summary>
/// <param name="Name">The split's name (<c>train</c>, <c>test</c>, ...).</param>
/// <param name="NumBytes">The split's size in bytes as the metadata states it (0 when unknown).</param>
/// <param name="NumExamples">The number of rows.</param>
/// <param name="DatasetName">The dataset's name.</param>
public sealed record SplitInfo(string Name, long NumBytes, long NumExamples, string? DatasetName)
{
    /// <summary>HF's repr.</summary>
    public override string ToString() => string.Format(CultureInfo.InvariantCulture,
        "SplitInfo(name='{0}', num_bytes={1}, num_examples={2}, shard_lengths=None, dataset_name={3})",
        Name, NumBytes, NumExamples, DatasetName is null ? "None" : ClassLabel.Quote(DatasetName));
}

/// <summary>
/// HF's <c>DatasetInfo</c> as <c>load_dataset_builder(...).info</c> shows it: features, splits and sizes from the
/// dataset's own metadata (the card's <c>dataset_info</c> YAML or the parquet files' <c>huggingface</c> metadata).
/// </summary>
public sealed class DatasetInfo
{
    /// <summary>Creates an info.</summary>
    public DatasetInfo(Features features, IReadOnlyList<SplitInfo> splits, string? datasetName, string? configName,
        string description = "", long? downloadSize = null, long? datasetSize = null)
    {
        Features = features ?? throw new ArgumentNullException(nameof(features));
        Splits = splits ?? throw new ArgumentNullException(nameof(splits));
        DatasetName = datasetName;
        ConfigName = configName;
        Description = description ?? "";
        DownloadSize = downloadSize;
        DatasetSize = datasetSize;
    }

    /// <summary>The description (empty for parquet repositories: today's cards carry it in the body, not the YAML).</summary>
    public string Description { get; }

    /// <summary>The columns and their types.</summary>
    public Features Features { get; }

    /// <summary>The splits, in the metadata's order.</summary>
    public IReadOnlyList<SplitInfo> Splits { get; }

    /// <summary>The dataset's name (HF's <c>dataset_name</c>).</summary>
    public string? DatasetName { get; }

    /// <summary>The configuration's name.</summary>
    public string? ConfigName { get; }

    /// <summary>The size of the data files in bytes, when known.</summary>
    public long? DownloadSize { get; }

    /// <summary>The size of the dataset in bytes, when known.</summary>
    public long? DatasetSize { get; }

    /// <summary>HF's <c>splits</c> repr: <c>{'train': SplitInfo(...), 'test': SplitInfo(...)}</c>.</summary>
    public string SplitsRepr => "{" + string.Join(", ", Splits.Select(s => $"{ClassLabel.Quote(s.Name)}: {s}")) + "}";

    /// <summary>A readable summary: name, config, features, splits and sizes.</summary>
    public override string ToString()
    {
        var lines = new List<string>
        {
            $"dataset_name: {DatasetName ?? "None"}",
            $"config_name: {ConfigName ?? "None"}",
            $"description: {(Description.Length == 0 ? "''" : Description)}",
            $"features: {Features}",
            $"splits: {SplitsRepr}",
        };
        if (DownloadSize is { } d)
            lines.Add($"download_size: {d.ToString(CultureInfo.InvariantCulture)}");
        if (DatasetSize is { } s)
            lines.Add($"dataset_size: {s.ToString(CultureInfo.InvariantCulture)}");
        return string.Join('\n', lines);
    }
}
