using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GenNet.Hub;

/// <summary>One configuration of a dataset card: its name and, per split, the data-file patterns.</summary>
/// <param name="Name">The config's name (<c>default</c> when the card names none).</param>
/// <param name="DataFiles">Split name → path patterns (globs relative to the repository root), in the card's order.</param>
/// <param name="IsDefault">Whether the card marks it <c>default: true</c>.</param>
internal sealed record CardConfig(string Name, IReadOnlyList<KeyValuePair<string, string[]>> DataFiles, bool IsDefault);

/// <summary>
/// The YAML front matter of a dataset card (<c>README.md</c>): <c>dataset_info</c> (features, splits, sizes) and
/// <c>configs</c> (data files per split), as the Hub and <c>datasets</c> read them.
/// </summary>
internal sealed class DatasetCard
{
    private DatasetCard(IReadOnlyList<(string? Config, DatasetInfo Info)> infos, IReadOnlyList<CardConfig> configs)
    {
        Infos = infos;
        Configs = configs;
    }

    public IReadOnlyList<(string? Config, DatasetInfo Info)> Infos { get; }

    public IReadOnlyList<CardConfig> Configs { get; }

    public static DatasetCard Empty { get; } = new(Array.Empty<(string?, DatasetInfo)>(), Array.Empty<CardConfig>());

    /// <summary>The info of <paramref name="config"/> (or the only/first one when null).</summary>
    public DatasetInfo? InfoFor(string? config) =>
        config is null ? Infos.FirstOrDefault().Info : Infos.FirstOrDefault(i => i.Config == config || (i.Config is null && config == "default")).Info;

    /// <summary>Parses a card's text; a card without front matter is empty.</summary>
    /// <exception cref="FormatException">The YAML is malformed (the message names <paramref name="source"/>).</exception>
    public static DatasetCard Parse(string text, string source, string? datasetName)
    {
        var yaml = FrontMatter(text);
        if (yaml is null)
            return Empty;
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new FormatException($"{source}: the card's YAML is malformed at line {e.Start.Line}: {e.Message}", e);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            return Empty;
        try
        {
            var infos = new List<(string?, DatasetInfo)>();
            if (Child(root, "dataset_info") is { } info)
            {
                IEnumerable<YamlNode> entries = info is YamlSequenceNode seq ? seq.Children : new[] { info };
                foreach (var entry in entries.OfType<YamlMappingNode>())
                    infos.Add(ParseInfo(entry, source, datasetName));
            }
            var configs = new List<CardConfig>();
            if (Child(root, "configs") is YamlSequenceNode configNodes)
            {
                foreach (var c in configNodes.Children.OfType<YamlMappingNode>())
                    configs.Add(ParseConfig(c, source));
            }
            return new DatasetCard(infos, configs);
        }
        catch (Exception e) when (e is InvalidCastException or ArgumentException or OverflowException)
        {
            throw new FormatException($"{source}: the card's dataset_info/configs YAML is not in the Hub's format: {e.Message}", e);
        }
    }

    private static (string?, DatasetInfo) ParseInfo(YamlMappingNode node, string source, string? datasetName)
    {
        var config = Scalar(node, "config_name");
        var columns = new List<KeyValuePair<string, FeatureType>>();
        if (Child(node, "features") is YamlSequenceNode features)
        {
            foreach (var f in features.Children.OfType<YamlMappingNode>())
            {
                var name = Scalar(f, "name") ?? throw new FormatException($"{source}: a feature in dataset_info has no name.");
                columns.Add(new(name, FeatureFromYaml(Child(f, "dtype"), name, source)));
            }
        }
        var splits = new List<SplitInfo>();
        if (Child(node, "splits") is YamlSequenceNode splitNodes)
        {
            foreach (var s in splitNodes.Children.OfType<YamlMappingNode>())
            {
                splits.Add(new SplitInfo(Scalar(s, "name") ?? throw new FormatException($"{source}: a split in dataset_info has no name."),
                    Number(s, "num_bytes") ?? 0, Number(s, "num_examples") ?? 0, datasetName));
            }
        }
        return (config, new DatasetInfo(new Features(columns), splits, datasetName, config ?? "default", "",
            Number(node, "download_size"), Number(node, "dataset_size")));
    }

