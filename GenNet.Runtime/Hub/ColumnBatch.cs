using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace GenNet.Hub;

/// <summary>
/// A batch of rows stored by column, as HF passes it to a transform and returns it for <c>ds[a:b]</c>: column name →
/// one value per row, in column order. A transform may replace a column (<c>b["image"] = ...</c>), add or remove one.
/// </summary>
public sealed class ColumnBatch : IReadOnlyDictionary<string, List<object?>>
{
    private readonly List<string> _order = new();
    private readonly Dictionary<string, List<object?>> _columns = new(StringComparer.Ordinal);

    /// <summary>The number of rows (the length of the first column; 0 without columns).</summary>
    public int RowCount => _order.Count == 0 ? 0 : _columns[_order[0]].Count;

    /// <summary>The column <paramref name="key"/>; setting it replaces the column or adds it at the end.</summary>
    public List<object?> this[string key]
    {
        get => _columns.TryGetValue(key, out var column)
            ? column
            : throw new KeyNotFoundException($"The batch has no column '{key}'; its columns are {Features.ListRepr(_order)}.");
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (!_columns.ContainsKey(key))
                _order.Add(key);
            _columns[key] = value;
        }
    }

    /// <summary>The values of column <paramref name="key"/> as <typeparamref name="T"/> (e.g. <c>batch.Get&lt;long&gt;("label")</c>).</summary>
    public IReadOnlyList<T> Get<T>(string key) => this[key].Select(v => (T)v!).ToArray();

    /// <summary>Removes a column; returns whether it was there.</summary>
    public bool Remove(string key) => _columns.Remove(key) && _order.Remove(key);

    /// <summary>Row <paramref name="index"/> as a dictionary in column order.</summary>
    public Dictionary<string, object?> Row(int index)
    {
        var row = new Dictionary<string, object?>(_order.Count, StringComparer.Ordinal);
        foreach (var key in _order)
        {
            var column = _columns[key];
            if (column.Count != RowCount)
                throw new InvalidOperationException($"Column '{key}' has {column.Count} values but column '{_order[0]}' has {RowCount}; a transform must return one value per row.");
            row[key] = column[index];
        }
        return row;
    }

    /// <inheritdoc/>
    public IEnumerable<string> Keys => _order;

    /// <inheritdoc/>
    public IEnumerable<List<object?>> Values => _order.Select(k => _columns[k]);

    /// <summary>The number of columns.</summary>
    public int Count => _order.Count;

    /// <inheritdoc/>
    public bool ContainsKey(string key) => _columns.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(string key, out List<object?> value) => _columns.TryGetValue(key, out value!);

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, List<object?>>> GetEnumerator() =>
        _order.Select(k => new KeyValuePair<string, List<object?>>(k, _columns[k])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Python's dict repr, e.g. <c>{'label': [9, 0, 0, 3, 0]}</c>.</summary>
    public override string ToString() =>
        "{" + string.Join(", ", _order.Select(k => $"{ClassLabel.Quote(k)}: [{string.Join(", ", _columns[k].Select(HubDataset.Repr))}]")) + "}";
}
