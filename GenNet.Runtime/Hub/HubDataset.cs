using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using GenNet.Data;
using GenNet.Imaging;
using static TorchSharp.torch;

namespace GenNet.Hub;

/// <summary>
/// One split of a Hub dataset (HF's <c>Dataset</c>): rows of named columns typed by <see cref="Features"/>. It is an
/// ordinary <see cref="IDataset{T}"/>, so <see cref="DatasetLoader{TItem, TBatch}"/>, samplers and workers take it as is.
/// </summary>
/// <remarks>
/// <para><b>Lazy.</b> The split holds the stored values (encoded PNG/JPEG bytes, numbers); images are decoded when a row is
/// read, on the reading thread (a loader's workers decode in parallel). A transform installed by
/// <see cref="WithTransform"/> runs on access, on a batch of rows stored by column (<see cref="ColumnBatch"/>).</para>
/// <para><b>Per batch.</b> <c>ds[i]</c> returns a <see cref="HubRow"/> that reads nothing until used. <see cref="Datasets.CollateDict"/>
/// reads all the rows of a loader batch with one <see cref="GetItems"/> call, so decoding and the transform run once per batch
/// (HF's <c>__getitems__</c>). A row used on its own is read as a batch of one and un-nested, as HF does.</para>
/// </remarks>
public sealed class HubDataset : IDataset<HubRow>
{
    private readonly StoredTable[] _shards;
    private readonly int[] _offsets;
    private readonly object?[][] _columns;
    private readonly string[] _columnNames;

    internal HubDataset(string split, IReadOnlyList<StoredTable> shards, Features features, DatasetInfo? info)
    {
        Split = split;
        Features = features;
        Info = info;
        _shards = shards.ToArray();
        _offsets = new int[_shards.Length + 1];
        for (var i = 0; i < _shards.Length; i++)
            _offsets[i + 1] = checked(_offsets[i] + _shards[i].RowCount);
        _columnNames = features.Names.ToArray();
        _columns = new object?[_columnNames.Length][];
        for (var c = 0; c < _columnNames.Length; c++)
        {
            var name = _columnNames[c];
            var all = new object?[_offsets[^1]];
            for (var s = 0; s < _shards.Length; s++)
            {
                var column = _shards[s].Column(name)
                    ?? throw new InvalidDataException($"{_shards[s].Source}: column '{name}' is missing (the features name it; the file has {Features.ListRepr(_shards[s].ColumnNames)}).");
                Array.Copy(column, 0, all, _offsets[s], column.Length);
            }
            _columns[c] = all;
        }
    }