    private static FeatureType FeatureFromYaml(YamlNode? dtype, string name, string source)
    {
        switch (dtype)
        {
            case YamlScalarNode { Value: "image" }:
                return new ImageFeature();
            case YamlScalarNode { Value: { } value }:
                return new Value(value);
            case YamlMappingNode map when Child(map, "class_label") is YamlMappingNode label:
                if (Child(label, "names") is YamlMappingNode names)
                {
                    var pairs = names.Children
                        .Select(p => (Index: int.Parse(((YamlScalarNode)p.Key).Value!, CultureInfo.InvariantCulture), Name: ((YamlScalarNode)p.Value).Value ?? ""))
                        .OrderBy(p => p.Index).ToList();
                    for (var i = 0; i < pairs.Count; i++)
                    {
                        if (pairs[i].Index != i)
                            throw new FormatException($"{source}: class_label names of '{name}' skip label {i}.");
                    }
                    return new ClassLabel(pairs.Select(p => p.Name));
                }
                if (Child(label, "names") is YamlSequenceNode list)
                    return new ClassLabel(list.Children.Select(c => ((YamlScalarNode)c).Value ?? ""));
                if (Number(label, "num_classes") is { } n)
                    return new ClassLabel((int)n);
                throw new FormatException($"{source}: class_label of '{name}' has no names.");
            case YamlMappingNode map when Child(map, "image") is not null:
                return new ImageFeature();
            default:
                throw new FormatException($"{source}: feature '{name}' has a dtype GenNet does not read (Value, class_label and image are read).");
        }
    }

    private static CardConfig ParseConfig(YamlMappingNode node, string source)
    {
        var name = Scalar(node, "config_name") ?? "default";
        var files = new List<KeyValuePair<string, string[]>>();
        switch (Child(node, "data_files"))
        {
            case YamlScalarNode { Value: { } single }:
                files.Add(new("train", new[] { single }));
                break;
            case YamlSequenceNode seq:
                foreach (var entry in seq.Children)
                {
                    if (entry is YamlScalarNode { Value: { } path })
                    {
                        files.Add(new("train", new[] { path }));
                        continue;
                    }
                    var map = (YamlMappingNode)entry;
                    var split = Scalar(map, "split") ?? "train";
                    var paths = Child(map, "path") switch
                    {
                        YamlScalarNode { Value: { } p } => new[] { p },
                        YamlSequenceNode ps => ps.Children.Select(c => ((YamlScalarNode)c).Value!).ToArray(),
                        _ => throw new FormatException($"{source}: config '{name}' split '{split}' has no path."),
                    };
                    files.Add(new(split, paths));
                }
                break;
            case YamlMappingNode map:
                foreach (var (k, v) in map.Children)
                {
                    var paths = v is YamlSequenceNode ps ? ps.Children.Select(c => ((YamlScalarNode)c).Value!).ToArray() : new[] { ((YamlScalarNode)v).Value! };
                    files.Add(new(((YamlScalarNode)k).Value!, paths));
                }
                break;
        }
        return new CardConfig(name, files, Scalar(node, "default") is "true" or "True");
    }

    private static string? FrontMatter(string text)
    {
        using var reader = new StringReader(text);
        if (reader.ReadLine()?.TrimEnd() != "---")
            return null;
        var lines = new List<string>();
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            if (line.TrimEnd() == "---")
                return string.Join('\n', lines);
            lines.Add(line);
        }
        return null;
    }

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Scalar(YamlMappingNode node, string key) => (Child(node, key) as YamlScalarNode)?.Value;

    private static long? Number(YamlMappingNode node, string key) =>
        Scalar(node, key) is { } s ? (long)double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture) : null;
}
