using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;

namespace GenNet.Hub;

/// <summary>
/// The type of one column, as Hugging Face <c>datasets</c> describes it (<c>features.py</c>): how values are stored
/// and what a row shows when it is read.
/// </summary>
public abstract class FeatureType
{
    private protected FeatureType()
    {
    }

    /// <summary>HF's <c>_type</c> name (<c>Value</c>, <c>ClassLabel</c>, <c>Image</c>).</summary>
    public abstract string TypeName { get; }

    /// <summary>Turns a stored value into what a row shows (a decoded image, a checked label, ...).</summary>
    /// <param name="stored">The stored value (never a decoded one).</param>
    /// <param name="where">Names the file, row and column for error messages.</param>
    internal abstract object? DecodeValue(object? stored, Func<string> where);

    /// <summary>The HF repr, e.g. <c>Value('int64')</c>.</summary>
    public abstract override string ToString();
}

/// <summary>HF's <c>Value(dtype)</c>: a scalar (<c>int8</c>…<c>int64</c>, <c>uint8</c>…, <c>float16/32/64</c>, <c>bool</c>, <c>string</c>, <c>binary</c>).</summary>
public sealed class Value : FeatureType
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
        "float16", "float32", "float64", "string", "large_string", "binary", "large_binary", "null",
    };

    /// <summary>Creates a value feature; HF's aliases <c>float</c> and <c>double</c> become float32 and float64.</summary>
    /// <exception cref="ArgumentException">The dtype is not one HF defines.</exception>
    public Value(string dtype)
    {
        ArgumentNullException.ThrowIfNull(dtype);
        dtype = dtype switch { "float" => "float32", "double" => "float64", _ => dtype };
        if (!Known.Contains(dtype))
            throw new ArgumentException($"Value dtype '{dtype}' is not supported; use one of {string.Join(", ", Known)}.", nameof(dtype));
        DType = dtype;
    }

    /// <summary>The HF dtype name.</summary>
    public string DType { get; }

    /// <inheritdoc/>
    public override string TypeName => "Value";

    internal override object? DecodeValue(object? stored, Func<string> where) => stored;

    /// <inheritdoc/>
    public override string ToString() => $"Value('{DType}')";
}

/// <summary>
/// HF's <c>ClassLabel</c>: integer labels with names. <see cref="Int2Str(long)"/> and <see cref="Str2Int(string)"/> convert
/// both ways, for one value or many; -1 means "no label" as in HF.
/// </summary>
public sealed class ClassLabel : FeatureType
{
    private readonly string[] _names;
    private readonly Dictionary<string, int> _indexOf;

    /// <summary>Creates a class label from its names (in label order).</summary>
    /// <exception cref="ArgumentException">The list is empty or holds a duplicate.</exception>
    public ClassLabel(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        _names = names.ToArray();
        _indexOf = new Dictionary<string, int>(_names.Length, StringComparer.Ordinal);
        for (var i = 0; i < _names.Length; i++)
        {
            if (!_indexOf.TryAdd(_names[i] ?? throw new ArgumentException($"Class name {i} is null.", nameof(names)), i))
                throw new ArgumentException($"Class name '{_names[i]}' appears twice (labels {_indexOf[_names[i]]} and {i}).", nameof(names));
        }
    }

    /// <summary>Creates a class label with <paramref name="numClasses"/> classes named "0", "1", … (HF's default).</summary>
    public ClassLabel(int numClasses)
        : this(Enumerable.Range(0, numClasses >= 0 ? numClasses : throw new ArgumentOutOfRangeException(nameof(numClasses))).Select(i => i.ToString(CultureInfo.InvariantCulture)))
    {
    }

    /// <summary>The class names in label order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>The number of classes.</summary>
    public int NumClasses => _names.Length;

    /// <inheritdoc/>
    public override string TypeName => "ClassLabel";

