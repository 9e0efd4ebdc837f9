using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace GenNet.Hub;

/// <summary>Tries the sources in order and builds a <see cref="DatasetBuilder"/> from the first that has the dataset.</summary>
internal static class SourceResolver
{
    private static readonly Regex RepoIdPattern = new(@"^[A-Za-z0-9][A-Za-z0-9_.\-]*(/[A-Za-z0-9][A-Za-z0-9_.\-]*)?$", RegexOptions.CultureInvariant);
    internal const string ParquetConversionRevision = "refs/convert/parquet";

    public static async Task<DatasetBuilder> ResolveAsync(string path, HubOptions options, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var tried = new List<string>();
        void Note(string line)
        {
            tried.Add(line);
            options.Log?.WriteLine("hub: " + line);
        }

        // 1. An explicit local folder.
        if (Directory.Exists(path))
        {
            var folder = Path.GetFullPath(path);
            var card = ReadCard(Path.Combine(folder, "README.md"), null);
            var files = Directory.EnumerateFiles(folder, "*.parquet", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(folder, f).Replace(Path.DirectorySeparatorChar, '/')).ToList();
            if (files.Count > 0)
            {
                var (config, splits) = DatasetBuilder.SelectDataFiles(files, card, options.Config);
                if (splits.Count > 0)
                {
                    Note($"local folder {folder}: {splits.Sum(s => s.Value.Length)} parquet file(s) for {Features.ListRepr(splits.Select(s => s.Key))}");
                    var full = splits.Select(s => new KeyValuePair<string, string[]>(s.Key, s.Value.Select(f => Path.Combine(folder, f)).ToArray())).ToList();
                    return new DatasetBuilder(Path.GetFileName(folder), config, DatasetSourceKind.LocalFolder, folder, tried, card.InfoFor(config), full, null, null);
                }
            }
            var idx = IdxSource.Find(folder);
            if (idx.Count > 0)
            {
                Note($"local folder {folder}: IDX files for {Features.ListRepr(idx.Select(i => i.Split))}");
                return new DatasetBuilder(Path.GetFileName(folder), options.Config, DatasetSourceKind.LocalFolder, folder, tried, card.InfoFor(options.Config), Array.Empty<KeyValuePair<string, string[]>>(), null, folder) { IdxCache = options.ResolvedDatasetsCache };
            }
            Note($"local folder {folder}: no parquet files and no IDX image/label pairs");
            throw new DatasetNotFoundException(path, tried);
        }
        if (Path.IsPathRooted(path) || path.StartsWith("./", StringComparison.Ordinal) || path.StartsWith("../", StringComparison.Ordinal) || !RepoIdPattern.IsMatch(path) || path.Contains("..", StringComparison.Ordinal))
        {
            Note($"local folder {Path.GetFullPath(path)}: does not exist (and '{path}' is not a Hub dataset id)");
            throw new DatasetNotFoundException(path, tried);
        }
        Note($"local folder ./{path}: not a directory");

        // 2. The Hugging Face cache.
        var cache = new HubCache(options.ResolvedCacheDir);
        var fromCache = FromCache(cache, path, options, Note);
        if (fromCache is not null)
            return new DatasetBuilder(path, fromCache.Value.Config, DatasetSourceKind.HubCache, fromCache.Value.Folder, tried, fromCache.Value.Info, fromCache.Value.Files, null, null);

        // 3. A Debian dataset package.
        if (SystemPackages.Find(path) is { } package)
        {
            var folder = Path.Combine(options.SystemDatasetsFolder, package.Folder);
            if (Directory.Exists(folder) && IdxSource.Find(folder).Count > 0)
            {
                Note($"Debian package {package.Package}: IDX files in {folder}");
                var card = DatasetCard.Parse(package.Card, $"GenNet's card for {package.Package}", path);
                return new DatasetBuilder(path, card.Configs.FirstOrDefault()?.Name, DatasetSourceKind.SystemPackage, folder, tried, card.InfoFor(null), Array.Empty<KeyValuePair<string, string[]>>(), null, folder) { IdxCache = options.ResolvedDatasetsCache };
            }
            Note($"Debian package {package.Package}: {folder} has no IDX files (apt-get install {package.Package})");
        }
        else
            Note("Debian packages: none for this dataset");

        // 4. The Hub.
        if (options.ResolvedOffline)
        {
            Note($"Hub {options.ResolvedEndpoint}: not contacted (offline: HF_HUB_OFFLINE=1)");
            throw new DatasetNotFoundException(path, tried);
        }
        var client = new HubClient(options, cache);
        try
        {
            return await client.ResolveAsync(path, options.Revision, options.Config, tried, Note, ct).ConfigureAwait(false);
        }
        catch (HubRequestException e) when (e.IsNotFound || e.IsNetwork)
        {
            Note($"Hub {options.ResolvedEndpoint}: {e.Message}");
            throw new DatasetNotFoundException(path, tried, e);
        }
    }

