using System;
using System.IO;
using StbImageSharp;
using static TorchSharp.torch;
using ReadComponents = StbImageSharp.ColorComponents;

namespace GenNet.Imaging;

/// <summary>
/// Decoding of encoded images (PNG, JPEG, BMP, GIF, TGA through stb_image) and PIL-style conversions of
/// <see cref="Image8"/>: modes (<c>"L"</c>, <c>"LA"</c>, <c>"RGB"</c>, <c>"RGBA"</c>) and torchvision's <c>to_tensor</c>.
/// </summary>
public static class ImageCodec
{
    /// <summary>Decodes an encoded image; <paramref name="mode"/> converts to a PIL mode, or keeps the file's channels.</summary>
    /// <param name="data">The file's bytes.</param>
    /// <param name="mode">A PIL mode (<c>L</c>, <c>LA</c>, <c>RGB</c>, <c>RGBA</c>) or <see langword="null"/>.</param>
    /// <exception cref="InvalidDataException">The bytes are not an image stb_image can read (e.g. a truncated PNG).</exception>
    public static Image8 Decode(byte[] data, string? mode = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        int? channels = mode is null ? null : ChannelsOf(mode);
        ImageResult image;
        try
        {
            image = ImageResult.FromMemory(data, channels is { } c ? (ReadComponents)c : ReadComponents.Default);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException or NullReferenceException or OverflowException)
        {
            throw new InvalidDataException($"Not a readable {FormatOf(data)} image ({data.Length} bytes): {e.Message}", e);
        }
        if (image.Data is null || image.Data.Length != (long)image.Width * image.Height * (int)image.Comp)
            throw new InvalidDataException($"Not a readable {FormatOf(data)} image ({data.Length} bytes): the decoder returned no pixels.");
        return new Image8(image.Data, image.Width, image.Height, (int)image.Comp);
    }

    /// <summary>The number of channels of a PIL mode.</summary>
    /// <exception cref="ArgumentException">The mode is not L, LA, RGB or RGBA.</exception>
    public static int ChannelsOf(string mode) => mode switch
    {
        "L" => 1,
        "LA" => 2,
        "RGB" => 3,
        "RGBA" => 4,
        _ => throw new ArgumentException($"Image mode '{mode}' is not supported; use L, LA, RGB or RGBA.", nameof(mode)),
    };

    /// <summary>The PIL mode of an image with <paramref name="channels"/> channels.</summary>
    public static string ModeOf(int channels) => channels switch
    {
        1 => "L",
        2 => "LA",
        3 => "RGB",
        4 => "RGBA",
        _ => throw new ArgumentOutOfRangeException(nameof(channels), channels, "Images have 1 to 4 channels."),
    };

    /// <summary>PIL's <c>Image.convert(mode)</c> for 8-bit images (ITU-R 601-2 luma for colour → L, as PIL).</summary>
    public static Image8 Convert(this Image8 image, string mode)
    {
        var target = ChannelsOf(mode);
        if (target == image.Channels)
            return image;
        var n = image.Width * image.Height;
        var src = image.Pixels;
        var dst = new byte[n * target];
        for (var i = 0; i < n; i++)
        {
            byte r, g, b, a = 255;
            var s = i * image.Channels;
            if (image.Channels <= 2)
            {
                r = g = b = src[s];
                if (image.Channels == 2)
                    a = src[s + 1];
            }
            else
            {
                r = src[s];
                g = src[s + 1];
                b = src[s + 2];
                if (image.Channels == 4)
                    a = src[s + 3];
            }
            var d = i * target;
            switch (target)
            {
                case 1:
                    dst[d] = Luma(r, g, b);
                    break;
                case 2:
                    dst[d] = Luma(r, g, b);
                    dst[d + 1] = a;
                    break;
                default:
                    dst[d] = r;
                    dst[d + 1] = g;
                    dst[d + 2] = b;
                    if (target == 4)
                        dst[d + 3] = a;
                    break;
            }
        }
        return new Image8(dst, image.Width, image.Height, target);
    }

    /// <summary>
    /// torchvision's <c>to_tensor</c> as managed floats: channels first (C×H×W), scaled to [0, 1]. A list of these
    /// collates into one tensor without a native tensor per image (the loader's fast path).
    /// </summary>
    public static float[] ToFloats(this Image8 image)
    {
        var plane = image.Width * image.Height;
        var result = new float[plane * image.Channels];
        var src = image.Pixels;
        const float scale = 1f / 255f;
        if (image.Channels == 1)
        {
            for (var i = 0; i < plane; i++)
                result[i] = src[i] * scale;
            return result;
        }
        for (var i = 0; i < plane; i++)
        {
            for (var c = 0; c < image.Channels; c++)
                result[c * plane + i] = src[i * image.Channels + c] * scale;
        }
        return result;
    }

    /// <summary>torchvision's <c>to_tensor</c>: a float32 tensor C×H×W in [0, 1].</summary>
    public static Tensor ToTensor(this Image8 image) =>
        tensor(image.ToFloats(), new long[] { image.Channels, image.Height, image.Width });

    /// <summary>PIL's repr, e.g. <c>&lt;PIL.PngImageFile mode=L size=28x28&gt;</c> without the address.</summary>
    public static string Describe(this Image8 image) => $"<Image mode={ModeOf(image.Channels)} size={image.Width}x{image.Height}>";

    private static byte Luma(byte r, byte g, byte b) => (byte)((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);

    private static string FormatOf(byte[] data) =>
        data.Length >= 8 && data[0] == 0x89 && data[1] == (byte)'P' && data[2] == (byte)'N' && data[3] == (byte)'G' ? "PNG"
        : data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF ? "JPEG"
        : "image";
}
