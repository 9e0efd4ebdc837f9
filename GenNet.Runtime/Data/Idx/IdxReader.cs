using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using static TorchSharp.torch;

namespace GenNet.Data.Idx;

/// <summary>The element type code in an IDX header (third magic byte).</summary>
public enum IdxElementType : byte
{
    /// <summary>Unsigned byte (0x08), e.g. MNIST pixels and labels.</summary>
    UInt8 = 0x08,

    /// <summary>Signed byte (0x09).</summary>
    Int8 = 0x09,

    /// <summary>Big-endian 16-bit integer (0x0B).</summary>
    Int16 = 0x0B,

    /// <summary>Big-endian 32-bit integer (0x0C).</summary>
    Int32 = 0x0C,

    /// <summary>Big-endian 32-bit float (0x0D).</summary>
    Float32 = 0x0D,

    /// <summary>Big-endian 64-bit float (0x0E).</summary>
    Float64 = 0x0E,
}

/// <summary>
/// The content of one IDX file (the MNIST / Fashion-MNIST format): its element type, dimensions and data, with
/// multi-byte elements already converted to the machine's byte order.
/// </summary>
public sealed class IdxFile
{
    internal IdxFile(string name, IdxElementType elementType, int[] dimensions, byte[] data)
    {
        Name = name;
        ElementType = elementType;
        Dimensions = dimensions;
        Data = data;
    }

    /// <summary>The file the content came from (for messages).</summary>
    public string Name { get; }

    /// <summary>The element type.</summary>
    public IdxElementType ElementType { get; }

    /// <summary>The dimensions, outermost first (e.g. [60000, 28, 28] for images, [60000] for labels).</summary>
    public int[] Dimensions { get; }

    /// <summary>The elements, row-major, in the machine's byte order (for <see cref="IdxElementType.UInt8"/>: one byte each).</summary>
    public byte[] Data { get; }

    /// <summary>The number of items (the first dimension).</summary>
    public int Count => Dimensions[0];

    /// <summary>The number of elements per item (the product of the other dimensions; 1 for a 1-D file).</summary>
    public int ItemLength => Count == 0 ? 0 : Data.Length / IdxReader.ElementSize(ElementType) / Count;

    /// <summary>A new CPU tensor with the file's shape and matching dtype (uint8, int8, int16, int32, float32, float64).</summary>
    public Tensor ToTensor()
    {
        var dtype = ElementType switch
        {
            IdxElementType.UInt8 => ScalarType.Byte,
            IdxElementType.Int8 => ScalarType.Int8,
            IdxElementType.Int16 => ScalarType.Int16,
            IdxElementType.Int32 => ScalarType.Int32,
            IdxElementType.Float32 => ScalarType.Float32,
            _ => ScalarType.Float64,
        };
        var result = empty(Array.ConvertAll(Dimensions, d => (long)d), dtype);
        Data.AsSpan().CopyTo(result.bytes);
        return result;
    }
}

/// <summary>
/// Reads IDX files, plain or gzip-compressed (detected from the content), such as the Fashion-MNIST files of Debian's
/// <c>dataset-fashion-mnist</c> package in /usr/share/datasets/fashion-mnist. The header is validated (magic, element type,
/// dimensions, total size) before anything is allocated, and every error is an <see cref="InvalidDataException"/> naming
/// the file.
/// </summary>
public static class IdxReader
{
    /// <summary>The largest number of dimensions accepted.</summary>
    public const int MaxDimensions = 8;