    /// <summary>
    /// HF's <c>Dataset.from_dict</c>: a split from in-memory columns. Image columns take <see cref="Image8"/> (raw pixels),
    /// <see cref="EncodedImage"/> or encoded <c>byte[]</c> values; class labels and integers take any integer type.
    /// </summary>
    /// <exception cref="ArgumentException">A column is missing or the columns differ in length.</exception>
    public static HubDataset FromDict(IReadOnlyDictionary<string, IReadOnlyList<object?>> columns, Features features, string split = "train")
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(features);
        var names = features.Names;
        var stored = new object?[names.Count][];
        var rows = -1;
        for (var c = 0; c < names.Count; c++)
        {
            if (!columns.TryGetValue(names[c], out var values))
                throw new ArgumentException($"Column '{names[c]}' is in the features but not in the columns.", nameof(columns));
            if (rows >= 0 && values.Count != rows)
                throw new ArgumentException($"Column '{names[c]}' has {values.Count} values but '{names[0]}' has {rows}.", nameof(columns));
            rows = values.Count;
            var feature = features[names[c]];
            stored[c] = values.Select(v => feature switch
            {
                ImageFeature => v switch
                {
                    null => null,
                    Image8 image => new EncodedImage(null, null, image),
                    EncodedImage e => e,
                    byte[] bytes => new EncodedImage(bytes, null),
                    string path => new EncodedImage(null, path),
                    _ => throw new ArgumentException($"Column '{names[c]}' holds a {v.GetType().Name}; images are Image8, EncodedImage, byte[] or a path.", nameof(columns)),
                },
                ClassLabel or Value { DType: "int8" or "int16" or "int32" or "int64" or "uint8" or "uint16" or "uint32" or "uint64" } =>
                    v is null ? null : (object)System.Convert.ToInt64(v, CultureInfo.InvariantCulture),
                Value { DType: "float16" or "float32" or "float64" } => v is null ? null : (object)System.Convert.ToDouble(v, CultureInfo.InvariantCulture),
                _ => v,
            }).ToArray();
        }
        var table = new StoredTable($"in-memory split '{split}'", names, stored, Math.Max(rows, 0), features);
        return new HubDataset(split, new[] { table }, features, null);
    }

    private HubDataset(HubDataset source, Func<ColumnBatch, ColumnBatch>? transform, IReadOnlyList<string>? transformColumns, bool outputAllColumns)
    {
        Split = source.Split;
        Features = source.Features;
        Info = source.Info;
        _shards = source._shards;
        _offsets = source._offsets;
        _columns = source._columns;
        _columnNames = source._columnNames;
        Transform = transform;
        TransformColumns = transformColumns;
        OutputAllColumns = outputAllColumns;
    }

    /// <summary>The split's name.</summary>
    public string Split { get; }

    /// <summary>The columns and their types (HF's <c>ds.features</c>).</summary>
    public Features Features { get; }

    /// <summary>The dataset's info, when the source had one.</summary>
    public DatasetInfo? Info { get; }

    /// <summary>The column names in order (HF's <c>ds.column_names</c>).</summary>
    public IReadOnlyList<string> ColumnNames => _columnNames;

    /// <summary>The number of rows (HF's <c>num_rows</c>, <c>len(ds)</c>).</summary>
    public int Count => _offsets[^1];

    /// <summary>The transform run on access, if any.</summary>
    public Func<ColumnBatch, ColumnBatch>? Transform { get; private set; }

    /// <summary>The columns passed to the transform (all when <see langword="null"/>).</summary>
    public IReadOnlyList<string>? TransformColumns { get; private set; }

    /// <summary>Whether columns not passed to the transform are kept in its output.</summary>
    public bool OutputAllColumns { get; private set; }

    /// <summary>The data files the rows came from.</summary>
    public IReadOnlyList<string> Files => _shards.Select(s => s.Source).ToArray();

    /// <summary>Row <paramref name="index"/> (HF's <c>ds[i]</c>): read, decoded and transformed when first used.</summary>
    public HubRow this[int index]
    {
        get
        {
            GenNet.Data.Dataset.CheckIndex(index, Count, $"split '{Split}'");
            return new HubRow(this, index);
        }
    }

    /// <summary>Rows <paramref name="range"/> as columns (HF's <c>ds[a:b]</c>), decoded and transformed.</summary>
    public ColumnBatch this[Range range]
    {
        get
        {
            var (start, length) = range.GetOffsetAndLength(Count);
            return GetBatch(Enumerable.Range(start, length).ToArray());
        }
    }

    /// <summary>One column, read lazily row by row (HF's <c>ds["label"]</c>, a lazy column since datasets 4.0).</summary>
    public IReadOnlyList<object?> this[string column]
    {
        get
        {
            var c = ColumnIndex(column);
            return new LazyColumn(this, c);
        }
    }

    /// <summary>Rows <paramref name="indices"/> as one column batch: decoded and passed through the transform once.</summary>
    public ColumnBatch GetBatch(ReadOnlySpan<int> indices)
    {
        var raw = new ColumnBatch();
        var selected = Transform is null || TransformColumns is null ? _columnNames : _columnNames.Where(TransformColumns.Contains).ToArray();
        foreach (var name in selected)
            raw[name] = DecodeColumn(ColumnIndex(name), indices);
        if (Transform is null)
            return raw;
        var result = Transform(raw) ?? throw new InvalidOperationException($"The transform of split '{Split}' returned null; return the batch (or use Datasets.Inplace).");
        if (TransformColumns is not null && OutputAllColumns)
        {
            foreach (var name in _columnNames)
            {
                if (!selected.Contains(name) && !result.ContainsKey(name))
                    result[name] = DecodeColumn(ColumnIndex(name), indices);
            }
        }
        return result;
    }

    /// <summary>Rows <paramref name="indices"/> as row dictionaries, read with one <see cref="GetBatch"/> (HF's <c>__getitems__</c>).</summary>
    public IReadOnlyList<Dictionary<string, object?>> GetItems(ReadOnlySpan<int> indices)
    {
        var batch = GetBatch(indices);
        var rows = new Dictionary<string, object?>[indices.Length];
        if (batch.RowCount != indices.Length)
            throw new InvalidOperationException($"The transform of split '{Split}' returned {batch.RowCount} rows for a batch of {indices.Length}.");
        for (var i = 0; i < rows.Length; i++)
            rows[i] = batch.Row(i);
        return rows;
    }

    /// <summary>
    /// A copy that runs <paramref name="transform"/> on each batch when rows are read (HF's <c>with_transform</c>). The
    /// transform receives a <see cref="ColumnBatch"/> and returns one (see <see cref="Datasets.Inplace"/> for a mutating one).
    /// </summary>
    /// <param name="transform">The transform, or <see langword="null"/> for none.</param>
    /// <param name="columns">Only these columns are passed to the transform (all when <see langword="null"/>).</param>
    /// <param name="outputAllColumns">Keep the columns not passed to the transform.</param>
    public HubDataset WithTransform(Func<ColumnBatch, ColumnBatch>? transform, IReadOnlyList<string>? columns = null, bool outputAllColumns = false)
    {
        foreach (var c in columns ?? Array.Empty<string>())
            ColumnIndex(c);
        return new HubDataset(this, transform, columns?.ToArray(), outputAllColumns);
    }

    /// <summary>Installs a transform in place (HF's <c>set_transform</c>).</summary>
    public void SetTransform(Func<ColumnBatch, ColumnBatch>? transform, IReadOnlyList<string>? columns = null, bool outputAllColumns = false)
    {
        foreach (var c in columns ?? Array.Empty<string>())
            ColumnIndex(c);
        (Transform, TransformColumns, OutputAllColumns) = (transform, columns?.ToArray(), outputAllColumns);
    }

    /// <summary>Removes the transform (HF's <c>reset_format</c>).</summary>
    public void ResetFormat() => (Transform, TransformColumns, OutputAllColumns) = (null, null, false);

    /// <summary>
    /// Every row decoded at once, in parallel, into one tensor per column (for small datasets): images as uint8
    /// <c>[N, C, H, W]</c> (all the same size), class labels and integers as int64, floats as float32, booleans as bool.
    /// Transforms are not applied. Tensors are created outside any dispose scope.
    /// </summary>
    /// <exception cref="InvalidDataException">A value cannot be decoded, or images differ in size; the message names file, row and column.</exception>
    public Dictionary<string, Tensor> ToTensors(int? maxDegreeOfParallelism = null)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            for (var c = 0; c < _columnNames.Length; c++)
                result[_columnNames[c]] = ColumnTensor(c, maxDegreeOfParallelism ?? Environment.ProcessorCount);
        }
        catch
        {
            foreach (var t in result.Values)
                t.Dispose();
            throw;
        }
        return result;
    }

    /// <summary>Writes the split as HF <c>datasets</c> writes parquet: images as <c>struct&lt;bytes, path&gt;</c> PNG, the features in the
    /// <c>huggingface</c> schema metadata (HF's <c>to_parquet</c>). Shards the rows into <paramref name="rowsPerGroup"/>-row groups.</summary>
    public Task ToParquetAsync(string path, int rowsPerGroup = 10_000, CancellationToken cancellationToken = default) =>
        ParquetExport.WriteAsync(this, path, rowsPerGroup, cancellationToken);

    /// <summary>HF's repr: <c>Dataset({ features: ['image', 'label'], num_rows: 60000 })</c> over four lines.</summary>
    public override string ToString() =>
        $"Dataset({{\n    features: {Features.ListRepr(_columnNames)},\n    num_rows: {Count.ToString(CultureInfo.InvariantCulture)}\n}})";

    internal object? Stored(int column, int row) => _columns[column][row];

    internal int ColumnIndex(string name)
    {
        var c = Array.IndexOf(_columnNames, name);
        return c >= 0 ? c : throw new KeyNotFoundException($"Split '{Split}' has no column '{name}'; its columns are {Features.ListRepr(_columnNames)}.");
    }

    internal string Where(int row, int column)
    {
        var shard = Array.BinarySearch(_offsets, row);
        shard = shard >= 0 ? Math.Min(shard, _shards.Length - 1) : ~shard - 1;
        while (shard < _shards.Length - 1 && _offsets[shard + 1] <= row)
            shard++;
        return $"{_shards[shard].Source} row {row - _offsets[shard]} (split '{Split}' row {row}) column '{_columnNames[column]}'";
    }

    internal object? DecodeValue(int column, int row)
    {
        var feature = Features[_columnNames[column]];
        return feature.DecodeValue(_columns[column][row], () => Where(row, column));
    }

    private List<object?> DecodeColumn(int column, ReadOnlySpan<int> indices)
    {
        var list = new List<object?>(indices.Length);
        foreach (var row in indices)
        {
            GenNet.Data.Dataset.CheckIndex(row, Count, $"split '{Split}'");
            list.Add(DecodeValue(column, row));
        }
        return list;
    }

    private Tensor ColumnTensor(int column, int parallelism)
    {
        var name = _columnNames[column];
        var n = Count;
        switch (Features[name])
        {
            case ImageFeature image:
            {
                if (n == 0)
                    return empty(0, 1, 1, 1, dtype: ScalarType.Byte);
                if (image.Mode is null or "L" && RawBlocks(column) is { } blocks)
                {
                    // IDX sources: the pixels are already one block per shard; copy them, no per-image work.
                    var (h, w) = (blocks[0].Height, blocks[0].Width);
                    var all = new byte[(long)n * h * w];
                    var at = 0L;
                    foreach (var b in blocks)
                    {
                        Buffer.BlockCopy(b.Pixels, 0, all, (int)at, b.Pixels.Length);
                        at += b.Pixels.Length;
                    }
                    using var blockScope = NewDisposeScope();
                    return tensor(all, new long[] { n, 1, h, w }, ScalarType.Byte).DetachFromDisposeScope();
                }
                var first = (Image8)image.DecodeValue(_columns[column][0], () => Where(0, column))!;
                var plane = first.Width * first.Height * first.Channels;
                var buffer = new byte[(long)n * plane];
                System.Threading.Tasks.Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, () => new byte[plane], (i, _, scratch) =>
                {
                    var img = i == 0 ? first : (Image8)(image.DecodeValue(_columns[column][i], () => Where(i, column))
                        ?? throw new InvalidDataException($"{Where(i, column)}: the image is missing."));
                    if (img.Width != first.Width || img.Height != first.Height || img.Channels != first.Channels)
                        throw new InvalidDataException($"{Where(i, column)}: image is {img.Width}x{img.Height}x{img.Channels} but row 0's is {first.Width}x{first.Height}x{first.Channels}; ToTensors needs one size.");
                    // HWC → CHW.
                    var hw = img.Width * img.Height;
                    var dst = buffer.AsSpan((int)((long)i * plane), plane);
                    if (img.Channels == 1)
                        img.Pixels.AsSpan(0, plane).CopyTo(dst);
                    else
                    {
                        for (var p = 0; p < hw; p++)
                        {
                            for (var ch = 0; ch < img.Channels; ch++)
                                dst[ch * hw + p] = img.Pixels[p * img.Channels + ch];
                        }
                    }
                    return scratch;
                }, _ => { });
                using var scope = NewDisposeScope();
                var t = tensor(buffer, new long[] { n, first.Channels, first.Height, first.Width }, ScalarType.Byte);
                return t.DetachFromDisposeScope();
            }
            case ClassLabel:
            case Value { DType: "int8" or "int16" or "int32" or "int64" or "uint8" or "uint16" or "uint32" or "uint64" }:
            {
                var values = new long[n];
                for (var i = 0; i < n; i++)
                    values[i] = _columns[column][i] is { } v ? System.Convert.ToInt64(DecodeValue(column, i), CultureInfo.InvariantCulture) : throw new InvalidDataException($"{Where(i, column)}: the value is null.");
                using var scope = NewDisposeScope();
                return tensor(values).DetachFromDisposeScope();
            }
            case Value { DType: "float16" or "float32" or "float64" }:
            {
                var values = new float[n];
                for (var i = 0; i < n; i++)
                    values[i] = _columns[column][i] is { } v ? System.Convert.ToSingle(v, CultureInfo.InvariantCulture) : float.NaN;
                using var scope = NewDisposeScope();
                return tensor(values).DetachFromDisposeScope();
            }
            case Value { DType: "bool" }:
            {
                var values = new bool[n];
                for (var i = 0; i < n; i++)
                    values[i] = _columns[column][i] is true;
                using var scope = NewDisposeScope();
                return tensor(values).DetachFromDisposeScope();
            }
            default:
                throw new InvalidOperationException($"Column '{name}' ({Features[name]}) has no tensor form; ToTensors reads images, labels, numbers and booleans.");
        }
    }

    private (byte[] Pixels, int Height, int Width)[]? RawBlocks(int column)
    {
        var blocks = new (byte[], int, int)[_shards.Length];
        for (var s = 0; s < _shards.Length; s++)
        {
            if (_shards[s].RawImageBlock is not { } block || block.Column != column || block.Pixels.Length != (long)_shards[s].RowCount * block.Height * block.Width)
                return null;
            if (s > 0 && (block.Height, block.Width) != (blocks[0].Item2, blocks[0].Item3))
                return null;
            blocks[s] = (block.Pixels, block.Height, block.Width);
        }
        return blocks;
    }

    internal static string Repr(object? value) => value switch
    {
        null => "None",
        string s => ClassLabel.Quote(s),
        bool b => b ? "True" : "False",
        Image8 image => image.Describe(),
        Tensor t => $"tensor(shape=[{string.Join(", ", t.shape)}], dtype={t.dtype})",
        float[] f => $"[{f.Length} floats]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private sealed class LazyColumn(HubDataset owner, int column) : IReadOnlyList<object?>
    {
        public object? this[int index]
        {
            get
            {
                GenNet.Data.Dataset.CheckIndex(index, owner.Count, $"column '{owner._columnNames[column]}'");
                return owner.DecodeValue(column, index);
            }
        }

        public int Count => owner.Count;

        public IEnumerator<object?> GetEnumerator()
        {
            for (var i = 0; i < owner.Count; i++)
                yield return this[i];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

/// <summary>
/// A row of a <see cref="HubDataset"/> (HF's <c>ds[i]</c>, a dict column → value). Nothing is read until the row is used;
/// then it is decoded and transformed as a batch of one. <see cref="Datasets.CollateDict"/> reads a loader batch's rows
/// together instead, so the transform runs once per batch.
/// </summary>
public sealed class HubRow : IReadOnlyDictionary<string, object?>, IDictionary
{
    private Dictionary<string, object?>? _values;

    internal HubRow(HubDataset dataset, int index)
    {
        Dataset = dataset;
        Index = index;
    }

    /// <summary>The dataset the row belongs to.</summary>
    public HubDataset Dataset { get; }

    /// <summary>The row's index in <see cref="Dataset"/>.</summary>
    public int Index { get; }

    internal bool IsRead => Volatile.Read(ref _values) is not null;

    private Dictionary<string, object?> Values
    {
        get
        {
            if (Volatile.Read(ref _values) is { } v)
                return v;
            var read = Dataset.GetItems(new[] { Index })[0];
            Interlocked.CompareExchange(ref _values, read, null);
            return _values!;
        }
    }

    internal void Fill(Dictionary<string, object?> read) => Interlocked.CompareExchange(ref _values, read, null);

    /// <summary>The value of column <paramref name="key"/>.</summary>
    public object? this[string key] => Values.TryGetValue(key, out var v)
        ? v
        : throw new KeyNotFoundException($"Row {Index} of split '{Dataset.Split}' has no column '{key}'; it has {Features.ListRepr(Values.Keys)}.");

    /// <summary>The value of column <paramref name="key"/> as <typeparamref name="T"/> (e.g. <c>row.Get&lt;Image8&gt;("image")</c>).</summary>
    public T Get<T>(string key) => this[key] is T t ? t : throw new InvalidCastException($"Column '{key}' of row {Index} is a {this[key]?.GetType().Name ?? "null"}, not a {typeof(T).Name}.");

    /// <inheritdoc/>
    public IEnumerable<string> Keys => Values.Keys;

    IEnumerable<object?> IReadOnlyDictionary<string, object?>.Values => Values.Values;

    /// <inheritdoc/>
    public int Count => Values.Count;

    /// <inheritdoc/>
    public bool ContainsKey(string key) => Values.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(string key, out object? value) => Values.TryGetValue(key, out value);

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => Values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Python's dict repr, e.g. <c>{'image': &lt;Image mode=L size=28x28&gt;, 'label': 9}</c>.</summary>
    public override string ToString() => "{" + string.Join(", ", Values.Select(p => $"{ClassLabel.Quote(p.Key)}: {HubDataset.Repr(p.Value)}")) + "}";

    // The non-generic IDictionary is what DefaultCollate recognises; it is read-only.
    private IDictionary Dict => Values;

    bool IDictionary.IsFixedSize => true;

    bool IDictionary.IsReadOnly => true;

    ICollection IDictionary.Keys => Dict.Keys;

    ICollection IDictionary.Values => Dict.Values;

    bool ICollection.IsSynchronized => false;

    object ICollection.SyncRoot => this;

    object? IDictionary.this[object key]
    {
        get => Dict[key];
        set => throw new NotSupportedException("Dataset rows are read-only; use WithTransform to change values.");
    }

    void IDictionary.Add(object key, object? value) => throw new NotSupportedException("Dataset rows are read-only.");

    void IDictionary.Clear() => throw new NotSupportedException("Dataset rows are read-only.");

    bool IDictionary.Contains(object key) => Dict.Contains(key);

    IDictionaryEnumerator IDictionary.GetEnumerator() => Dict.GetEnumerator();

    void IDictionary.Remove(object key) => throw new NotSupportedException("Dataset rows are read-only.");

    void ICollection.CopyTo(Array array, int index) => Dict.CopyTo(array, index);
}