    /// <summary>The name of label <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The label is outside [0, <see cref="NumClasses"/>).</exception>
    public string Int2Str(long value)
    {
        if (value < 0 || value >= _names.Length)
            throw new ArgumentOutOfRangeException(nameof(value), value, $"Invalid integer class label {value}: ClassLabel has {_names.Length} classes (0–{_names.Length - 1}).");
        return _names[value];
    }

    /// <summary>The names of many labels (HF's <c>int2str(list)</c>).</summary>
    public IReadOnlyList<string> Int2Str(IEnumerable<long> values) => values.Select(Int2Str).ToArray();

    /// <summary>The names of many labels (HF's <c>int2str(list)</c>).</summary>
    public IReadOnlyList<string> Int2Str(long[] values) => Int2Str((IEnumerable<long>)values);

    /// <summary>The names of many labels (HF's <c>int2str(list)</c>).</summary>
    public IReadOnlyList<string> Int2Str(int[] values) => Int2Str((IEnumerable<int>)values);

    /// <summary>The names of many labels (HF's <c>int2str(list)</c>).</summary>
    public IReadOnlyList<string> Int2Str(IEnumerable<int> values) => values.Select(v => Int2Str(v)).ToArray();

    /// <summary>The names of the labels in a 1-D integer tensor (a batch's <c>yb</c>).</summary>
    public IReadOnlyList<string> Int2Str(TorchSharp.torch.Tensor values)
    {
        ArgumentNullException.ThrowIfNull(values);
        using var cpu = values.to(TorchSharp.torch.CPU).to_type(TorchSharp.torch.ScalarType.Int64);
        return Int2Str((IEnumerable<long>)cpu.data<long>().ToArray());
    }

    /// <summary>The label of class <paramref name="name"/>; a string of digits in range is taken as the label itself (as HF).</summary>
    /// <exception cref="ArgumentException">The name is not a class of this label.</exception>
    public int Str2Int(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_indexOf.TryGetValue(name, out var index))
            return index;
        if (_indexOf.TryGetValue(name.Trim(), out index))
            return index;
        if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number < _names.Length)
            return number;
        throw new ArgumentException($"Invalid string class label '{name}': not one of [{string.Join(", ", _names.Select(Quote))}].", nameof(name));
    }

    /// <summary>The labels of many class names (HF's <c>str2int(list)</c>).</summary>
    public IReadOnlyList<int> Str2Int(IEnumerable<string> values) => values.Select(Str2Int).ToArray();

    internal override object? DecodeValue(object? stored, Func<string> where)
    {
        if (stored is null)
            return null;
        var value = System.Convert.ToInt64(stored, CultureInfo.InvariantCulture);
        if (value < -1 || value >= _names.Length)
            throw new System.IO.InvalidDataException($"{where()}: label {value} is outside ClassLabel(num_classes={_names.Length}) (0–{_names.Length - 1}, or -1 for none).");
        return value;
    }

    /// <inheritdoc/>
    public override string ToString() => $"ClassLabel(names=[{string.Join(", ", _names.Select(Quote))}])";

    internal static string Quote(string s) => "'" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
}

/// <summary>
/// HF's <c>Image</c> feature: stored as <c>{bytes, path}</c> (PNG/JPEG bytes or a file path); read as a decoded
/// <see cref="Imaging.Image8"/>, converted to <see cref="Mode"/> when set. With <see cref="Decode"/> off, rows show the
/// stored <see cref="EncodedImage"/>.
/// </summary>
public sealed class ImageFeature : FeatureType
{
    /// <summary>Creates an image feature.</summary>
    /// <param name="mode">A PIL mode to convert to (<c>L</c>, <c>RGB</c>, ...), or <see langword="null"/> to keep the file's.</param>
    /// <param name="decode">Decode on access (HF's default) or show the stored bytes.</param>
    public ImageFeature(string? mode = null, bool decode = true)
    {
        if (mode is not null)
            Imaging.ImageCodec.ChannelsOf(mode);
        Mode = mode;
        Decode = decode;
    }

