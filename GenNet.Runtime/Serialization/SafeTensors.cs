using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace GenNet.Serialization;

/// <summary>One tensor's entry in a safetensors header.</summary>
/// <param name="Name">The tensor's name (a state_dict key).</param>
/// <param name="DType">Its dtype.</param>
/// <param name="Shape">Its shape (empty for a zero-dimensional tensor).</param>
/// <param name="Begin">Start of its bytes, relative to the end of the header.</param>
/// <param name="End">End (exclusive) of its bytes.</param>
public sealed record SafeTensorsEntry(string Name, ScalarType DType, long[] Shape, long Begin, long End);

/// <summary>A validated safetensors header: the entries in file order, the metadata and where the bytes start.</summary>
/// <param name="Entries">Entries, ordered by offset.</param>
/// <param name="Metadata">The <c>__metadata__</c> string pairs (empty when absent).</param>
/// <param name="DataStart">File offset of the first tensor byte (8 + header length).</param>
public sealed record SafeTensorsHeader(IReadOnlyList<SafeTensorsEntry> Entries, IReadOnlyDictionary<string, string> Metadata, long DataStart);

/// <summary>
/// Hugging Face's safetensors format: an 8-byte little-endian header length, a JSON header
/// <c>{name: {dtype, shape, data_offsets}, "__metadata__": {string: string}}</c>, then the tensors' raw little-endian
/// bytes. Python reads these files with <c>safetensors.torch.load_file</c> (or a few lines of json + numpy), and the
/// names are the model's state_dict keys, so <c>model.load_state_dict(..., strict=True)</c> needs no renaming.
/// </summary>
/// <remarks>
/// Loading checks the whole header before allocating anything: the header length lies within the file, the JSON is
/// well formed, names are unique, every dtype is known, every shape's byte count equals its offsets' span, and the
/// offsets cover the data section exactly, in order, without gaps or overlaps. Tensors are then filled straight from
/// the file into native memory, so a large file never has a second full copy in managed memory; a bad file is an
/// <see cref="InvalidDataException"/> naming the file and the problem.
/// </remarks>
public static class SafeTensors
{
    /// <summary>The largest header accepted (the reference implementation's limit, 100 MB).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private const string MetadataKey = "__metadata__";

