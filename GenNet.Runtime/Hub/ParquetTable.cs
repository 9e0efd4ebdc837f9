using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Parquet;
using Parquet.Data;
using Parquet.Schema;

namespace GenNet.Hub;

/// <summary>
/// Columns of stored values (never decoded): encoded images as <see cref="EncodedImage"/>, numbers boxed, strings,
/// byte arrays. One per data file; a split concatenates its shards.
/// </summary>
internal sealed class StoredTable
{
    public StoredTable(string source, IReadOnlyList<string> columnNames, IReadOnlyList<object?[]> columns, int rowCount, Features? features)
    {
        Source = source;
        ColumnNames = columnNames;
        Columns = columns;
        RowCount = rowCount;
        Features = features;
    }

    /// <summary>The file the rows came from (for error messages).</summary>
    public string Source { get; }

    public IReadOnlyList<string> ColumnNames { get; }

    public IReadOnlyList<object?[]> Columns { get; }

    public int RowCount { get; }

    /// <summary>The features the file itself declares (parquet <c>huggingface</c> metadata), if any.</summary>
    public Features? Features { get; }

    /// <summary>For IDX sources: the image column's pixels as one contiguous block (rows of height × width bytes), so
    /// <see cref="HubDataset.ToTensors"/> copies it once instead of image by image.</summary>
    public (int Column, byte[] Pixels, int Height, int Width)? RawImageBlock { get; init; }

    public object?[]? Column(string name)
    {
        for (var i = 0; i < ColumnNames.Count; i++)
        {
            if (ColumnNames[i] == name)
                return Columns[i];
        }
        return null;
    }
}

