using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace GenNet.Hub;

/// <summary>
/// HF's <c>DatasetDict</c>: split name → <see cref="HubDataset"/>, in the source's split order. Transforms apply to every
/// split. Prints as HF prints it.
/// </summary>
public sealed class DatasetDict : IReadOnlyDictionary<string, HubDataset>
{
    private readonly List<KeyValuePair<string, HubDataset>> _splits;

    /// <summary>Creates a dictionary from (split, dataset) pairs.</summary>
    public DatasetDict(IEnumerable<KeyValuePair<string, HubDataset>> splits, DatasetInfo? info = null, string? source = null)
    {
        _splits = splits.ToList();
        Info = info;
        Source = source;
    }

    /// <summary>The dataset's info, when known.</summary>
    public DatasetInfo? Info { get; }

    /// <summary>Where the data was read from (a folder, a cache snapshot, the Hub).</summary>
    public string? Source { get; }

    /// <inheritdoc/>
    public HubDataset this[string key] => TryGetValue(key, out var value)
        ? value
        : throw new KeyNotFoundException($"Invalid key: '{key}'. Please first select a split. For example: `dsd[\"{_splits.FirstOrDefault().Key ?? "train"}\"]`. Available splits: {Features.ListRepr(Keys)}");

    /// <inheritdoc/>
    public IEnumerable<string> Keys => _splits.Select(s => s.Key);

    /// <inheritdoc/>
    public IEnumerable<HubDataset> Values => _splits.Select(s => s.Value);

    /// <inheritdoc/>
    public int Count => _splits.Count;

    /// <inheritdoc/>
    public bool ContainsKey(string key) => _splits.Any(s => s.Key == key);

    /// <inheritdoc/>
    public bool TryGetValue(string key, out HubDataset value)
    {
        foreach (var (k, v) in _splits)
        {
            if (k == key)
            {
                value = v;
                return true;
            }
        }
        value = null!;
        return false;
    }

    /// <summary>Every split with <paramref name="transform"/> (HF's <c>DatasetDict.with_transform</c>).</summary>
    public DatasetDict WithTransform(Func<ColumnBatch, ColumnBatch>? transform, IReadOnlyList<string>? columns = null, bool outputAllColumns = false) =>
        new(_splits.Select(s => new KeyValuePair<string, HubDataset>(s.Key, s.Value.WithTransform(transform, columns, outputAllColumns))), Info, Source);

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, HubDataset>> GetEnumerator() => _splits.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>HF's repr.</summary>
    public override string ToString() =>
        "DatasetDict({\n" + string.Concat(_splits.Select(s => $"    {s.Key}: {Features.Indent(s.Value.ToString(), "    ")}\n")) + "})";
}