    private static (string Folder, string? Config, DatasetInfo? Info, List<KeyValuePair<string, string[]>> Files)? FromCache(HubCache cache, string repoId, HubOptions options, Action<string> note)
    {
        var repoFolder = cache.RepoFolder(repoId);
        var commit = cache.ResolveRevision(repoId, options.Revision);
        if (commit is null)
        {
            note($"HF cache {repoFolder}: no snapshot for revision '{options.Revision}'");
            return null;
        }
        var files = cache.ListSnapshot(repoId, commit);
        var snapshot = cache.SnapshotFolder(repoId, commit);
        var card = ReadCard(Path.Combine(snapshot, "README.md"), repoId);
        var (config, splits) = DatasetBuilder.SelectDataFiles(files, card, options.Config);
        var infoCard = card;
        if (splits.Count == 0 && cache.ResolveRevision(repoId, ParquetConversionRevision) is { } converted)
        {
            files = cache.ListSnapshot(repoId, converted);
            snapshot = cache.SnapshotFolder(repoId, converted);
            (config, splits) = DatasetBuilder.SelectDataFiles(files, DatasetCard.Empty, options.Config ?? card.Configs.FirstOrDefault()?.Name);
        }
        if (splits.Count == 0)
        {
            note($"HF cache {repoFolder}: snapshot {commit} has no parquet data files");
            return null;
        }
        var full = splits.Select(s => new KeyValuePair<string, string[]>(s.Key, s.Value.Select(f => HubCache.SafeJoin(snapshot, f)).ToArray())).ToList();
        // A snapshot can hold some shards only (an interrupted download): when the card states the split sizes, the
        // files' own row counts must add up, or the cache is not used.
        if (infoCard.InfoFor(config) is { } stated)
        {
            foreach (var (split, paths) in full)
            {
                var expected = stated.Splits.FirstOrDefault(s => s.Name == split)?.NumExamples ?? 0;
                if (expected > 0 && ParquetTable.CountRows(paths) is var rows && rows != expected)
                {
                    note($"HF cache {snapshot}: split '{split}' has {rows} of the card's {expected} rows (an incomplete download); not used");
                    return null;
                }
            }
        }
        note($"HF cache {snapshot}: {splits.Sum(s => s.Value.Length)} parquet file(s) for {Features.ListRepr(splits.Select(s => s.Key))}");
        return (snapshot, config, infoCard.InfoFor(config), full);
    }

    internal static DatasetCard ReadCard(string path, string? datasetName)
    {
        if (!File.Exists(path))
            return DatasetCard.Empty;
        return DatasetCard.Parse(File.ReadAllText(path), path, datasetName ?? Path.GetFileName(Path.GetDirectoryName(path)));
    }
}

/// <summary>Debian's dataset packages that hold a Hub dataset as IDX files, with the Hub card's metadata for them.</summary>
internal static class SystemPackages
{
    // The IDX files carry no class names; these are the Hub card's (zalando-datasets/fashion_mnist), so both sources
    // give the same features.
    private const string FashionMnistCard = """
        ---
        dataset_info:
          config_name: fashion_mnist
          features:
          - name: image
            dtype: image
          - name: label
            dtype:
              class_label:
                names:
                  '0': T - shirt / top
                  '1': Trouser
                  '2': Pullover
                  '3': Dress
                  '4': Coat
                  '5': Sandal
                  '6': Shirt
                  '7': Sneaker
                  '8': Bag
                  '9': Ankle boot
          splits:
          - name: train
            num_examples: 60000
          - name: test
            num_examples: 10000
        configs:
        - config_name: fashion_mnist
          data_files:
          - split: train
            path: fashion_mnist/train-*
          - split: test
            path: fashion_mnist/test-*
          default: true
        ---
        """;

    public static (string Package, string Folder, string Card)? Find(string repoId) => repoId switch
    {
        "fashion_mnist" or "zalando-datasets/fashion_mnist" => ("dataset-fashion-mnist", "fashion-mnist", FashionMnistCard),
        _ => null,
    };
}