    /// <summary>The mode images are converted to, or <see langword="null"/>.</summary>
    public string? Mode { get; }

    /// <summary>Whether rows show decoded images.</summary>
    public bool Decode { get; }

    /// <inheritdoc/>
    public override string TypeName => "Image";

    /// <summary>Base folder for images stored as relative paths (set by the loader to the data file's folder).</summary>
    internal string? BaseFolder { get; init; }

    internal override object? DecodeValue(object? stored, Func<string> where)
    {
        if (stored is null || !Decode)
            return stored;
        var encoded = (EncodedImage)stored;
        try
        {
            var image = encoded.Decode(BaseFolder);
            return Mode is null ? image : Imaging.ImageCodec.Convert(image, Mode);
        }
        catch (Exception e) when (e is System.IO.InvalidDataException or System.IO.IOException or UnauthorizedAccessException)
        {
            throw new System.IO.InvalidDataException($"{where()}: {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"Image(mode={(Mode is null ? "None" : ClassLabel.Quote(Mode))}, decode={(Decode ? "True" : "False")})";
}

/// <summary>
/// An image as a dataset stores it: encoded bytes (PNG/JPEG), a path to such a file, or raw pixels (IDX sources).
/// </summary>
/// <param name="Bytes">The encoded file, or <see langword="null"/>.</param>
/// <param name="Path">The file's path (absolute, or relative to the data file's folder), or <see langword="null"/>.</param>
/// <param name="Raw">Already decoded pixels, or <see langword="null"/>.</param>
public sealed record EncodedImage(byte[]? Bytes, string? Path, Imaging.Image8? Raw = null)
{
    /// <summary>Grayscale pixels inside a shared block (IDX sources): copied out only when the row is read.</summary>
    internal (byte[] Pixels, int Offset, int Height, int Width)? Block { get; init; }

    /// <summary>Decodes the image (reading the file when only a path is stored).</summary>
    /// <exception cref="System.IO.InvalidDataException">Nothing is stored, or the bytes are not an image.</exception>
    public Imaging.Image8 Decode(string? baseFolder = null)
    {
        if (Raw is { } raw)
            return raw;
        if (Block is { } block)
            return new Imaging.Image8(block.Pixels.AsSpan(block.Offset, block.Height * block.Width).ToArray(), block.Width, block.Height, 1);
        if (Bytes is { } bytes)
            return Imaging.ImageCodec.Decode(bytes);
        if (Path is { } path)
        {
            var full = System.IO.Path.IsPathRooted(path) || baseFolder is null ? path : System.IO.Path.Combine(baseFolder, path);
            return Imaging.ImageCodec.Decode(System.IO.File.ReadAllBytes(full));
        }
        throw new System.IO.InvalidDataException("The image has neither bytes nor a path.");
    }
}

/// <summary>
/// HF's <c>Features</c>: the dataset's columns and their types, in column order. Prints as HF prints it:
/// <c>{'image': Image(mode=None, decode=True), 'label': ClassLabel(names=[...])}</c>.
/// </summary>
public sealed class Features : IReadOnlyDictionary<string, FeatureType>
{
    private readonly List<KeyValuePair<string, FeatureType>> _items;
    private readonly Dictionary<string, FeatureType> _byName;

    /// <summary>Creates features from (name, type) pairs in column order.</summary>
    /// <exception cref="ArgumentException">A name appears twice.</exception>
    public Features(IEnumerable<KeyValuePair<string, FeatureType>> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        _items = columns.ToList();
        _byName = new Dictionary<string, FeatureType>(StringComparer.Ordinal);
        foreach (var (name, type) in _items)
        {
            if (!_byName.TryAdd(name, type ?? throw new ArgumentException($"Feature '{name}' has no type.", nameof(columns))))
                throw new ArgumentException($"Feature '{name}' appears twice.", nameof(columns));
        }
    }

    /// <summary>The column names in order (what Python's <c>x, y = features</c> unpacks).</summary>
    public IReadOnlyList<string> Names => _items.ConvertAll(p => p.Key);

    /// <inheritdoc/>
    public FeatureType this[string key] => _byName.TryGetValue(key, out var type)
        ? type
        : throw new KeyNotFoundException($"No feature '{key}'; the features are [{string.Join(", ", _items.Select(p => ClassLabel.Quote(p.Key)))}].");

    /// <inheritdoc/>
    public IEnumerable<string> Keys => Names;

    /// <inheritdoc/>
    public IEnumerable<FeatureType> Values => _items.Select(p => p.Value);

    /// <inheritdoc/>
    public int Count => _items.Count;

    /// <inheritdoc/>
    public bool ContainsKey(string key) => _byName.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(string key, out FeatureType value) => _byName.TryGetValue(key, out value!);

    /// <summary>Deconstructs two column names (Python's <c>x, y = ds_builder.info.features</c>).</summary>
    public void Deconstruct(out string first, out string second)
    {
        if (_items.Count != 2)
            throw new InvalidOperationException($"Cannot unpack {_items.Count} features into two names.");
        (first, second) = (_items[0].Key, _items[1].Key);
    }

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, FeatureType>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public override string ToString() => "{" + string.Join(", ", _items.Select(p => $"{ClassLabel.Quote(p.Key)}: {p.Value}")) + "}";

    /// <summary>Reads HF's JSON form (<c>{"label": {"names": [...], "_type": "ClassLabel"}, ...}</c>).</summary>
    /// <exception cref="FormatException">A feature is malformed or of a type GenNet does not read.</exception>
    public static Features FromJson(JsonObject json, string source)
    {
        var columns = new List<KeyValuePair<string, FeatureType>>();
        foreach (var (name, node) in json)
            columns.Add(new(name, FeatureFromJson(node as JsonObject ?? throw new FormatException($"{source}: feature '{name}' is not an object."), name, source)));
        return new Features(columns);
    }

    private static FeatureType FeatureFromJson(JsonObject o, string name, string source)
    {
        var type = (string?)o["_type"];
        switch (type)
        {
            case "Value":
                return new Value((string?)o["dtype"] ?? throw new FormatException($"{source}: Value feature '{name}' has no dtype."));
            case "ClassLabel":
                if (o["names"] is JsonArray names)
                    return new ClassLabel(names.Select(n => (string?)n ?? ""));
                if (o["num_classes"] is { } count)
                    return new ClassLabel((int)count);
                throw new FormatException($"{source}: ClassLabel feature '{name}' has neither names nor num_classes.");
            case "Image":
                return new ImageFeature((string?)o["mode"], o["decode"] is { } d ? (bool)d : true);
            default:
                throw new FormatException($"{source}: feature '{name}' has type '{type ?? "(none)"}'; GenNet reads Value, ClassLabel and Image.");
        }
    }

    /// <summary>Writes HF's JSON form (what <c>datasets</c> stores in a parquet file's <c>huggingface</c> metadata).</summary>
    public JsonObject ToJson()
    {
        var result = new JsonObject();
        foreach (var (name, type) in _items)
        {
            result[name] = type switch
            {
                Value v => new JsonObject { ["dtype"] = v.DType, ["_type"] = "Value" },
                ClassLabel c => new JsonObject { ["names"] = new JsonArray(c.Names.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray()), ["_type"] = "ClassLabel" },
                ImageFeature => new JsonObject { ["_type"] = "Image" },
                _ => throw new InvalidOperationException(type.GetType().Name),
            };
        }
        return result;
    }

    /// <summary>Python's repr of a list of strings, e.g. <c>['image', 'label']</c>.</summary>
    public static string ListRepr(IEnumerable<string> names) => "[" + string.Join(", ", names.Select(ClassLabel.Quote)) + "]";

    internal static string Indent(string text, string prefix)
    {
        var sb = new StringBuilder();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0)
                sb.Append('\n').Append(prefix);
            sb.Append(lines[i]);
        }
        return sb.ToString();
    }
}
