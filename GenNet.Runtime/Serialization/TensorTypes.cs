using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using static TorchSharp.torch;

namespace GenNet.Serialization;

/// <summary>The dtypes both file formats can hold, with their names in each format.</summary>
internal static class TensorTypes
{
    private static readonly (ScalarType Type, string SafeTensors, string Storage, int Size)[] Table =
    {
        (ScalarType.Float64, "F64", "DoubleStorage", 8),
        (ScalarType.Float32, "F32", "FloatStorage", 4),
        (ScalarType.Float16, "F16", "HalfStorage", 2),
        (ScalarType.BFloat16, "BF16", "BFloat16Storage", 2),
        (ScalarType.Int64, "I64", "LongStorage", 8),
        (ScalarType.Int32, "I32", "IntStorage", 4),
        (ScalarType.Int16, "I16", "ShortStorage", 2),
        (ScalarType.Int8, "I8", "CharStorage", 1),
        (ScalarType.Byte, "U8", "ByteStorage", 1),
        (ScalarType.Bool, "BOOL", "BoolStorage", 1),
    };

    public static string SupportedSafeTensors => string.Join(", ", Table.Select(t => t.SafeTensors));

    public static bool TryFromSafeTensors(string name, out ScalarType type, out int size)
    {
        foreach (var row in Table)
            if (row.SafeTensors == name)
            {
                (type, size) = (row.Type, row.Size);
                return true;
            }
        (type, size) = (default, 0);
        return false;
    }

    public static bool TryFromStorage(string name, out ScalarType type, out int size)
    {
        foreach (var row in Table)
            if (row.Storage == name)
            {
                (type, size) = (row.Type, row.Size);
                return true;
            }
        (type, size) = (default, 0);
        return false;
    }

    public static string ToSafeTensors(ScalarType type, string name) => Row(type, name).SafeTensors;

    public static string ToStorage(ScalarType type, string name) => Row(type, name).Storage;

    public static int SizeOf(ScalarType type, string name) => Row(type, name).Size;

    private static (ScalarType Type, string SafeTensors, string Storage, int Size) Row(ScalarType type, string name)
    {
        foreach (var row in Table)
            if (row.Type == type)
                return row;
        throw new NotSupportedException($"Tensor '{name}' has dtype {type}, which safetensors and PyTorch state_dict files of GenNet do not support (supported: {string.Join(", ", Table.Select(t => t.Type))}).");
    }

    /// <summary>Elements of a shape, or -1 when the product does not fit in a long.</summary>
    public static long CheckedElementCount(IReadOnlyList<long> shape)
    {
        long n = 1;
        foreach (var d in shape)
        {
            if (d < 0)
                return -1;
            try
            {
                n = checked(n * d);
            }
            catch (OverflowException)
            {
                return -1;
            }
        }
        return n;
    }
}

/// <summary>Moves a tensor's bytes between a stream and native memory without a managed copy of the tensor.</summary>
internal static class TensorBytes
{
    // Span lengths are ints: tensors above this size go through in slices of one flat view.
    private const long ChunkBytes = 1L << 30;

    /// <summary>Writes a contiguous CPU tensor's bytes.</summary>
    public static void Write(Stream stream, Tensor contiguousCpu)
    {
        var total = contiguousCpu.NumberOfElements * contiguousCpu.ElementSize;
        if (total == 0)
            return;
        if (total <= ChunkBytes)
        {
            stream.Write(contiguousCpu.bytes);
            return;
        }
        using var flat = contiguousCpu.reshape(-1);
        var perChunk = ChunkBytes / contiguousCpu.ElementSize;
        for (long start = 0; start < flat.NumberOfElements; start += perChunk)
        {
            using var slice = flat.narrow(0, start, Math.Min(perChunk, flat.NumberOfElements - start));
            stream.Write(slice.bytes);
        }
    }

    /// <summary>Fills a freshly allocated contiguous CPU tensor from the stream; false when the stream ends first.</summary>
    public static bool Read(Stream stream, Tensor destination)
    {
        var total = destination.NumberOfElements * destination.ElementSize;
        if (total == 0)
            return true;
        if (total <= ChunkBytes)
            return ReadExactly(stream, destination.bytes);
        using var flat = destination.reshape(-1);
        var perChunk = ChunkBytes / destination.ElementSize;
        for (long start = 0; start < flat.NumberOfElements; start += perChunk)
        {
            using var slice = flat.narrow(0, start, Math.Min(perChunk, flat.NumberOfElements - start));
            if (!ReadExactly(stream, slice.bytes))
                return false;
        }
        return true;
    }

    private static bool ReadExactly(Stream stream, Span<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            var n = stream.Read(buffer);
            if (n == 0)
                return false;
            buffer = buffer[n..];
        }
        return true;
    }
}