/// <summary>Reads parquet files as HF <c>datasets</c> writes them (images as <c>struct&lt;bytes, path&gt;</c>).</summary>
internal static class ParquetTable
{
    /// <summary>Reads every row group of <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not readable parquet, or a column has a type GenNet does not read.</exception>
    public static async Task<StoredTable> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: false);
            await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            var fields = reader.Schema.Fields;
            var names = fields.Select(f => f.Name).ToList();
            var parts = names.Select(_ => new List<object?[]>()).ToList();
            var rows = 0L;
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                var count = checked((int)group.RowCount);
                for (var c = 0; c < fields.Count; c++)
                    parts[c].Add(await ReadFieldAsync(group, fields[c], count, path, cancellationToken).ConfigureAwait(false));
                rows += count;
            }
            if (rows > int.MaxValue)
                throw new InvalidDataException($"'{path}' has {rows} rows; a split holds at most {int.MaxValue}.");
            var columns = parts.Select(p => p.Count == 1 ? p[0] : p.SelectMany(x => x).ToArray()).ToList();
            Features? features = null;
            if (reader.CustomMetadata is { } meta && meta.TryGetValue("huggingface", out var hf))
                features = FeaturesFromMetadata(hf, path);
            return new StoredTable(path, names, columns, (int)rows, features);
        }
        catch (Exception e) when (e is not InvalidDataException and not OperationCanceledException and not FileNotFoundException and not UnauthorizedAccessException)
        {
            throw new InvalidDataException($"'{path}' is not a readable parquet file: {e.Message}", e);
        }
    }

    /// <summary>The total row count of <paramref name="paths"/> from their footers (-1 when one is unreadable).</summary>
    public static long CountRows(IEnumerable<string> paths)
    {
        long total = 0;
        foreach (var path in paths)
        {
            try
            {
                using var stream = File.OpenRead(path);
                var reader = ParquetReader.CreateAsync(stream, leaveStreamOpen: true).GetAwaiter().GetResult();
                try
                {
                    for (var g = 0; g < reader.RowGroupCount; g++)
                    {
                        using var group = reader.OpenRowGroupReader(g);
                        total += group.RowCount;
                    }
                }
                finally
                {
                    reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
                }
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or InvalidOperationException or UnauthorizedAccessException)
            {
                return -1;
            }
        }
        return total;
    }

    private static Features? FeaturesFromMetadata(string json, string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}': the 'huggingface' schema metadata is not JSON: {e.Message}", e);
        }
        if (root?["info"]?["features"] is not JsonObject features)
            return null;
        try
        {
            return Features.FromJson(features, $"'{path}' (huggingface metadata)");
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidDataException(e.Message, e);
        }
    }

    private static async Task<object?[]> ReadFieldAsync(ParquetRowGroupReader group, Field field, int rows, string path, CancellationToken ct)
    {
        switch (field)
        {
            case DataField data:
                return await ReadLeafAsync(group, data, rows, ct).ConfigureAwait(false);
            case StructField s when s.Fields.Any(f => f.Name == "bytes") && s.Fields.All(f => f is DataField && f.Name is "bytes" or "path"):
                var bytesField = (DataField?)s.Fields.FirstOrDefault(f => f.Name == "bytes");
                var pathField = (DataField?)s.Fields.FirstOrDefault(f => f.Name == "path");
                var bytes = bytesField is null ? new object?[rows] : await ReadLeafAsync(group, bytesField, rows, ct).ConfigureAwait(false);
                var paths = pathField is null ? new object?[rows] : await ReadLeafAsync(group, pathField, rows, ct).ConfigureAwait(false);
                var images = new object?[rows];
                for (var i = 0; i < rows; i++)
                {
                    if (bytes[i] is not null || paths[i] is not null)
                        images[i] = new EncodedImage(bytes[i] as byte[], paths[i] as string);
                }
                return images;
            default:
                throw new InvalidDataException(
                    $"'{path}': column '{field.Name}' is a {field.SchemaType} field; GenNet reads scalar columns and image structs (bytes, path).");
        }
    }

    private static async Task<object?[]> ReadLeafAsync(ParquetRowGroupReader group, DataField field, int rows, CancellationToken ct)
    {
        using var raw = await group.ReadRawColumnDataBaseAsync(field, ct).ConfigureAwait(false);
        var maxDef = field.MaxDefinitionLevel;
        return raw switch
        {
            RawColumnData<long> r => Expand(r.Values, maxDef == 0 ? default : raw.DefinitionLevels, maxDef, rows, v => v),
            RawColumnData<int> r => Expand(r.Values, maxDef == 0 ? default : raw.DefinitionLevels, maxDef, rows, v => (long)v),
            RawColumnData<short> r => Expand(r.Values, maxDef == 0 ? default : raw.DefinitionLevels, maxDef, rows, v => (long)v),
            RawColumnData<sbyte> r => Expand(r.Values, maxDef == 0 ? default : raw.DefinitionLevels, maxDef, rows, v => (long)v),
            RawColumnData<byte> r => Expand(r.Values, maxDef == 0 ? default : raw.DefinitionLevels, maxDef, rows, v => (long)v),
            RawColumnData<ushort> r => Expand(r.Values, maxDef == 0 ? default : raw.DefinitionLevels, maxDef, rows, v => (long)v),
            RawColumnData<uint> r => Expand(r.Values, maxDef == 0 ? default : raw.DefinitionLevels, maxDef, rows, v => (long)v),
            RawColumnData<ulong> r => Expand(r.Values, maxDef == 0 ? default : raw.DefinitionLevels, maxDef, rows, v => (long)v),
            RawColumnData<double> r => Expand(r.Values, maxDef == 0 ? default : raw.DefinitionLevels, maxDef, rows, v => v),
            RawColumnData<float> r => Expand(r.Values, maxDef == 0 ? default : raw.DefinitionLevels, maxDef, rows, v => (double)v),
            RawColumnData<bool> r => Expand(r.Values, maxDef == 0 ? default : raw.DefinitionLevels, maxDef, rows, v => v),
            RawColumnData<ReadOnlyMemory<char>> r => Expand(r.Values, maxDef == 0 ? default : raw.DefinitionLevels, maxDef, rows, v => v.ToString()),
            RawColumnData<ReadOnlyMemory<byte>> r => Expand(r.Values, maxDef == 0 ? default : raw.DefinitionLevels, maxDef, rows, v => v.ToArray()),
            _ => throw new InvalidDataException($"column '{field.Path}' has values of type {field.ClrType}, which GenNet does not read."),
        };
    }

    private static object?[] Expand<T>(ReadOnlySpan<T> values, ReadOnlySpan<int> definitionLevels, int maxDefinition, int rows, Func<T, object> box)
    {
        var result = new object?[rows];
        if (maxDefinition == 0 || definitionLevels.Length == 0)
        {
            if (values.Length < rows)
                throw new InvalidDataException($"a column holds {values.Length} values for {rows} rows.");
            for (var i = 0; i < rows; i++)
                result[i] = box(values[i]);
            return result;
        }
        var defs = definitionLevels;
        if (defs.Length < rows)
            throw new InvalidDataException($"a column holds {defs.Length} definition levels for {rows} rows (nested lists are not read).");
        var next = 0;
        for (var i = 0; i < rows; i++)
        {
            if (defs[i] == maxDefinition)
                result[i] = box(values[next++]);
        }
        return result;
    }
}
