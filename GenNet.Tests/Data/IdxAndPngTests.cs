using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using GenNet.Data.Idx;
using GenNet.Imaging;
using Xunit;
using static TorchSharp.torch;

namespace GenNet.Tests.Data;

public sealed class IdxAndPngTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gennet-idx-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static byte[] Idx(byte type, int[] dims, byte[] data)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        bytes[2] = type;
        bytes[3] = (byte)dims.Length;
        for (var d = 0; d < dims.Length; d++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), dims[d]);
        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    private string Write(string name, byte[] content, bool gzip)
    {
        var path = Path.Combine(_directory, name);
        if (gzip)
        {
            using var file = File.Create(path);
            using var zip = new GZipStream(file, CompressionLevel.Fastest);
            zip.Write(content);
        }
        else
        {
            File.WriteAllBytes(path, content);
        }
        return path;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ImagesAndLabelsRoundTripPlainOrGzip(bool gzip)
    {
        var pixels = new byte[3 * 2 * 4];
        for (var i = 0; i < pixels.Length; i++)
            pixels[i] = (byte)i;
        var images = Write("img", Idx(0x08, [3, 2, 4], pixels), gzip);
        var labels = Write("lbl", Idx(0x08, [3], [7, 8, 9]), gzip);
        var (x, y) = IdxReader.ReadImagesAndLabels(images, labels);
        Assert.Equal(new[] { 3, 2, 4 }, x.Dimensions);
        Assert.Equal(8, x.ItemLength);
        Assert.Equal(pixels, x.Data);
        Assert.Equal(new byte[] { 7, 8, 9 }, y.Data);
        using var t = x.ToTensor();
        Assert.Equal(new long[] { 3, 2, 4 }, t.shape);
        Assert.Equal(ScalarType.Byte, t.dtype);
        Assert.Equal(pixels, t.data<byte>().ToArray());
    }

    [Fact]
    public void MultiByteElementsAreReadBigEndian()
    {
        var data = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(data, -5);
        BinaryPrimitives.WriteSingleBigEndian(data.AsSpan(4), 0f);
        var file = IdxReader.Read(Write("ints", Idx(0x0C, [2], data), gzip: false));
        using var t = file.ToTensor();
        Assert.Equal(new[] { -5, 0 }, t.data<int>().ToArray());
    }

    [Fact]
    public void BadFilesAreRejectedWithTheirName()
    {
        var badMagic = Write("bad-magic", [1, 0, 8, 1, 0, 0, 0, 1, 5], gzip: false);
        Assert.Contains("bad-magic", Assert.Throws<InvalidDataException>(() => IdxReader.Read(badMagic)).Message);

        var badType = Write("bad-type", Idx(0x07, [1], [5]), gzip: false);
        Assert.Contains("element type 0x07", Assert.Throws<InvalidDataException>(() => IdxReader.Read(badType)).Message);

        var truncated = Write("truncated", Idx(0x08, [10, 28, 28], new byte[100]), gzip: true);
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Read(truncated));
        Assert.Contains("truncated", error.Message);
        Assert.Contains("7840", error.Message);

        var trailing = Write("trailing", [.. Idx(0x08, [2], [1, 2]), 3], gzip: false);
        Assert.Contains("trailing", Assert.Throws<InvalidDataException>(() => IdxReader.Read(trailing)).Message);

        // A huge header must fail before the allocation it describes.
        var huge = Write("huge", Idx(0x08, [100000, 100000, 1000], []), gzip: false);
        Assert.Contains("exceed", Assert.Throws<InvalidDataException>(() => IdxReader.Read(huge)).Message);

        var labels = Write("labels", Idx(0x08, [2], [1, 2]), gzip: false);
        Assert.Contains("3-D", Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(labels)).Message);
        var images = Write("images", Idx(0x08, [3, 1, 1], [1, 2, 3]), gzip: false);
        var mismatch = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImagesAndLabels(images, labels));
        Assert.Contains("3 images", mismatch.Message);
        Assert.Contains("2 labels", mismatch.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    public void PngRoundTripsExactly(int channels)
    {
        var pixels = new byte[28 * 28 * channels];
        new Random(channels).NextBytes(pixels);
        var png = Png.Encode(pixels, 28, 28, channels);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        var image = Png.Decode(png);
        Assert.Equal((28, 28, channels), (image.Width, image.Height, image.Channels));
        Assert.Equal(pixels, image.Pixels);
    }

    [Fact]
    public void PngDecodeRejectsGarbage()
    {
        Assert.Throws<InvalidDataException>(() => Png.Decode([1, 2, 3, 4, 5]));
        Assert.Throws<ArgumentException>(() => Png.Encode(new byte[10], 28, 28, 1));
    }
}