    /// <summary>Reads the IDX file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid IDX file.</exception>
    public static IdxFile Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var file = File.OpenRead(path);
        return Read(file, path);
    }

    /// <summary>Reads an IDX file from <paramref name="stream"/>; <paramref name="name"/> appears in error messages.
    /// Gzip is detected when the stream can seek.</summary>
    /// <exception cref="InvalidDataException">The content is not a valid IDX file.</exception>
    public static IdxFile Read(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        if (stream.CanSeek && IsGzip(stream))
        {
            using var gzip = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
            try
            {
                return ReadRaw(gzip, name);
            }
            catch (InvalidDataException e) when (!e.Message.Contains(name, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"{name}: the gzip data is corrupt ({e.Message}).", e);
            }
        }
        return ReadRaw(stream, name);
    }

    /// <summary>Reads an image file: 3-D, unsigned bytes ([count, rows, columns]).</summary>
    /// <exception cref="InvalidDataException">The file is not a valid IDX file of that shape.</exception>
    public static IdxFile ReadImages(string path) => Expect(Read(path), 3);

    /// <summary>Reads a label file: 1-D, unsigned bytes ([count]).</summary>
    /// <exception cref="InvalidDataException">The file is not a valid IDX file of that shape.</exception>
    public static IdxFile ReadLabels(string path) => Expect(Read(path), 1);

    /// <summary>Reads a pair of image and label files and checks they hold the same number of items.</summary>
    /// <exception cref="InvalidDataException">A file is invalid or the counts differ.</exception>
    public static (IdxFile Images, IdxFile Labels) ReadImagesAndLabels(string imagesPath, string labelsPath)
    {
        var images = ReadImages(imagesPath);
        var labels = ReadLabels(labelsPath);
        if (images.Count != labels.Count)
            throw new InvalidDataException($"{imagesPath} holds {images.Count} images but {labelsPath} holds {labels.Count} labels.");
        return (images, labels);
    }

    internal static int ElementSize(IdxElementType type) => type switch
    {
        IdxElementType.UInt8 or IdxElementType.Int8 => 1,
        IdxElementType.Int16 => 2,
        IdxElementType.Int32 or IdxElementType.Float32 => 4,
        IdxElementType.Float64 => 8,
        _ => 0,
    };

    private static IdxFile Expect(IdxFile file, int rank)
    {
        if (file.ElementType != IdxElementType.UInt8 || file.Dimensions.Length != rank)
            throw new InvalidDataException(
                $"{file.Name}: expected {rank}-D unsigned bytes, found {file.Dimensions.Length}-D {file.ElementType} [{string.Join(", ", file.Dimensions)}].");
        return file;
    }

    private static bool IsGzip(Stream stream)
    {
        var start = stream.Position;
        Span<byte> magic = stackalloc byte[2];
        var read = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        stream.Position = start;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    private static IdxFile ReadRaw(Stream stream, string name)
    {
        Span<byte> header = stackalloc byte[4];
        var got = stream.ReadAtLeast(header, 4, throwOnEndOfStream: false);
        if (got < 4)
            throw new InvalidDataException($"{name}: too short for an IDX header ({got} bytes, need 4).");
        if (header[0] != 0 || header[1] != 0)
            throw new InvalidDataException(
                $"{name}: not an IDX file (magic starts with 0x{header[0]:X2} 0x{header[1]:X2}, expected 0x00 0x00).");
        var type = (IdxElementType)header[2];
        var elementSize = ElementSize(type);
        if (elementSize == 0)
            throw new InvalidDataException($"{name}: unknown IDX element type 0x{header[2]:X2} (expected 0x08, 0x09, 0x0B, 0x0C, 0x0D or 0x0E).");
        int rank = header[3];
        if (rank is 0 or > MaxDimensions)
            throw new InvalidDataException($"{name}: {rank} dimensions in the IDX header (expected 1 to {MaxDimensions}).");

        Span<byte> dimensionBytes = stackalloc byte[4 * rank];
        got = stream.ReadAtLeast(dimensionBytes, dimensionBytes.Length, throwOnEndOfStream: false);
        if (got < dimensionBytes.Length)
            throw new InvalidDataException($"{name}: the header ends after {4 + got} bytes; {rank} dimensions need {4 + 4 * rank}.");
        var dimensions = new int[rank];
        long total = elementSize;
        for (var d = 0; d < rank; d++)
        {
            dimensions[d] = BinaryPrimitives.ReadInt32BigEndian(dimensionBytes.Slice(4 * d));
            if (dimensions[d] < 0)
                throw new InvalidDataException($"{name}: dimension {d} is negative ({dimensions[d]}).");
            total *= dimensions[d];
            if (total > Array.MaxLength)
                throw new InvalidDataException(
                    $"{name}: dimensions [{string.Join(", ", dimensions[..(d + 1)])}…] exceed the largest supported size ({Array.MaxLength} bytes).");
        }

        var data = new byte[total];
        got = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        if (got < data.Length)
            throw new InvalidDataException(
                $"{name}: truncated: dimensions [{string.Join(", ", dimensions)}] of {type} need {data.Length} data bytes, found {got}.");
        if (stream.ReadByte() >= 0)
            throw new InvalidDataException(
                $"{name}: trailing bytes after the {data.Length} data bytes that dimensions [{string.Join(", ", dimensions)}] of {type} need.");

        if (BitConverter.IsLittleEndian && elementSize > 1)
            ReverseEndianness(data, elementSize);
        return new IdxFile(name, type, dimensions, data);
    }

    private static void ReverseEndianness(byte[] data, int elementSize)
    {
        for (var i = 0; i < data.Length; i += elementSize)
            data.AsSpan(i, elementSize).Reverse();
    }
}