    /// <summary>Writes <paramref name="tensors"/> to <paramref name="path"/> (atomically: temporary file, then rename).</summary>
    /// <param name="path">The file; its folder is created if needed.</param>
    /// <param name="tensors">Named tensors on any device, of any layout (non-contiguous ones are written contiguously).</param>
    /// <param name="metadata">Optional <c>__metadata__</c> string pairs.</param>
    /// <param name="durable">Flush the bytes to disk before the rename (slower; use for checkpoints).</param>
    /// <exception cref="ArgumentException">A name is empty, repeated or <c>__metadata__</c>.</exception>
    /// <exception cref="NotSupportedException">A tensor's dtype has no safetensors name (complex types).</exception>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null, bool durable = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var items = tensors.ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, tensor) in items)
        {
            if (string.IsNullOrEmpty(name) || name == MetadataKey)
                throw new ArgumentException($"'{name}' cannot be a tensor name in a safetensors file.", nameof(tensors));
            if (!seen.Add(name))
                throw new ArgumentException($"Tensor name '{name}' appears twice.", nameof(tensors));
            ArgumentNullException.ThrowIfNull(tensor, name);
            TensorTypes.SizeOf(tensor.dtype, name); // unsupported dtypes fail before any file is created
        }
        // Larger elements first (stable within a size): with the header padded to 8 bytes, every tensor starts at a
        // multiple of its element size, so readers may map it in place (the reference writer orders the same way).
        var ordered = items.Select((item, index) => (item.Key, item.Value, index))
            .OrderByDescending(t => TensorTypes.SizeOf(t.Value.dtype, t.Key)).ThenBy(t => t.index).ToList();
        var header = BuildHeader(ordered.Select(t => (t.Key, t.Value)), metadata);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            stream.Write(header);
            foreach (var (name, tensor, _) in ordered)
            {
                using var scope = NewDisposeScope();
                TensorBytes.Write(stream, tensor.detach().cpu().contiguous());
            }
        }, durable);
    }

    /// <summary>Reads and validates the header of <paramref name="path"/> without reading any tensor.</summary>
    /// <param name="path">A safetensors file.</param>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid safetensors file; the message says why.</exception>
    public static SafeTensorsHeader ReadHeader(string path)
    {
        using var stream = OpenRead(path, out var full);
        return ReadHeader(stream, full);
    }

    /// <summary>Loads every tensor of <paramref name="path"/> onto the CPU.</summary>
    /// <param name="path">A safetensors file.</param>
    /// <returns>The tensors by name, in file order.</returns>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid safetensors file; the message says why.</exception>
    public static Dictionary<string, Tensor> Load(string path) => Load(path, out _);

    /// <summary>Loads every tensor of <paramref name="path"/> onto the CPU, with the file's metadata.</summary>
    /// <param name="path">A safetensors file.</param>
    /// <param name="metadata">The <c>__metadata__</c> pairs (empty when absent).</param>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid safetensors file; the message says why.</exception>
    public static Dictionary<string, Tensor> Load(string path, out IReadOnlyDictionary<string, string> metadata)
    {
        using var stream = OpenRead(path, out var full);
        var header = ReadHeader(stream, full);
        metadata = header.Metadata;
        var result = new Dictionary<string, Tensor>(header.Entries.Count, StringComparer.Ordinal);
        try
        {
            stream.Position = header.DataStart;
            foreach (var entry in header.Entries)
            {
                var tensor = empty(entry.Shape, dtype: entry.DType);
                result.Add(entry.Name, tensor);
                if (!TensorBytes.Read(stream, tensor))
                    throw new InvalidDataException($"'{full}' is not a valid safetensors file: it ended inside tensor '{entry.Name}' (was it changed while being read?).");
            }
            return result;
        }
        catch
        {
            foreach (var t in result.Values)
                t.Dispose();
            throw;
        }
    }

    private static FileStream OpenRead(string path, out string full)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new FileNotFoundException($"Safetensors file '{full}' does not exist.", full);
        // Large reads go straight into the tensors; the small buffer only serves the header.
        return new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096);
    }

    private static byte[] BuildHeader(IEnumerable<(string Name, Tensor Tensor)> ordered, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata)
                    json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, tensor) in ordered)
            {
                var bytes = tensor.NumberOfElements * TensorTypes.SizeOf(tensor.dtype, name);
                json.WriteStartObject(name);
                json.WriteString("dtype", TensorTypes.ToSafeTensors(tensor.dtype, name));
                json.WriteStartArray("shape");
                foreach (var d in tensor.shape)
                    json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }
            json.WriteEndObject();
        }
        // Pad with spaces (valid JSON whitespace) so the data section starts 8-byte aligned.
        while (buffer.Length % 8 != 0)
            buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }

    private static SafeTensorsHeader ReadHeader(FileStream stream, string full)
    {
        string Bad(string problem) => $"'{full}' is not a valid safetensors file: {problem}.";
        var fileLength = stream.Length;
        if (fileLength < 8)
            throw new InvalidDataException(Bad($"it has {fileLength} bytes, fewer than the 8-byte header length"));
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        var claimed = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (claimed > (ulong)(fileLength - 8))
            throw new InvalidDataException(Bad($"the header length {claimed} runs past the end of the file ({fileLength} bytes)"));
        if (claimed > MaxHeaderBytes)
            throw new InvalidDataException(Bad($"the header length {claimed} exceeds the {MaxHeaderBytes}-byte limit"));
        if (claimed < 2)
            throw new InvalidDataException(Bad($"the header length {claimed} is too small for a JSON object"));
        var headerBytes = new byte[(int)claimed]; // bounded by the file size and the limit above
        stream.ReadExactly(headerBytes);
        var dataStart = 8 + (long)claimed;
        var dataLength = fileLength - dataStart;

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(headerBytes, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException(Bad($"the header is not well-formed JSON ({e.Message})"), e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException(Bad($"the header is a JSON {root.ValueKind}, not an object"));
            var names = new HashSet<string>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var entries = new List<SafeTensorsEntry>();
            foreach (var property in root.EnumerateObject())
            {
                var name = property.Name;
                if (!names.Add(name))
                    throw new InvalidDataException(Bad($"the name '{name}' appears twice in the header"));
                if (name == MetadataKey)
                {
                    if (property.Value.ValueKind != JsonValueKind.Object)
                        throw new InvalidDataException(Bad("__metadata__ is not an object of strings"));
                    foreach (var pair in property.Value.EnumerateObject())
                    {
                        if (pair.Value.ValueKind != JsonValueKind.String)
                            throw new InvalidDataException(Bad($"__metadata__ entry '{pair.Name}' is not a string"));
                        if (!metadata.TryAdd(pair.Name, pair.Value.GetString()!))
                            throw new InvalidDataException(Bad($"__metadata__ entry '{pair.Name}' appears twice"));
                    }
                    continue;
                }
                entries.Add(ParseEntry(name, property.Value, Bad));
            }

            entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
            long expected = 0;
            foreach (var entry in entries)
            {
                if (entry.Begin < expected)
                    throw new InvalidDataException(Bad($"tensor '{entry.Name}' (bytes {entry.Begin}..{entry.End}) overlaps the previous tensor, which ends at {expected}"));
                if (entry.Begin > expected)
                    throw new InvalidDataException(Bad($"there is a gap of {entry.Begin - expected} bytes before tensor '{entry.Name}' (offsets must be contiguous)"));
                if (entry.End > dataLength)
                    throw new InvalidDataException(Bad($"tensor '{entry.Name}' ends at byte {entry.End} but the data section has only {dataLength} bytes"));
                expected = entry.End;
            }
            if (expected != dataLength)
                throw new InvalidDataException(Bad($"the tensors cover {expected} bytes but the data section has {dataLength}"));
            return new SafeTensorsHeader(entries, metadata, dataStart);
        }
    }

    private static SafeTensorsEntry ParseEntry(string name, JsonElement value, Func<string, string> bad)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException(bad($"the entry of tensor '{name}' is not an object"));
        string? dtypeName = null;
        long[]? shape = null;
        long[]? offsets = null;
        foreach (var field in value.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype" when field.Value.ValueKind == JsonValueKind.String:
                    dtypeName = field.Value.GetString();
                    break;
                case "shape":
                    shape = ReadIntegers(field.Value, name, "shape", bad, maxCount: 64);
                    break;
                case "data_offsets":
                    offsets = ReadIntegers(field.Value, name, "data_offsets", bad, maxCount: 2);
                    break;
                default:
                    throw new InvalidDataException(bad($"tensor '{name}' has an unexpected field '{field.Name}'"));
            }
        }
        if (dtypeName is null || shape is null || offsets is null)
            throw new InvalidDataException(bad($"tensor '{name}' lacks {(dtypeName is null ? "a string 'dtype'" : shape is null ? "'shape'" : "'data_offsets'")}"));
        if (!TensorTypes.TryFromSafeTensors(dtypeName, out var dtype, out var size))
            throw new InvalidDataException(bad($"tensor '{name}' has dtype '{dtypeName}', which is unknown or unsupported (supported: {TensorTypes.SupportedSafeTensors})"));
        if (offsets.Length != 2 || offsets[0] > offsets[1])
            throw new InvalidDataException(bad($"tensor '{name}' has data_offsets [{string.Join(", ", offsets)}]; expected [begin, end] with begin <= end"));
        var count = TensorTypes.CheckedElementCount(shape);
        long bytes = -1;
        if (count >= 0)
        {
            try
            {
                bytes = checked(count * size);
            }
            catch (OverflowException)
            {
            }
        }
        if (bytes < 0)
            throw new InvalidDataException(bad($"tensor '{name}' claims shape [{string.Join(", ", shape)}], whose size overflows"));
        if (bytes != offsets[1] - offsets[0])
            throw new InvalidDataException(bad($"tensor '{name}' ({dtypeName}, shape [{string.Join(", ", shape)}]) needs {bytes} bytes but its data_offsets span {offsets[1] - offsets[0]}"));
        return new SafeTensorsEntry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] ReadIntegers(JsonElement array, string name, string field, Func<string, string> bad, int maxCount)
    {
        if (array.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException(bad($"tensor '{name}' has a '{field}' that is not an array"));
        var length = array.GetArrayLength();
        if (length > maxCount)
            throw new InvalidDataException(bad($"tensor '{name}' has {length} entries in '{field}' (at most {maxCount})"));
        var values = new long[length];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var v) || v < 0)
                throw new InvalidDataException(bad($"tensor '{name}' has '{field}' entry {item.GetRawText()}, not a non-negative integer"));
            values[i++] = v;
        }
        return values;
    }
}
