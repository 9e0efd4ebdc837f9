using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace GenNet.Hub;

/// <summary>Where a dataset was found.</summary>
public enum DatasetSourceKind
{
    /// <summary>An explicit local folder (parquet or IDX files).</summary>
    LocalFolder,

    /// <summary>The Hugging Face cache (huggingface_hub's layout).</summary>
    HubCache,

    /// <summary>A Debian dataset package (IDX files under /usr/share/datasets).</summary>
    SystemPackage,

    /// <summary>The Hub over HTTPS (downloaded into the cache).</summary>
    Hub,
}

/// <summary>
/// HF's <c>DatasetBuilder</c> as <c>load_dataset_builder</c> returns it: the dataset's <see cref="Info"/> and where its
/// files are, without reading the data. <see cref="LoadAsync"/> reads (and, from the Hub, downloads) the splits.
/// </summary>
public sealed class DatasetBuilder
{
    private readonly IReadOnlyList<KeyValuePair<string, string[]>> _splitFiles;
    private readonly Func<string, CancellationToken, Task<string>>? _download;
    private readonly string? _idxFolder;
    private DatasetInfo? _info;

    internal DatasetBuilder(string name, string? config, DatasetSourceKind kind, string source, IReadOnlyList<string> tried, DatasetInfo? info,
        IReadOnlyList<KeyValuePair<string, string[]>> splitFiles, Func<string, CancellationToken, Task<string>>? download, string? idxFolder)
    {
        Name = name;
        ConfigName = config;
        SourceKind = kind;
        Source = source;
        Tried = tried;
        _info = info;
        _splitFiles = splitFiles;
        _download = download;
        _idxFolder = idxFolder;
    }

    /// <summary>Where decompressed IDX copies are kept, or <see langword="null"/>.</summary>
    internal string? IdxCache { get; init; }

    /// <summary>The name the dataset was asked for.</summary>
    public string Name { get; }

    /// <summary>The configuration read.</summary>
    public string? ConfigName { get; }

    /// <summary>What kind of source was used.</summary>
    public DatasetSourceKind SourceKind { get; }

    /// <summary>The source: a folder, a cache snapshot or a Hub URL.</summary>
    public string Source { get; }

    /// <summary>The sources tried, in order, with what each had (the verbose log).</summary>
    public IReadOnlyList<string> Tried { get; }

    /// <summary>The data files of each split (repository paths for the Hub, file paths otherwise).</summary>
    public IReadOnlyList<KeyValuePair<string, string[]>> DataFiles => _splitFiles;

