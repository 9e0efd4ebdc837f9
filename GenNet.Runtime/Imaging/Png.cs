using System;
using System.IO;
using StbImageSharp;
using StbImageWriteSharp;
using ReadComponents = StbImageSharp.ColorComponents;
using WriteComponents = StbImageWriteSharp.ColorComponents;

namespace GenNet.Imaging;

/// <summary>A decoded 8-bit image: rows of <see cref="Width"/> × <see cref="Channels"/> bytes, top row first.</summary>
/// <param name="Pixels">The pixels, row-major, channels interleaved.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Channels">1 (grey), 2 (grey + alpha), 3 (RGB) or 4 (RGBA).</param>
public readonly record struct Image8(byte[] Pixels, int Width, int Height, int Channels);

/// <summary>PNG encoding and decoding of 8-bit images (managed ports of stb_image and stb_image_write).</summary>
public static class Png
{
    /// <summary>Encodes <paramref name="pixels"/> (row-major, channels interleaved) as a PNG file's bytes.</summary>
    /// <exception cref="ArgumentException">The sizes do not match the pixel count, or channels is not 1–4.</exception>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (channels is < 1 or > 4)
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "PNG images have 1 to 4 channels.");
        if (pixels.Length != (long)width * height * channels)
            throw new ArgumentException($"{width}×{height}×{channels} needs {(long)width * height * channels} bytes, got {pixels.Length}.", nameof(pixels));
        using var output = new MemoryStream();
        new ImageWriter().WritePng(pixels.ToArray(), width, height, (WriteComponents)channels, output);
        return output.ToArray();
    }

    /// <summary>Decodes a PNG file's bytes; <paramref name="channels"/> converts to 1–4 channels, or keeps the file's.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a PNG image stb_image can read.</exception>
    public static Image8 Decode(byte[] png, int? channels = null)
    {
        ArgumentNullException.ThrowIfNull(png);
        if (channels is < 1 or > 4)
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "PNG images have 1 to 4 channels.");
        ImageResult image;
        try
        {
            image = ImageResult.FromMemory(png, channels is { } c ? (ReadComponents)c : ReadComponents.Default);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException or NullReferenceException)
        {
            throw new InvalidDataException($"Not a readable PNG image ({png.Length} bytes): {e.Message}", e);
        }
        return new Image8(image.Data, image.Width, image.Height, (int)image.Comp);
    }
}
