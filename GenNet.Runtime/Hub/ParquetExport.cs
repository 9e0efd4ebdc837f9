using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using GenNet.Imaging;
using Parquet;
using Parquet.Schema;

namespace GenNet.Hub;

/// <summary>Writes a split as HF <c>datasets</c> does (<c>Dataset.to_parquet</c>).</summary>
internal static class ParquetExport
{
    public static async Task WriteAsync(HubDataset dataset, string path, int rowsPerGroup, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rowsPerGroup, 1);
        var fields = new List<Field>();
        foreach (var (name, feature) in dataset.Features)
        {
            fields.Add(feature switch
            {
                ImageFeature => new StructField(name, new DataField<byte[]>("bytes", true), new DataField<string>("path", true)),
                ClassLabel => new DataField<long>(name),
                Value { DType: "bool" } => new DataField<bool>(name),
                Value { DType: "float16" or "float32" } => new DataField<float?>(name),
                Value { DType: "float64" } => new DataField<double?>(name),
                Value { DType: "string" or "large_string" } => new DataField<string>(name, true),
                Value { DType: "binary" or "large_binary" } => new DataField<byte[]>(name, true),
                Value => new DataField<long?>(name),
                _ => throw new InvalidOperationException(feature.GetType().Name),
            });
        }
        var schema = new ParquetSchema(fields);
        var temp = path + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None))
        {
            await using var writer = await ParquetWriter.CreateAsync(schema, stream, cancellationToken: ct).ConfigureAwait(false);
            writer.CustomMetadata = new Dictionary<string, string>
            {
                ["huggingface"] = new JsonObject { ["info"] = new JsonObject { ["features"] = dataset.Features.ToJson() } }.ToJsonString(),
            };
            var dataFields = schema.GetDataFields();
            for (var start = 0; start < dataset.Count || (start == 0 && dataset.Count == 0); start += rowsPerGroup)
            {
                var n = Math.Min(rowsPerGroup, dataset.Count - start);
                using var group = writer.CreateRowGroup();
                var leaf = 0;
                for (var c = 0; c < dataset.ColumnNames.Count; c++)
                {
                    var values = new object?[n];
                    for (var i = 0; i < n; i++)
                        values[i] = dataset.Stored(c, start + i);
                    switch (dataset.Features[dataset.ColumnNames[c]])
                    {
                        case ImageFeature:
                            var encoded = new EncodedImage?[n];
                            System.Threading.Tasks.Parallel.For(0, n, i => encoded[i] = Encode(values[i] as EncodedImage));
                            await group.WriteAsync(dataFields[leaf++], encoded.Select(e => e?.Bytes!).ToList()).ConfigureAwait(false);
                            await group.WriteAsync(dataFields[leaf++], encoded.Select(e => e?.Path!).ToList()).ConfigureAwait(false);
                            break;
                        case ClassLabel:
                            await group.WriteAsync<long>(dataFields[leaf++], values.Select(v => System.Convert.ToInt64(v, CultureInfo.InvariantCulture)).ToArray(), cancellationToken: ct).ConfigureAwait(false);
                            break;
                        case Value { DType: "bool" }:
                            await group.WriteAsync<bool>(dataFields[leaf++], values.Select(v => v is true).ToArray(), cancellationToken: ct).ConfigureAwait(false);
                            break;
                        case Value { DType: "float16" or "float32" }:
                            await group.WriteAsync<float>(dataFields[leaf++], values.Select(v => v is null ? (float?)null : System.Convert.ToSingle(v, CultureInfo.InvariantCulture)).ToArray(), cancellationToken: ct).ConfigureAwait(false);
                            break;
                        case Value { DType: "float64" }:
                            await group.WriteAsync<double>(dataFields[leaf++], values.Select(v => v is null ? (double?)null : System.Convert.ToDouble(v, CultureInfo.InvariantCulture)).ToArray(), cancellationToken: ct).ConfigureAwait(false);
                            break;
                        case Value { DType: "string" or "large_string" }:
                            await group.WriteAsync(dataFields[leaf++], values.Select(v => (string)v!).ToList()).ConfigureAwait(false);
                            break;
                        case Value { DType: "binary" or "large_binary" }:
                            await group.WriteAsync(dataFields[leaf++], values.Select(v => (byte[])v!).ToList()).ConfigureAwait(false);
                            break;
                        default:
                            await group.WriteAsync<long>(dataFields[leaf++], values.Select(v => v is null ? (long?)null : System.Convert.ToInt64(v, CultureInfo.InvariantCulture)).ToArray(), cancellationToken: ct).ConfigureAwait(false);
                            break;
                    }
                }
                if (dataset.Count == 0)
                    break;
            }
        }
        File.Move(temp, path, overwrite: true);
    }

    private static EncodedImage? Encode(EncodedImage? image) => image switch
    {
        null => null,
        { Bytes: not null } => image with { Raw = null },
        { Raw: { } raw } => new EncodedImage(Png.Encode(raw.Pixels, raw.Width, raw.Height, raw.Channels), null),
        { Path: null } => Encode(new EncodedImage(null, null, image.Decode())),
        _ => image,
    };
}