    /// <summary>
    /// The dataset's info (HF's <c>builder.info</c>): from the card's <c>dataset_info</c>, else from the first data file's
    /// metadata (which, from the Hub, downloads that file).
    /// </summary>
    public DatasetInfo Info => _info ??= InfoFromDataAsync(CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Reads every split (downloading from the Hub into the cache when that is the source).</summary>
    public DatasetDict Load() => LoadAsync().GetAwaiter().GetResult();

    /// <summary>Reads every split (downloading from the Hub into the cache when that is the source).</summary>
    public async Task<DatasetDict> LoadAsync(CancellationToken cancellationToken = default)
    {
        if (_idxFolder is not null)
        {
            var (features, tables) = IdxSource.Read(_idxFolder, _info, IdxCache);
            _info ??= new DatasetInfo(features, tables.Select(t => new SplitInfo(t.Key, 0, t.Value.RowCount, Name)).ToList(), Name, ConfigName);
            return new DatasetDict(tables.Select(t => new KeyValuePair<string, HubDataset>(t.Key, new HubDataset(t.Key, new[] { t.Value }, features, _info))), _info, Source);
        }
        var loaded = new List<(string Split, StoredTable[] Tables)>();
        foreach (var (split, files) in _splitFiles)
        {
            var paths = new string[files.Length];
            for (var i = 0; i < files.Length; i++)
                paths[i] = _download is null ? files[i] : await _download(files[i], cancellationToken).ConfigureAwait(false);
            var tables = await Task.WhenAll(paths.Select(p => Task.Run(() => ParquetTable.ReadAsync(p, cancellationToken), cancellationToken))).ConfigureAwait(false);
            loaded.Add((split, tables));
        }
        var first = loaded.SelectMany(l => l.Tables).FirstOrDefault()
            ?? throw new InvalidDataException($"{Source}: no data files for '{Name}'.");
        var feats = _info is { Features.Count: > 0 } known ? known.Features : first.Features ?? Infer(first);
        _info ??= new DatasetInfo(feats, loaded.Select(l => new SplitInfo(l.Split, 0, l.Tables.Sum(t => (long)t.RowCount), Name)).ToList(), Name, ConfigName);
        if (_info.Features.Count == 0)
            _info = new DatasetInfo(feats, _info.Splits.Count > 0 ? _info.Splits : loaded.Select(l => new SplitInfo(l.Split, 0, l.Tables.Sum(t => (long)t.RowCount), Name)).ToList(),
                _info.DatasetName, _info.ConfigName, _info.Description, _info.DownloadSize, _info.DatasetSize);
        var splits = loaded.Select(l => new KeyValuePair<string, HubDataset>(l.Split, new HubDataset(l.Split, l.Tables, WithBase(feats, l.Tables[0].Source), _info))).ToList();
        return new DatasetDict(splits, _info, Source);
    }

    private static Features WithBase(Features features, string file)
    {
        // Images stored as relative paths are resolved against their data file's folder.
        if (!features.Values.OfType<ImageFeature>().Any())
            return features;
        var folder = Path.GetDirectoryName(Path.GetFullPath(file));
        return new Features(features.Select(p => p.Value is ImageFeature img
            ? new KeyValuePair<string, FeatureType>(p.Key, new ImageFeature(img.Mode, img.Decode) { BaseFolder = folder })
            : p));
    }

    private async Task<DatasetInfo> InfoFromDataAsync(CancellationToken ct)
    {
        if (_idxFolder is not null)
            return IdxInfo();
        var (split, files) = _splitFiles.First();
        var path = _download is null ? files[0] : await _download(files[0], ct).ConfigureAwait(false);
        var table = await ParquetTable.ReadAsync(path, ct).ConfigureAwait(false);
        return new DatasetInfo(table.Features ?? Infer(table), _splitFiles.Select(s => new SplitInfo(s.Key, 0, 0, Name)).ToList(), Name, ConfigName);
    }

    private DatasetInfo IdxInfo()
    {
        var (features, tables) = IdxSource.Read(_idxFolder!, null, IdxCache);
        return new DatasetInfo(features, tables.Select(t => new SplitInfo(t.Key, 0, t.Value.RowCount, Name)).ToList(), Name, ConfigName);
    }

    internal static Features Infer(StoredTable table)
    {
        var columns = new List<KeyValuePair<string, FeatureType>>();
        for (var c = 0; c < table.ColumnNames.Count; c++)
        {
            var sample = table.Columns[c].FirstOrDefault(v => v is not null);
            FeatureType type = sample switch
            {
                EncodedImage => new ImageFeature(),
                long => new Value("int64"),
                double => new Value("float64"),
                bool => new Value("bool"),
                string => new Value("string"),
                byte[] => new Value("binary"),
                _ => new Value("null"),
            };
            columns.Add(new(table.ColumnNames[c], type));
        }
        return new Features(columns);
    }

    /// <summary>HF's split keywords (<c>datasets.data_files</c>): a path belongs to a split when a folder or the file name starts with one.</summary>
    private static readonly (string Split, string[] Keywords)[] SplitKeywords =
    {
        ("train", new[] { "train", "training" }),
        ("validation", new[] { "validation", "valid", "dev", "val" }),
        ("test", new[] { "test", "testing", "eval", "evaluation" }),
    };

    /// <summary>Chooses the data files of each split from a repository's file list (card configs first, then HF's naming rules).</summary>
    internal static (string? Config, List<KeyValuePair<string, string[]>> Splits) SelectDataFiles(IReadOnlyList<string> files, DatasetCard card, string? config)
    {
        if (card.Configs.Count > 0)
        {
            var chosen = config is null
                ? card.Configs.FirstOrDefault(c => c.IsDefault) ?? card.Configs[0]
                : card.Configs.FirstOrDefault(c => c.Name == config)
                  ?? throw new ArgumentException($"Config '{config}' not found; the card defines {Features.ListRepr(card.Configs.Select(c => c.Name))}.", nameof(config));
            var result = new List<KeyValuePair<string, string[]>>();
            foreach (var (split, patterns) in chosen.DataFiles)
            {
                var regexes = patterns.Select(Glob).ToArray();
                var matched = files.Where(f => regexes.Any(r => r.IsMatch(f))).OrderBy(f => f, StringComparer.Ordinal).ToArray();
                if (matched.Length > 0)
                    result.Add(new(split, matched));
            }
            return (chosen.Name, result);
        }
        var parquet = files.Where(f => f.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)).ToList();
        if (config is not null)
        {
            var inConfig = parquet.Where(f => f.StartsWith(config + "/", StringComparison.Ordinal)).ToList();
            if (inConfig.Count > 0)
                parquet = inConfig;
        }
        else
        {
            // refs/convert/parquet holds {config}/{split}/NNNN.parquet: take the first config (as datasets' default).
            var configs = parquet.Where(f => f.Count(ch => ch == '/') == 2).Select(f => f[..f.IndexOf('/')]).Distinct().OrderBy(c => c == "default" ? "" : c, StringComparer.Ordinal).ToList();
            if (configs.Count > 0 && parquet.All(f => f.Count(ch => ch == '/') == 2))
            {
                config = configs[0];
                parquet = parquet.Where(f => f.StartsWith(config + "/", StringComparison.Ordinal)).ToList();
            }
        }
        var splits = new List<KeyValuePair<string, string[]>>();
        foreach (var (split, keywords) in SplitKeywords)
        {
            var matched = parquet.Where(f => BelongsTo(f, keywords)).OrderBy(f => f, StringComparer.Ordinal).ToArray();
            if (matched.Length > 0)
                splits.Add(new(split, matched));
        }
        if (splits.Count == 0 && parquet.Count > 0)
            splits.Add(new("train", parquet.OrderBy(f => f, StringComparer.Ordinal).ToArray()));
        return (config, splits);
    }

    private static bool BelongsTo(string path, string[] keywords)
    {
        var parts = path.Split('/');
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            foreach (var k in keywords)
            {
                if (i < parts.Length - 1 ? part == k : part.StartsWith(k, StringComparison.Ordinal) && (part.Length == k.Length || !char.IsLetter(part[k.Length])))
                    return true;
            }
        }
        return false;
    }

    private static Regex Glob(string pattern)
    {
        var regex = new System.Text.StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                regex.Append(".*");
                i++;
                if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                    i++;
            }
            else if (c == '*')
                regex.Append("[^/]*");
            else if (c == '?')
                regex.Append("[^/]");
            else
                regex.Append(Regex.Escape(c.ToString()));
        }
        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
